#include "cli.h"

#include <getopt.h>
#include <string.h>

const char *const ct_cli_option_lines[] = {
	"  -m, --model          print this kernel's conntrack layout as ctleak",
	"                       resolved it from DWARF (or its build-id cache)",
	"  -j, --json           JSON instead of text (the documented schema)",
	"  -p, --pretty         indented JSON",
	"  -D, --debug-dir DIR  also look for debug files (vmlinux, nf_conntrack.ko)",
	"                       in DIR: a usr/lib/debug tree or a flat folder;",
	"                       may be repeated",
	"      --no-cache       read DWARF even if a cached layout exists",
	"  -h, --help           this help",
	NULL,
};

ct_status ct_cli_parse(int argc, char **argv, struct ct_options *o,
		       struct ct_error *err)
{
	static const struct option longopts[] = {
		{ "model", no_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "debug-dir", required_argument, NULL, 'D' },
		{ "no-cache", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	memset(o, 0, sizeof(*o));
	optind = 0; /* full re-initialisation (GNU) */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+:mjpD:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': o->model = true; break;
		case 'j': o->json = true; break;
		case 'p': o->json = o->pretty = true; break;
		case 'C': o->no_cache = true; break;
		case 'h': o->help = true; break;
		case 'D':
			if (o->ndebug_dirs == CT_MAX_DEBUG_DIRS)
				return ct_fail(err, CT_ERR_USAGE,
					       "at most %d -D folders", CT_MAX_DEBUG_DIRS);
			o->debug_dirs[o->ndebug_dirs++] = optarg;
			break;
		case ':':
			return ct_fail(err, CT_ERR_USAGE, "option -%c needs an argument",
				       optopt);
		default:
			if (optopt)
				return ct_fail(err, CT_ERR_USAGE, "unknown option -%c",
					       optopt);
			return ct_fail(err, CT_ERR_USAGE, "unknown option %s",
				       argv[optind - 1]);
		}
	}
	for (int i = optind; i < argc; i++) {
		if (o->npositional == CT_MAX_POSITIONAL)
			return ct_fail(err, CT_ERR_USAGE, "too many arguments");
		o->positional[o->npositional++] = argv[i];
	}
	return CT_OK;
}
