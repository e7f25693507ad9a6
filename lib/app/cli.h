/* cli.h — the options both front ends accept (the standalone ctleak and the
 * crash command), parsed by one function so they can never drift apart;
 * what they are and what each sets: the table in options.h. */
#ifndef CTLEAK_CLI_H
#define CTLEAK_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/ct_error.h"
#include "app/debugfind.h"
#include "report/render.h"
#include "report/report.h"

#define CT_MAX_POSITIONAL 8

/* Where the types come from (--types). AUTO: DWARF when the debug files
 * are found (the design's primary source), else the kernel's own BTF. */
enum ct_types_choice { CT_TYPES_AUTO = 0, CT_TYPES_DWARF, CT_TYPES_BTF };

struct ct_options {
	bool model;       /* -m: print the conntrack layout of this kernel */
	unsigned show;    /* CT_SHOW_* from -c -u -d -a (render.h); 0: suspects */
	/* The matches of -n -p --src --dst --sport --dport --state --zone
	 * --mark (its show is unused: the walk's filter takes show above). */
	struct ct_filter filter;
	enum ct_list_format format; /* --format: how each entry is printed */
	bool format_set;  /* --format was given (refused with -j) */
	bool json;        /* -j */
	bool pretty;      /* --pretty: indented JSON */
	bool no_cache;    /* --no-cache: always read DWARF, write no cache */
	bool no_slab;     /* --no-slab: skip the slab cache scan */
	bool orphans;     /* -o: list orphaned entries */
	bool groups;      /* -s: suspects grouped */
	bool help;        /* -h */
	bool live;        /* --live: the running kernel (standalone ctleak only) */
	uint64_t max_entries; /* --max-entries N: stop after N entries, 0 = no limit */
	const char *kcore; /* --kcore FILE: its memory from FILE, not /proc/kcore */
	enum ct_types_choice types; /* --types: CT_TYPES_AUTO unless forced */
	const char *debug_dirs[CT_MAX_DEBUG_DIRS];
	unsigned ndebug_dirs;
	const char *positional[CT_MAX_POSITIONAL];
	unsigned npositional;
};

/* argv[0] is the program or command name. Resets getopt's state first,
 * since crash calls commands repeatedly in one process. Every option of
 * ct_option_table is accepted, whatever its front ends. */
ct_status ct_cli_parse(int argc, char **argv, struct ct_options *o,
		       struct ct_error *err);

/* "tcp" -> 6, "17" -> 17; -1 when unknown. */
int ct_proto_number(const char *s);

#endif
