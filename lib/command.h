/* command.h — the work behind both front ends, given parsed options.
 * Front ends only gather what their environment provides (a vmlinux path,
 * the kernel release, an output stream) and call these. */
#ifndef CTLEAK_COMMAND_H
#define CTLEAK_COMMAND_H

#include <stdio.h>

#include "cli.h"

/* Resolve the conntrack layout from vmlinux plus module debug files (the
 * nf_conntrack debug file is searched for when not among modules), and print
 * it. release may be NULL or "". Returns an exit status: 0 ok, 1 failure
 * (one sentence on errout). */
int ct_command_model(const struct ct_options *o, const char *vmlinux,
		     const char *release, const char *const *modules,
		     unsigned nmodules, FILE *out, FILE *errout);

struct ct_program;

/* Exit statuses of an analysis. */
/* 3: the report is not a full account (its first lines and JSON
 * "incomplete" say why); it may list suspects too. */
enum { CT_EXIT_CLEAN = 0, CT_EXIT_SUSPECTS = 1, CT_EXIT_FAILED = 2, CT_EXIT_INCOMPLETE = 3 };

/* The main job on a program (its memory and the front end's symbol
 * finders) whose vmlinux is known: resolve the layout (nf_conntrack's
 * debug file found by release and -D), add the module list's symbols as
 * the last finder (taken out again before returning), walk, print.
 * Returns CT_EXIT_*; on CT_EXIT_FAILED one sentence went to errout. */
int ct_command_analyse(const struct ct_options *o, struct ct_program *p,
		       const char *vmlinux, const char *dump_format, FILE *out,
		       FILE *errout);

#endif
