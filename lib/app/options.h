/* options.h — the one table of ctleak's options. ct_cli_parse builds its
 * getopt strings from it, `ctleak --help` and crash's `help ctleak` their
 * option lines and synopsis, and tests/unit/test_options.c checks ctleak(1)'s
 * OPTIONS section against it both ways: an option is added here only. */
#ifndef CTLEAK_OPTIONS_H
#define CTLEAK_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/ct_error.h"

struct ct_options;

/* Which front ends an option is for (a mask). */
#define CT_FRONT_STANDALONE 1u /* ext/ctleak_main.c */
#define CT_FRONT_CRASH      2u /* ext/ctleak_crash.c */
#define CT_FRONT_BOTH       (CT_FRONT_STANDALONE | CT_FRONT_CRASH)

#define CT_NOPTIONS 27
#define CT_OPTION_HELP_LINES 4 /* help lines per option, NULL after the last */
#define CT_OPTION_LINE_MAX 96  /* a formatted help line, its NUL included */

struct ct_option_spec {
	char short_name;       /* 'c' for -c; 0: long only */
	const char *long_name; /* "confirmed" for --confirmed */
	const char *arg;       /* its argument's name ("INUM"); NULL: none */
	bool repeatable;       /* may be given more than once (synopsis "...") */
	unsigned fronts;       /* CT_FRONT_*: the help texts that list it */
	const char *help[CT_OPTION_HELP_LINES];
	/* What it sets in o; arg is NULL for an option without one. Every
	 * front end parses every option: crash refuses --live itself. */
	ct_status (*parse)(struct ct_options *o, const char *arg, struct ct_error *err);
};

extern const struct ct_option_spec ct_option_table[CT_NOPTIONS];

/* "  -n, --netns INUM" or "      --pretty": the left column of its help. */
void ct_option_name(const struct ct_option_spec *s, char *buf, size_t size);

/* The option lines of the help of the front ends in the mask fronts, one
 * call of emit per line (no newline): "(no option)" first, then each
 * option's, in table order, the text at column 23. */
void ct_options_help(unsigned fronts, void (*emit)(const char *line, void *ctx), void *ctx);

/* "[-c] ... [-n INUM] ... [-D DIR]... [--no-cache] ...": every option of
 * the front ends in fronts, into buf; false when it does not fit. */
bool ct_options_synopsis(unsigned fronts, char *buf, size_t size);

#endif
