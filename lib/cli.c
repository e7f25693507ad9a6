#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

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

const char *const ct_cli_option_lines[] = {
	"  (no option)          the per-netns table and every suspect entry",
	"  -c, --confirmed      also list the entries of the confirmed hash",
	"  -u, --unconfirmed    also list the entries of the unconfirmed lists",
	"  -d, --dying          also list the entries of the dying lists",
	"  -o, --orphans        also list orphans: confirmed and alive, in no table",
	"  -a, --all            list every entry found",
	"  -s, --summary        also group the suspects by state, protocol and port,",
	"                       by source address (top 10) and by namespace",
	"  -n, --netns INUM     only entries of the namespace with this inode number",
	"  -p, --proto PROTO    only entries of this protocol (tcp, udp, icmp, 17, ...)",
	"  -j, --json           JSON instead of text (the documented contract)",
	"      --pretty         indented JSON",
	"  -m, --model          print this kernel's conntrack layout as ctleak",
	"                       resolved it from DWARF (or its build-id cache)",
	"  -D, --debug-dir DIR  also look for debug files (vmlinux, nf_conntrack.ko)",
	"                       in DIR: a usr/lib/debug tree or a flat folder;",
	"                       may be repeated",
	"      --no-cache       read DWARF even if a cached layout exists",
	"      --no-slab        do not scan the nf_conntrack slab cache (faster on",
	"                       huge dumps; entries on no list stay unaccounted)",
	"      --max-entries N  stop after N entries: a partial report, exit 1 or 2",
	"  -h, --help           this help",
	NULL,
};

ct_status ct_cli_parse(int argc, char **argv, struct ct_options *o,
		       struct ct_error *err)
{
	static const struct option longopts[] = {
		{ "model", no_argument, NULL, 'm' },
		{ "confirmed", no_argument, NULL, 'c' },
		{ "unconfirmed", no_argument, NULL, 'u' },
		{ "dying", no_argument, NULL, 'd' },
		{ "all", no_argument, NULL, 'a' },
		{ "orphans", no_argument, NULL, 'o' },
		{ "summary", no_argument, NULL, 's' },
		{ "no-slab", no_argument, NULL, 'S' },
		{ "netns", required_argument, NULL, 'n' },
		{ "proto", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "debug-dir", required_argument, NULL, 'D' },
		{ "no-cache", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "live", no_argument, NULL, 'L' },
		{ "kcore", required_argument, NULL, 'K' },
		{ "max-entries", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	memset(o, 0, sizeof(*o));
	o->proto = -1;
	optind = 0; /* full re-initialisation (GNU) */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":mcudoasn:p:jD:h", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'm': o->model = true; break;
		case 'c': o->show |= CT_SHOW_HASH; break;
		case 'u': o->show |= CT_SHOW_UNCONFIRMED; break;
		case 'd': o->show |= CT_SHOW_DYING; break;
		case 'a': o->show |= CT_SHOW_ALL & ~CT_SHOW_SUMMARY; o->orphans = true; break;
		case 'o': o->orphans = true; break;
		case 's': o->groups = true; break;
		case 'S': o->no_slab = true; break;
		case 'n': {
			unsigned long v = strtoul(optarg, &end, 0);
			if (!*optarg || *end || v > UINT32_MAX)
				return ct_fail(err, CT_ERR_USAGE,
					       "-n takes a namespace inode number, not \"%s\"", optarg);
			o->netns_filter = true;
			o->netns = (uint32_t)v;
			break;
		}
		case 'p':
			if ((o->proto = ct_proto_number(optarg)) < 0)
				return ct_fail(err, CT_ERR_USAGE, "unknown protocol \"%s\"", optarg);
			break;
		case 'j': o->json = true; break;
		case 'P': o->json = o->pretty = true; break;
		case 'C': o->no_cache = true; break;
		case 'h': o->help = true; break;
		case 'L': o->live = true; break;
		case 'K': o->live = true; o->kcore = optarg; break;
		case 'M': {
			unsigned long long v = strtoull(optarg, &end, 0);
			if (!*optarg || *end || v == 0 || *optarg == '-')
				return ct_fail(err, CT_ERR_USAGE,
					       "--max-entries takes a positive number, not \"%s\"", optarg);
			o->max_entries = v;
			break;
		}
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
