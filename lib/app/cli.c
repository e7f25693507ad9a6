#include "app/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "app/options.h"

int ct_proto_number(const char *s)
{
	static const struct { const char *name; int num; } names[] = {
		{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "dccp", 33 }, { "gre", 47 },
		{ "icmpv6", 58 }, { "sctp", 132 }, { "udplite", 136 },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].num;
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 0 && v <= 255 ? (int)v : -1;
}

/* getopt_long's code for table entry i: its letter, else past every char. */
static int cli_code(unsigned i)
{
	return ct_option_table[i].short_name ? ct_option_table[i].short_name : 256 + (int)i;
}

/* getopt's short string (":" first: a missing argument returns ':') and
 * its struct option array, from the table. */
static void cli_getopt_spec(char *shorts, struct option *longs)
{
	*shorts++ = ':';
	for (unsigned i = 0; i < CT_NOPTIONS; i++) {
		const struct ct_option_spec *s = &ct_option_table[i];
		if (s->short_name) {
			*shorts++ = s->short_name;
			if (s->arg)
				*shorts++ = ':';
		}
		longs[i] = (struct option){ s->long_name, s->arg ? required_argument : no_argument,
					    NULL, cli_code(i) };
	}
	*shorts = 0;
	longs[CT_NOPTIONS] = (struct option){ NULL, 0, NULL, 0 };
}

static const struct ct_option_spec *cli_option(int code)
{
	for (unsigned i = 0; i < CT_NOPTIONS; i++)
		if (cli_code(i) == code)
			return &ct_option_table[i];
	return NULL;
}

/* getopt's ':' or '?': the option as the user wrote it. optopt is the
 * option's code when it is known (a long-only one is named in full). */
static ct_status cli_bad_option(int c, char **argv, struct ct_error *err)
{
	const struct ct_option_spec *s = optopt ? cli_option(optopt) : NULL;
	if (c == ':') {
		if (s && !s->short_name)
			return ct_fail(err, CT_ERR_USAGE, "option --%s needs an argument",
				       s->long_name);
		return ct_fail(err, CT_ERR_USAGE, "option -%c needs an argument", optopt);
	}
	if (optopt && (!s || s->short_name))
		return ct_fail(err, CT_ERR_USAGE, "unknown option -%c", optopt);
	return ct_fail(err, CT_ERR_USAGE, "unknown option %s", argv[optind - 1]);
}

static ct_status cli_positional(int argc, char **argv, struct ct_options *o,
				struct ct_error *err)
{
	for (int i = optind; i < argc; i++) {
		if (o->npositional == CT_MAX_POSITIONAL)
			return ct_fail(err, CT_ERR_USAGE, "too many arguments");
		o->positional[o->npositional++] = argv[i];
	}
	return CT_OK;
}

ct_status ct_cli_parse(int argc, char **argv, struct ct_options *o,
		       struct ct_error *err)
{
	char shorts[2 + 2 * CT_NOPTIONS];
	struct option longs[CT_NOPTIONS + 1];
	cli_getopt_spec(shorts, longs);
	memset(o, 0, sizeof(*o));
	optind = 0; /* full re-initialisation (GNU) */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct ct_option_spec *s = c == ':' || c == '?' ? NULL : cli_option(c);
		if (!s)
			return cli_bad_option(c, argv, err);
		ct_status st = s->parse(o, optarg, err);
		if (st != CT_OK)
			return st;
	}
	if (o->format_set && o->json)
		return ct_fail(err, CT_ERR_USAGE, "--format and -j do not go together: -j prints "
			       "every entry in JSON already");
	return cli_positional(argc, argv, o, err);
}
