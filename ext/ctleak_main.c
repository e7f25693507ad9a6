/* ctleak_main.c — the standalone ctleak program.
 *
 * A thin adapter: it parses the shared options (lib/cli.c) and hands the
 * work to lib/command.c, exactly as the crash command does.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "command.h"

static void usage(FILE *out)
{
	fputs("usage: ctleak -m [OPTIONS] VMLINUX [MODULE_DEBUG_FILE...]\n"
	      "\n"
	      "Show where the netfilter conntrack state of a Linux kernel lives,\n"
	      "resolved from its DWARF debug files. VMLINUX is the debug vmlinux\n"
	      "(e.g. /usr/lib/debug/boot/vmlinux-$(uname -r)); the nf_conntrack\n"
	      "module's debug file is found next to it or under -D folders.\n"
	      "\n"
	      "This version resolves and prints the layout only (-m); walking a\n"
	      "vmcore or /proc/kcore is not part of it yet.\n"
	      "\n"
	      "options:\n", out);
	for (const char *const *l = ct_cli_option_lines; *l; l++)
		fprintf(out, "%s\n", *l);
}

int main(int argc, char **argv)
{
	struct ct_options o;
	struct ct_error err = { 0 };
	if (ct_cli_parse(argc, argv, &o, &err) != CT_OK) {
		fprintf(stderr, "ctleak: %s (see ctleak --help)\n", err.text);
		return 2;
	}
	if (o.help) {
		usage(stdout);
		return 0;
	}
	if (!o.model) {
		fprintf(stderr, "ctleak: only -m (--model) is available in this "
			"version; see ctleak --help\n");
		return 2;
	}
	if (o.npositional < 1) {
		fprintf(stderr, "ctleak: -m needs VMLINUX (see ctleak --help)\n");
		return 2;
	}
	return ct_command_model(&o, o.positional[0], NULL, o.positional + 1,
				o.npositional - 1, stdout, stderr);
}
