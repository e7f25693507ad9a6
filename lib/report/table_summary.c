/* table_summary.c — what fills the table (table_summary.h). */
#include "report/table_summary.h"

#include <inttypes.h>
#include <string.h>

#include "report/ct_format.h"
#include "report/json_writer.h"

#define MAX_PROBES 16 /* another slot tried when two keys share a hash */

static const char *const dim_names[CT_DIM_N] = {
	"by_proto_port", "by_destination", "by_source", "by_state", "by_zone", "by_mark", "by_netns",
};
static const char *const dim_titles[CT_DIM_N] = {
	"PROTOCOL AND PORT", "DESTINATION", "SOURCE", "STATE", "ZONE", "MARK", "NETNS",
};

const char *ct_table_dim_name(enum ct_table_dim d)
{
	return (unsigned)d < CT_DIM_N ? dim_names[d] : "?";
}

const char *ct_table_dim_title(enum ct_table_dim d)
{
	return (unsigned)d < CT_DIM_N ? dim_titles[d] : "?";
}

void ct_table_summary_init(struct ct_table_summary *s)
{
	memset(s, 0, sizeof(*s));
	for (int d = 0; d < CT_DIM_N; d++) {
		ct_u64map_init(&s->dim[d].index, CT_TALLY_MAX_KEYS);
		ct_vec_init(&s->dim[d].rows, sizeof(struct ct_tally_row), CT_TALLY_MAX_KEYS);
	}
}

void ct_table_summary_free(struct ct_table_summary *s)
{
	for (int d = 0; d < CT_DIM_N; d++) {
		ct_u64map_free(&s->dim[d].index);
		ct_vec_free(&s->dim[d].rows);
	}
	memset(s, 0, sizeof(*s));
}

static uint64_t mix(uint64_t k0, uint64_t k1, uint32_t tag)
{
	uint64_t h = k0 * 0x9e3779b97f4a7c15ULL;
	h ^= (k1 + 0x632be59bd9b4e019ULL + (h << 6) + (h >> 2)) * 0xbf58476d1ce4e5b9ULL;
	h ^= ((uint64_t)tag + (h << 6) + (h >> 2)) * 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

static void tally(struct ct_tally *t, uint64_t k0, uint64_t k1, uint32_t tag)
{
	uint64_t h = mix(k0, k1, tag), idx;
	for (int probe = 0; probe < MAX_PROBES; probe++, h = h * 0x5851f42d4c957f2dULL + 1) {
		if (ct_u64map_lookup(&t->index, h, &idx)) {
			struct ct_tally_row *row = ct_vec_at(&t->rows, (size_t)idx);
			if (row->k0 == k0 && row->k1 == k1 && row->tag == tag) {
				row->count++;
				return;
			}
			continue; /* another key with this hash: the next slot */
		}
		struct ct_tally_row nr = { k0, k1, tag, 1 };
		size_t at = t->rows.n;
		if (!ct_vec_push(&t->rows, &nr))
			break;
		if (ct_u64map_insert(&t->index, h, at) != CT_U64MAP_ADDED) {
			t->rows.n--; /* no room in the index: the row is not kept */
			break;
		}
		return;
	}
	t->untracked++;
}

static uint64_t bytes_word(const uint8_t *b)
{
	uint64_t w;
	memcpy(&w, b, 8);
	return w;
}

/* An address as two words: IPv6's 16 bytes, IPv4's 4 (the rest is not
 * part of it, whatever the tuple holds there). */
static uint64_t addr_word(const struct ct_tuple *t, const uint8_t *a, unsigned at)
{
	if (t->l3num == 10)
		return bytes_word(a + at);
	uint32_t v4 = 0;
	if (at == 0)
		memcpy(&v4, a, 4);
	return v4;
}

static bool has_ports(unsigned proto)
{
	return proto == 6 || proto == 17 || proto == 132 || proto == 33 || proto == 136;
}

/* TCP's own state; for the rest what conntrack's flags say of the flow. */
static void state_label(const struct ct_entry *e, char label[16])
{
	memset(label, 0, 16);
	if (e->l4state[0])
		snprintf(label, 16, "%s", e->l4state);
	else
		snprintf(label, 16, "%s", !(e->flags & CT_F_SEEN_REPLY) ? "UNREPLIED" :
			 e->flags & CT_F_ASSURED ? "ASSURED" : "REPLIED");
}

void ct_table_summary_add(struct ct_table_summary *s, const struct ct_entry *e)
{
	const struct ct_tuple *o = &e->orig;
	unsigned proto = o->protonum;
	s->entries++;
	if (has_ports(proto))
		tally(&s->dim[CT_DIM_PROTO_PORT], (unsigned)o->dst_u[0] << 8 | o->dst_u[1], 1, proto);
	else if (proto == 1 || proto == 58)
		tally(&s->dim[CT_DIM_PROTO_PORT], o->dst_u[0], 2, proto); /* ICMP type */
	else
		tally(&s->dim[CT_DIM_PROTO_PORT], 0, 0, proto);
	tally(&s->dim[CT_DIM_DST], addr_word(o, o->dst, 0), addr_word(o, o->dst, 8), o->l3num);
	tally(&s->dim[CT_DIM_SRC], addr_word(o, o->src, 0), addr_word(o, o->src, 8), o->l3num);
	char label[16];
	state_label(e, label);
	tally(&s->dim[CT_DIM_STATE], bytes_word((uint8_t *)label), bytes_word((uint8_t *)label + 8),
	      proto);
	tally(&s->dim[CT_DIM_ZONE], e->zone, 0, 0);
	tally(&s->dim[CT_DIM_MARK], e->mark, 0, 0);
	tally(&s->dim[CT_DIM_NETNS], e->netns_inum, 0, 0);
}

/* Biggest first; equal counts by key, so the order never depends on the
 * hash. */
static bool before(const struct ct_tally_row *a, const struct ct_tally_row *b)
{
	if (a->count != b->count)
		return a->count > b->count;
	if (a->tag != b->tag)
		return a->tag < b->tag;
	if (a->k0 != b->k0)
		return a->k0 < b->k0;
	return a->k1 < b->k1;
}

size_t ct_table_summary_top(const struct ct_table_summary *s, enum ct_table_dim d,
			    struct ct_tally_row *out, size_t n)
{
	if ((unsigned)d >= CT_DIM_N || !n)
		return 0;
	const struct ct_vec *rows = &s->dim[d].rows;
	size_t k = 0;
	for (size_t i = 0; i < rows->n; i++) {
		const struct ct_tally_row *r = ct_vec_at(rows, i);
		if (k == n && !before(r, &out[k - 1]))
			continue;
		size_t at = k < n ? k++ : n - 1; /* the last one falls out */
		while (at > 0 && before(r, &out[at - 1])) {
			out[at] = out[at - 1];
			at--;
		}
		out[at] = *r;
	}
	return k;
}

void ct_table_key(enum ct_table_dim d, const struct ct_tally_row *row, char *buf, size_t size)
{
	uint8_t a[16] = { 0 };
	char label[17] = { 0 };
	switch (d) {
	case CT_DIM_PROTO_PORT:
		if (row->k1 == 1)
			snprintf(buf, size, "%s dport %" PRIu64, ct_l4proto_name(row->tag), row->k0);
		else if (row->k1 == 2)
			snprintf(buf, size, "%s type %" PRIu64, ct_l4proto_name(row->tag), row->k0);
		else
			snprintf(buf, size, "%s", ct_l4proto_name(row->tag));
		return;
	case CT_DIM_DST:
	case CT_DIM_SRC:
		if (row->tag == 10) {
			memcpy(a, &row->k0, 8);
			memcpy(a + 8, &row->k1, 8);
		} else {
			uint32_t v4 = (uint32_t)row->k0;
			memcpy(a, &v4, 4);
		}
		ct_format_addr(row->tag, a, buf, size);
		return;
	case CT_DIM_STATE:
		memcpy(label, &row->k0, 8);
		memcpy(label + 8, &row->k1, 8);
		snprintf(buf, size, "%s %s", ct_l4proto_name(row->tag), label);
		return;
	default:
		snprintf(buf, size, "%" PRIu64, row->k0);
		return;
	}
}

void ct_table_summary_text(FILE *out, const struct ct_table_summary *s)
{
	fprintf(out, "\nWHAT FILLS THE TABLE: %" PRIu64 " entries walked\n", s->entries);
	for (int d = 0; d < CT_DIM_N; d++) {
		struct ct_tally_row top[CT_TABLE_TOP];
		size_t n = ct_table_summary_top(s, d, top, CT_TABLE_TOP);
		char title[48];
		snprintf(title, sizeof title, "%s%s", ct_table_dim_title(d),
			 s->dim[d].rows.n > CT_TABLE_TOP ? " (top 10)" : "");
		fprintf(out, "\n%-48s %8s %6s\n", title, "ENTRIES", "%");
		for (size_t i = 0; i < n; i++) {
			char key[64];
			ct_table_key(d, &top[i], key, sizeof key);
			uint64_t pm = s->entries ? top[i].count * 1000 / s->entries : 0;
			fprintf(out, "%-48s %8" PRIu64 " %4" PRIu64 ".%" PRIu64 "\n", key, top[i].count,
				pm / 10, pm % 10);
		}
		if (s->dim[d].rows.n > n)
			fprintf(out, "%-48s %8zu\n", "(distinct keys)", s->dim[d].rows.n);
		if (s->dim[d].untracked)
			fprintf(out, "%-48s %8" PRIu64 "\n", "(entries of keys not tracked: too many)",
				s->dim[d].untracked);
	}
}

void ct_table_summary_json(struct ct_json *j, const struct ct_table_summary *s)
{
	ct_json_start_object(j);
	ct_json_kv_u64(j, "entries", s->entries);
	for (int d = 0; d < CT_DIM_N; d++) {
		struct ct_tally_row top[CT_TABLE_TOP];
		size_t n = ct_table_summary_top(s, d, top, CT_TABLE_TOP);
		ct_json_name(j, ct_table_dim_name(d));
		ct_json_start_object(j);
		ct_json_kv_u64(j, "distinct", s->dim[d].rows.n);
		ct_json_kv_u64(j, "untracked", s->dim[d].untracked);
		ct_json_name(j, "top");
		ct_json_start_array(j);
		for (size_t i = 0; i < n; i++) {
			char key[64];
			ct_table_key(d, &top[i], key, sizeof key);
			ct_json_start_object(j);
			ct_json_kv_string(j, "key", key);
			ct_json_kv_u64(j, "entries", top[i].count);
			ct_json_end_object(j);
		}
		ct_json_end_array(j);
		ct_json_end_object(j);
	}
	ct_json_end_object(j);
}
