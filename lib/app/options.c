#include "app/options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/filter_args.h"
#include "report/render.h"

/* ---- what each option sets -------------------------------------------- */

/* An option without an argument: one statement on o. */
#define CT_FLAG(name, stmt)                                                   \
	static ct_status name(struct ct_options *o, const char *arg,          \
			      struct ct_error *err)                           \
	{                                                                     \
		(void)arg;                                                    \
		(void)err;                                                    \
		stmt;                                                         \
		return CT_OK;                                                 \
	}

CT_FLAG(set_confirmed, o->show |= CT_SHOW_HASH)
CT_FLAG(set_unconfirmed, o->show |= CT_SHOW_UNCONFIRMED)
CT_FLAG(set_dying, o->show |= CT_SHOW_DYING)
CT_FLAG(set_orphans, o->orphans = true)
CT_FLAG(set_all, (o->show |= CT_SHOW_ALL & ~CT_SHOW_SUMMARY, o->orphans = true))
CT_FLAG(set_summary, o->groups = true)
CT_FLAG(set_json, o->json = true)
CT_FLAG(set_pretty, o->json = o->pretty = true)
CT_FLAG(set_model, o->model = true)
CT_FLAG(set_no_cache, o->no_cache = true)
CT_FLAG(set_no_slab, o->no_slab = true)
CT_FLAG(set_help, o->help = true)
CT_FLAG(set_live, o->live = true)

static ct_status set_netns(struct ct_options *o, const char *arg, struct ct_error *err)
{
	return ct_filter_add_netns(&o->filter, arg, err);
}

static ct_status set_proto(struct ct_options *o, const char *arg, struct ct_error *err)
{
	return ct_filter_add_proto(&o->filter, arg, err);
}

static ct_status set_src(struct ct_options *o, const char *arg, struct ct_error *err)
{
	return ct_filter_add_addr(&o->filter, false, arg, err);
}

static ct_status set_dst(struct ct_options *o, const char *arg, struct ct_error *err)
{
	return ct_filter_add_addr(&o->filter, true, arg, err);
}

static ct_status set_sport(struct ct_options *o, const char *arg, struct ct_error *err)
{
	return ct_filter_add_port(&o->filter, false, arg, err);
}

static ct_status set_dport(struct ct_options *o, const char *arg, struct ct_error *err)
{
	return ct_filter_add_port(&o->filter, true, arg, err);
}

static ct_status set_state(struct ct_options *o, const char *arg, struct ct_error *err)
{
	return ct_filter_add_state(&o->filter, arg, err);
}

static ct_status set_zone(struct ct_options *o, const char *arg, struct ct_error *err)
{
	return ct_filter_add_zone(&o->filter, arg, err);
}

static ct_status set_mark(struct ct_options *o, const char *arg, struct ct_error *err)
{
	return ct_filter_add_mark(&o->filter, arg, err);
}

static ct_status set_format(struct ct_options *o, const char *arg, struct ct_error *err)
{
	if (strcmp(arg, "text") == 0)
		o->format = CT_FORMAT_TEXT;
	else if (strcmp(arg, "proc") == 0)
		o->format = CT_FORMAT_PROC;
	else if (strcmp(arg, "csv") == 0)
		o->format = CT_FORMAT_CSV;
	else
		return ct_fail(err, CT_ERR_USAGE, "--format takes text, proc or csv, not \"%s\"",
			       arg);
	o->format_set = true;
	return CT_OK;
}

static ct_status set_debug_dir(struct ct_options *o, const char *arg, struct ct_error *err)
{
	if (o->ndebug_dirs == CT_MAX_DEBUG_DIRS)
		return ct_fail(err, CT_ERR_USAGE, "at most %d -D folders", CT_MAX_DEBUG_DIRS);
	o->debug_dirs[o->ndebug_dirs++] = arg;
	return CT_OK;
}

static ct_status set_max_entries(struct ct_options *o, const char *arg, struct ct_error *err)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 0);
	if (!*arg || *end || v == 0 || *arg == '-')
		return ct_fail(err, CT_ERR_USAGE,
			       "--max-entries takes a positive number, not \"%s\"", arg);
	o->max_entries = v;
	return CT_OK;
}

static ct_status set_types(struct ct_options *o, const char *arg, struct ct_error *err)
{
	if (strcmp(arg, "dwarf") == 0)
		o->types = CT_TYPES_DWARF;
	else if (strcmp(arg, "btf") == 0)
		o->types = CT_TYPES_BTF;
	else
		return ct_fail(err, CT_ERR_USAGE, "--types takes dwarf or btf, not \"%s\"", arg);
	return CT_OK;
}

static ct_status set_kcore(struct ct_options *o, const char *arg, struct ct_error *err)
{
	(void)err;
	o->live = true;
	o->kcore = arg;
	return CT_OK;
}

/* ---- the table ---------------------------------------------------------- */

/* In the order of the help. */
const struct ct_option_spec ct_option_table[CT_NOPTIONS] = {
	{ 'c', "confirmed", NULL, false, CT_FRONT_BOTH,
	  { "also list the entries of the confirmed hash" }, set_confirmed },
	{ 'u', "unconfirmed", NULL, false, CT_FRONT_BOTH,
	  { "also list the entries of the unconfirmed lists" }, set_unconfirmed },
	{ 'd', "dying", NULL, false, CT_FRONT_BOTH,
	  { "also list the entries of the dying lists" }, set_dying },
	{ 'o', "orphans", NULL, false, CT_FRONT_BOTH,
	  { "also list orphans: confirmed and alive, in no table" }, set_orphans },
	{ 'a', "all", NULL, false, CT_FRONT_BOTH,
	  { "list every entry found" }, set_all },
	{ 's', "summary", NULL, false, CT_FRONT_BOTH,
	  { "also say what fills the table (every entry, top 10 by",
	    "port, destination, source, state, zone, mark, namespace)",
	    "and group the suspects by state, protocol and port, by",
	    "source and by namespace" }, set_summary },
	{ 'n', "netns", "INUM", true, CT_FRONT_BOTH,
	  { "only entries of this namespace: its inode number",
	    "or net:[INUM] as readlink /proc/PID/ns/net says" }, set_netns },
	{ 'p', "proto", "PROTO", true, CT_FRONT_BOTH,
	  { "only entries of this protocol (tcp, udp, icmp, 17, ...)" }, set_proto },
	{ 0, "src", "ADDR", true, CT_FRONT_BOTH,
	  { "only entries whose original source is ADDR",
	    "(IPv4 or IPv6; ADDR/PREFIX for a network)" }, set_src },
	{ 0, "dst", "ADDR", true, CT_FRONT_BOTH,
	  { "only entries whose original destination is ADDR" }, set_dst },
	{ 0, "sport", "PORT", true, CT_FRONT_BOTH,
	  { "only entries whose original source port is PORT" }, set_sport },
	{ 0, "dport", "PORT", true, CT_FRONT_BOTH,
	  { "only entries whose original destination port is PORT" }, set_dport },
	{ 0, "state", "STATE", true, CT_FRONT_BOTH,
	  { "only TCP entries in this state (ESTABLISHED,",
	    "TIME_WAIT, ... as /proc/net/nf_conntrack says)" }, set_state },
	{ 0, "zone", "ZONE", true, CT_FRONT_BOTH,
	  { "only entries of this conntrack zone" }, set_zone },
	{ 0, "mark", "MARK", true, CT_FRONT_BOTH,
	  { "only entries with this mark (MARK or MARK/MASK);",
	    "each filter may be repeated: any of its values,",
	    "and every filter given must match" }, set_mark },
	{ 0, "format", "FORMAT", false, CT_FRONT_BOTH,
	  { "text (the default), proc (one /proc/net/nf_conntrack",
	    "line per entry) or csv; not with -j" }, set_format },
	{ 'j', "json", NULL, false, CT_FRONT_BOTH,
	  { "JSON instead of text (the documented contract)" }, set_json },
	{ 0, "pretty", NULL, false, CT_FRONT_BOTH,
	  { "indented JSON" }, set_pretty },
	{ 'm', "model", NULL, false, CT_FRONT_BOTH,
	  { "print this kernel's conntrack layout as ctleak",
	    "resolved it (DWARF, BTF, or its cache)" }, set_model },
	{ 'D', "debug-dir", "DIR", true, CT_FRONT_BOTH,
	  { "also look for debug files (vmlinux, nf_conntrack.ko)",
	    "in DIR: a usr/lib/debug tree or a flat folder;",
	    "may be repeated" }, set_debug_dir },
	{ 0, "types", "SOURCE", false, CT_FRONT_BOTH,
	  { "where the types come from: dwarf (debug files) or",
	    "btf (the kernel's own, from its memory); default:",
	    "DWARF when debug files are found, else BTF" }, set_types },
	{ 0, "no-cache", NULL, false, CT_FRONT_BOTH,
	  { "read DWARF even if a cached layout exists" }, set_no_cache },
	{ 0, "no-slab", NULL, false, CT_FRONT_BOTH,
	  { "do not scan the nf_conntrack slab cache (faster on",
	    "huge dumps; entries on no list stay unaccounted)" }, set_no_slab },
	{ 0, "max-entries", "N", false, CT_FRONT_BOTH,
	  { "stop after N entries: a partial report, exit 1 or 2" }, set_max_entries },
	{ 'h', "help", NULL, false, CT_FRONT_BOTH,
	  { "this help" }, set_help },
	/* crash started without a dump is live already. */
	{ 0, "live", NULL, false, CT_FRONT_STANDALONE,
	  { "read the running kernel through /proc/kcore" }, set_live },
	{ 0, "kcore", "FILE", false, CT_FRONT_STANDALONE,
	  { "the same, from FILE instead of /proc/kcore" }, set_kcore },
};

/* ---- the help texts ----------------------------------------------------- */

#define CT_HELP_COLUMN 23 /* where the help text starts */

void ct_option_name(const struct ct_option_spec *s, char *buf, size_t size)
{
	char shortpart[8] = "    ";
	if (s->short_name)
		snprintf(shortpart, sizeof(shortpart), "-%c, ", s->short_name);
	snprintf(buf, size, "  %s--%s%s%s", shortpart, s->long_name, s->arg ? " " : "",
		 s->arg ? s->arg : "");
}

void ct_options_help(unsigned fronts, void (*emit)(const char *line, void *ctx), void *ctx)
{
	char name[40], line[CT_OPTION_LINE_MAX];
	snprintf(line, sizeof(line), "%-*s%s", CT_HELP_COLUMN, "  (no option)",
		 "the per-netns table and every suspect entry");
	emit(line, ctx);
	for (const struct ct_option_spec *s = ct_option_table; s < ct_option_table + CT_NOPTIONS;
	     s++) {
		if (!(s->fronts & fronts))
			continue;
		ct_option_name(s, name, sizeof(name));
		/* The name two spaces from its text, however long. */
		snprintf(line, sizeof(line), "%-*s  %s", CT_HELP_COLUMN - 2, name, s->help[0]);
		emit(line, ctx);
		for (unsigned i = 1; i < CT_OPTION_HELP_LINES && s->help[i]; i++) {
			snprintf(line, sizeof(line), "%*s%s", CT_HELP_COLUMN, "", s->help[i]);
			emit(line, ctx);
		}
	}
}

bool ct_options_synopsis(unsigned fronts, char *buf, size_t size)
{
	size_t len = 0;
	if (size)
		buf[0] = 0;
	for (const struct ct_option_spec *s = ct_option_table; s < ct_option_table + CT_NOPTIONS;
	     s++) {
		if (!(s->fronts & fronts))
			continue;
		char letter[2] = { s->short_name, 0 };
		int n = snprintf(buf + len, size - len, "%s[-%s%s%s%s]%s", len ? " " : "",
				 s->short_name ? letter : "-", s->short_name ? "" : s->long_name,
				 s->arg ? " " : "", s->arg ? s->arg : "",
				 s->repeatable ? "..." : "");
		if (n < 0 || (size_t)n >= size - len)
			return false;
		len += (size_t)n;
	}
	return true;
}
