/* command.h — the work behind both front ends, given parsed options.
 * Front ends only gather what their environment provides (a vmlinux path,
 * the kernel release, an output stream) and call these. */
#ifndef CTLEAK_COMMAND_H
#define CTLEAK_COMMAND_H

#include <stdio.h>

#include "app/cli.h"

/* Resolve the conntrack layout from vmlinux plus module debug files (the
 * nf_conntrack debug file is searched for when not among modules), and print
 * it. release may be NULL or "". Returns an exit status: 0 ok, 1 failure
 * (one sentence on errout; under -j an error document on out, and the
 * streams follow the rule of ct_command_analyse). */
int ct_command_model(const struct ct_options *o, const char *vmlinux,
		     const char *release, const char *const *modules,
		     unsigned nmodules, FILE *out, FILE *errout);

struct ct_program;

/* Exit statuses of an analysis. */
/* 3: the report is not a full account (its first lines and JSON
 * "incomplete" say why); it may list suspects too. */
enum { CT_EXIT_CLEAN = 0, CT_EXIT_SUSPECTS = 1, CT_EXIT_FAILED = 2, CT_EXIT_INCOMPLETE = 3 };

/* What a front end knows of where the types are. */
struct ct_analysis_input {
	/* The debug vmlinux, or NULL: the types then come from the kernel's
	 * own BTF, and the program's symbol finders must know vmlinux's
	 * symbols without it (kallsyms). */
	const char *vmlinux;
	/* Without vmlinux: why none was found (a sentence), said when the
	 * kernel's BTF cannot serve either. */
	const char *no_vmlinux;
	const char *dump_format;   /* NULL live */
	/* Where the kernel shows its BTF as files (live: /sys/kernel/btf);
	 * NULL: read it from memory. */
	const char *btf_dir;
};

/* The main job on a program (its memory and the front end's symbol
 * finders): resolve the layout — DWARF from vmlinux and nf_conntrack's
 * debug file (found by release and -D), or the kernel's own BTF where no
 * debug file is found or --types btf says so — add the module list's
 * symbols as the last finder (taken out again before returning), walk,
 * print. Returns CT_EXIT_*; on a failure (CT_EXIT_FAILED, no report) one
 * sentence went to errout.
 *
 * The streams: out gets the report; errout the notes ("ctleak: note: ..."),
 * before it, and the problems ("ctleak: error: ...") after it. Under -j
 * (o->json) everything is in the one JSON document on out — the report's
 * "notes" and "errors", or on a failure a document with "error" {code,
 * what, address} — and errout gets its lines only when it is not out: the
 * twin passes stdout and stderr and keeps its stderr lines; crash passes
 * its output stream fp twice, so `ctleak -j > file` holds JSON only. */
int ct_command_analyse(const struct ct_options *o, struct ct_program *p,
		       const struct ct_analysis_input *in, FILE *out, FILE *errout);

/* A run that fails before an analysis starts (a dump that cannot be
 * opened, no debug vmlinux, a wrong use of the options once parsed):
 * "ctleak: <err->text>" on errout and, under -j, an error document on out,
 * by the same rule as above. Returns CT_EXIT_FAILED. */
int ct_command_fail(const struct ct_options *o, const struct ct_error *err, FILE *out,
		    FILE *errout);

#endif
