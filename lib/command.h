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

#endif
