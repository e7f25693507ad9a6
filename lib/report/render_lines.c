/* render_lines.c — --format proc and csv: one line per listed entry, for
 * grep, awk and spreadsheets; what the text report says around its
 * entries goes to the comment stream as "# " lines. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "report/ct_format.h"
#include "report/render.h"

/* A stream that writes to another one with "# " before every line ("#"
 * alone before an empty one): the text report's head as comments, streamed
 * (its table has a row per namespace: no copy of it is kept). */
struct comment_stream {
	FILE *out;
	bool line_start;
};

static ssize_t comment_write(void *cookie, const char *buf, size_t size)
{
	struct comment_stream *c = cookie;
	for (size_t i = 0; i < size; i++) {
		if (c->line_start)
			fputs(buf[i] == '\n' ? "#" : "# ", c->out);
		fputc(buf[i], c->out);
		c->line_start = buf[i] == '\n';
	}
	return (ssize_t)size;
}

/* The text report's head, as comments. */
static void head_comments(FILE *comments, const struct ct_report *r, const struct ct_filter *f)
{
	struct comment_stream c = { comments, true };
	FILE *m = fopencookie(&c, "w", (cookie_io_functions_t){ .write = comment_write });
	if (!m)
		return;
	ct_render_report_text_head(m, r, f);
	fclose(m);
}

/* "ADDRESS NETNS FOUND_IN[:CPU] STATE <the /proc line>[ why: R1; R2]". */
static void proc_line(FILE *out, const struct ct_entry *e)
{
	fprintf(out, "0x%016" PRIx64 " %" PRIu32 " %s", e->addr, e->netns_inum,
		ct_found_in_name(e->found_in));
	if (e->cpu >= 0)
		fprintf(out, ":%d", e->cpu);
	fprintf(out, " %s ", ct_entry_state_name(e->state));
	ct_format_proc_fields(out, e);
	for (unsigned i = 0; i < e->nreasons; i++)
		fprintf(out, "%s%s", i ? "; " : " why: ", e->reasons[i]);
	fputc('\n', out);
}

/* One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR
 * or LF; quotes doubled. first: no comma before it. */
static void csv_field(FILE *out, const char *s, bool first)
{
	if (!first)
		fputc(',', out);
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* The columns, documented in README.md and ctleak(1) ("--format csv"). */
static const char *const csv_columns[] = {
	"address", "netns", "net", "found_in", "cpu", "state", "use", "status",
	"timeout", "age", "zone", "mark", "l3proto", "proto", "l4state",
	"src", "dst", "sport", "dport", "reply_src", "reply_dst", "reply_sport",
	"reply_dport", "type", "code", "id", "last_hook", "next_hook", "holders",
	"suspect", "reasons",
};

static bool has_ports(unsigned proto)
{
	return proto == 6 || proto == 17 || proto == 33 || proto == 132 || proto == 136;
}

static unsigned be16(const uint8_t b[2])
{
	return (unsigned)b[0] << 8 | b[1];
}

/* A small field printed into buf ("" when !known). */
#define FIELD(buf, known, ...) \
	((known) ? (void)snprintf(buf, sizeof(buf), __VA_ARGS__) : (void)((buf)[0] = '\0'))

static void csv_tuple(FILE *out, const struct ct_tuple *t)
{
	char a[48], n[8];
	bool ports = has_ports(t->protonum);
	ct_format_addr(t->l3num, t->src, a, sizeof(a));
	csv_field(out, a, false);
	ct_format_addr(t->l3num, t->dst, a, sizeof(a));
	csv_field(out, a, false);
	FIELD(n, ports, "%u", be16(t->src_u));
	csv_field(out, n, false);
	FIELD(n, ports, "%u", be16(t->dst_u));
	csv_field(out, n, false);
}

/* The entry's joined lists: status names, holders, reasons. */
static void csv_lists(FILE *out, const struct ct_entry *e, bool after_status)
{
	char buf[CT_MAX_HOLDERS * 128 + CT_MAX_REASONS * 100];
	size_t len = 0;
	buf[0] = '\0';
	if (!after_status) {
		const char *names[16];
		unsigned n = 0;
		ct_status_names(e->flags, names, &n);
		for (unsigned i = 0; i < n; i++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? "|" : "",
						names[i]);
		csv_field(out, buf, false);
		return;
	}
	for (unsigned i = 0; i < e->nholders && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s 0x%016" PRIx64 " (%s)",
					i ? "; " : "", e->holders[i].kind, e->holders[i].addr,
					e->holders[i].detail);
	csv_field(out, buf, false);
	csv_field(out, e->suspect ? "yes" : "no", false);
	len = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < e->nreasons && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? "; " : "",
					e->reasons[i]);
	csv_field(out, buf, false);
}

static void csv_record(FILE *out, const struct ct_entry *e)
{
	char v[32];
	bool icmp = e->orig.protonum == 1 || e->orig.protonum == 58;
	snprintf(v, sizeof(v), "0x%016" PRIx64, e->addr);
	csv_field(out, v, true);
	snprintf(v, sizeof(v), "%" PRIu32, e->netns_inum);
	csv_field(out, v, false);
	snprintf(v, sizeof(v), "0x%016" PRIx64, e->net);
	csv_field(out, v, false);
	csv_field(out, ct_found_in_name(e->found_in), false);
	FIELD(v, e->cpu >= 0, "%d", e->cpu);
	csv_field(out, v, false);
	csv_field(out, ct_entry_state_name(e->state), false);
	snprintf(v, sizeof(v), "%u", e->use);
	csv_field(out, v, false);
	csv_lists(out, e, false);
	FIELD(v, e->timeout_known, "%" PRId64, e->timeout_secs);
	csv_field(out, v, false);
	FIELD(v, e->age_known, "%" PRId64, e->age_secs);
	csv_field(out, v, false);
	snprintf(v, sizeof(v), "%u", e->zone);
	csv_field(out, v, false);
	snprintf(v, sizeof(v), "%u", e->mark);
	csv_field(out, v, false);
	csv_field(out, ct_l3proto_name(e->orig.l3num), false);
	snprintf(v, sizeof(v), "%u", e->orig.protonum);
	csv_field(out, v, false);
	csv_field(out, e->l4state, false);
	csv_tuple(out, &e->orig);
	csv_tuple(out, &e->reply);
	FIELD(v, icmp, "%u", e->orig.dst_u[0]);
	csv_field(out, v, false);
	FIELD(v, icmp, "%u", e->orig.dst_u[1]);
	csv_field(out, v, false);
	FIELD(v, icmp, "%u", be16(e->orig.src_u));
	csv_field(out, v, false);
	csv_field(out, e->last_hook, false);
	csv_field(out, e->next_hook, false);
	csv_lists(out, e, true);
	fputc('\n', out);
}

void ct_render_report_lines(FILE *out, FILE *comments, const struct ct_report *r,
			    const struct ct_filter *f, enum ct_list_format format)
{
	head_comments(comments, r, f);
	/* The comments reach their stream before the first entry does,
	 * where the two are one (crash's output). */
	fflush(comments);
	if (format == CT_FORMAT_CSV)
		for (size_t i = 0; i < sizeof(csv_columns) / sizeof(*csv_columns); i++)
			fprintf(out, "%s%s", i ? "," : "", csv_columns[i]);
	if (format == CT_FORMAT_CSV)
		fputc('\n', out);
	struct ct_entry_iter it = { 0 };
	for (const struct ct_entry *e; (e = ct_report_next_entry(r, &it));) {
		if (!ct_filter_keeps(f, e))
			continue;
		if (format == CT_FORMAT_CSV)
			csv_record(out, e);
		else
			proc_line(out, e);
	}
	fflush(out);
	if (r->dropped_entries)
		fprintf(comments, "# ctleak: %" PRIu64 " more entries not kept (limit %zu)\n",
			r->dropped_entries, r->max_entries);
}
