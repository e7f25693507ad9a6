/* filter.c — which entries a report keeps and lists (report.h, ct_filter). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/ct_format.h"
#include "report/report.h"

static bool has_ports(unsigned proto)
{
	return proto == 6 || proto == 17 || proto == 33 || proto == 132 || proto == 136;
}

static unsigned be16(const uint8_t b[2])
{
	return (unsigned)b[0] << 8 | b[1];
}

/* The first a->prefix bits of addr, in a's family. */
static bool addr_matches(const struct ct_filter_addr *a, unsigned l3num, const uint8_t addr[16])
{
	if (a->l3num != l3num)
		return false;
	unsigned full = a->prefix / 8, rest = a->prefix % 8;
	if (memcmp(a->addr, addr, full) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xffu << (8 - rest));
	return (a->addr[full] & mask) == (addr[full] & mask);
}

static bool any_addr(const struct ct_filter_addr *a, unsigned n, unsigned l3num,
		     const uint8_t addr[16])
{
	for (unsigned i = 0; i < n; i++)
		if (addr_matches(&a[i], l3num, addr))
			return true;
	return false;
}

static bool any_u32(const uint32_t *v, unsigned n, uint32_t x)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static bool any_u16(const uint16_t *v, unsigned n, unsigned x)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static bool any_proto(const struct ct_filter *f, unsigned proto)
{
	for (unsigned i = 0; i < f->n_proto; i++)
		if (f->proto[i] == proto)
			return true;
	return false;
}

static bool any_state(const struct ct_filter *f, const char *state)
{
	for (unsigned i = 0; i < f->n_state; i++)
		if (state[0] && strcmp(f->state[i], state) == 0)
			return true;
	return false;
}

static bool any_mark(const struct ct_filter *f, uint32_t mark)
{
	for (unsigned i = 0; i < f->n_mark; i++)
		if ((mark & f->mark_mask[i]) == f->mark[i])
			return true;
	return false;
}

bool ct_filter_has_matches(const struct ct_filter *f)
{
	return f->n_netns || f->n_proto || f->n_src || f->n_dst || f->n_sport || f->n_dport ||
	       f->n_state || f->n_zone || f->n_mark;
}

/* Each match: any of its values; all the matches given. Ports only where
 * the protocol has them (an ICMP entry has no --dport). */
bool ct_filter_matches(const struct ct_filter *f, const struct ct_entry *e)
{
	const struct ct_tuple *t = &e->orig;
	bool ports = has_ports(t->protonum);
	return (!f->n_netns || any_u32(f->netns, f->n_netns, e->netns_inum)) &&
	       (!f->n_proto || any_proto(f, t->protonum)) &&
	       (!f->n_src || any_addr(f->src, f->n_src, t->l3num, t->src)) &&
	       (!f->n_dst || any_addr(f->dst, f->n_dst, t->l3num, t->dst)) &&
	       (!f->n_sport || (ports && any_u16(f->sport, f->n_sport, be16(t->src_u)))) &&
	       (!f->n_dport || (ports && any_u16(f->dport, f->n_dport, be16(t->dst_u)))) &&
	       (!f->n_state || any_state(f, e->l4state)) &&
	       (!f->n_zone || any_u16(f->zone, f->n_zone, e->zone)) &&
	       (!f->n_mark || any_mark(f, e->mark));
}

/* The template-list question: a template (IPS_TEMPLATE: xt_CT's and nft's
 * per-rule template, never a tracked connection) is on none of the lists
 * -c, -u and -d name, so only -a ("list every entry found") lists it, and
 * any suspect one is listed anyway. The renderer's first filter
 * (ct_show_entry, fd96bcc) listed templates under any list option (its
 * mask even held the summary bit: always), so that -c would print rule
 * templates among the hashed connections; the walk's own (wanted,
 * 794fd2d) kept them with the slab bit, which only -a sets. The walk's
 * answer is the right one, and what ctleak has always printed. */
bool ct_filter_keeps(const struct ct_filter *f, const struct ct_entry *e)
{
	if (!ct_filter_matches(f, e))
		return false;
	if ((f->show & CT_SHOW_SUSPECTS) && e->suspect)
		return true;
	if ((f->show & CT_SHOW_ORPHANED) && e->state == CT_STATE_ORPHANED)
		return true;
	switch (e->found_in) {
	case CT_FOUND_HASH: return f->show & CT_SHOW_HASH;
	case CT_FOUND_UNCONFIRMED: return f->show & CT_SHOW_UNCONFIRMED;
	case CT_FOUND_DYING:
	case CT_FOUND_ECACHE_DYING: return f->show & CT_SHOW_DYING;
	case CT_FOUND_TEMPLATE_LIST: return (f->show & CT_SHOW_ALL) == CT_SHOW_ALL;
	case CT_FOUND_SLAB: return f->show & CT_SHOW_SLAB;
	}
	return false;
}

size_t ct_filter_count(const struct ct_filter *f, const struct ct_report *r)
{
	size_t n = 0;
	struct ct_entry_iter it = { 0 };
	for (const struct ct_entry *e; (e = ct_report_next_entry(r, &it));)
		n += ct_filter_keeps(f, e);
	return n;
}

/* Append printf text to buf (len so far in *len), truncating safely. */
static void add(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	if (*len >= size)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	*len = n < 0 ? size : *len + (size_t)n;
	if (*len >= size)
		*len = size;
}

static void describe_numbers(char *buf, size_t size, size_t *len, const char *opt,
			     const uint32_t *v32, const uint16_t *v16, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		add(buf, size, len, "%s%s %" PRIu32, *len ? " " : "", opt,
		    v32 ? v32[i] : (uint32_t)v16[i]);
}

void ct_filter_describe(const struct ct_filter *f, char *buf, size_t size)
{
	size_t len = 0;
	if (!size)
		return;
	buf[0] = '\0';
	describe_numbers(buf, size, &len, "-n", f->netns, NULL, f->n_netns);
	for (unsigned i = 0; i < f->n_proto; i++) {
		const char *name = ct_l4proto_name(f->proto[i]);
		if (strcmp(name, "unknown") == 0)
			add(buf, size, &len, "%s-p %u", len ? " " : "", f->proto[i]);
		else
			add(buf, size, &len, "%s-p %s", len ? " " : "", name);
	}
	for (unsigned i = 0; i < f->n_src; i++)
		add(buf, size, &len, "%s--src %s", len ? " " : "", f->src[i].text);
	for (unsigned i = 0; i < f->n_dst; i++)
		add(buf, size, &len, "%s--dst %s", len ? " " : "", f->dst[i].text);
	describe_numbers(buf, size, &len, "--sport", NULL, f->sport, f->n_sport);
	describe_numbers(buf, size, &len, "--dport", NULL, f->dport, f->n_dport);
	for (unsigned i = 0; i < f->n_state; i++)
		add(buf, size, &len, "%s--state %s", len ? " " : "", f->state[i]);
	describe_numbers(buf, size, &len, "--zone", NULL, f->zone, f->n_zone);
	for (unsigned i = 0; i < f->n_mark; i++) {
		add(buf, size, &len, "%s--mark %" PRIu32, len ? " " : "", f->mark[i]);
		if (f->mark_mask[i] != UINT32_MAX)
			add(buf, size, &len, "/%#" PRIx32, f->mark_mask[i]);
	}
}

void ct_filter_none_sentence(const struct ct_filter *f, char *buf, size_t size)
{
	char what[400];
	size_t len = 0;
	ct_filter_describe(f, what, sizeof(what));
	add(buf, size, &len, "no entry matches %s", what);
	if ((f->show & CT_SHOW_ALL) == CT_SHOW_ALL)
		return;
	add(buf, size, &len, " among the suspects");
	static const struct { unsigned bit; const char *name; } lists[] = {
		{ CT_SHOW_HASH, "confirmed" }, { CT_SHOW_UNCONFIRMED, "unconfirmed" },
		{ CT_SHOW_DYING, "dying" }, { CT_SHOW_ORPHANED, "orphaned" },
	};
	bool more = false;
	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++)
		if (f->show & lists[i].bit) {
			add(buf, size, &len, "%s%s", more ? ", " : " and the ", lists[i].name);
			more = true;
		}
	add(buf, size, &len, "%s (-a: among every entry)", more ? " entries" : "");
}

unsigned ct_filter_unknown_netns(const struct ct_filter *f, const struct ct_report *r,
				 char *buf, size_t size)
{
	size_t len = 0;
	unsigned n = 0;
	if (size)
		buf[0] = '\0';
	for (unsigned i = 0; i < f->n_netns; i++) {
		bool known = false;
		for (size_t j = 0; j < r->n_netns && !known; j++)
			known = r->netns[j].inum == f->netns[i];
		if (known)
			continue;
		n++;
		add(buf, size, &len, "%s%" PRIu32, len ? ", " : "", f->netns[i]);
	}
	return n;
}
