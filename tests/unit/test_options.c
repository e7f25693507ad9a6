/* test_options.c MANPAGE CTLEAK — the option table (lib/app/options.h) against
 * what is made from it and what is written about it: every option parses by
 * both its names and sets something; ctleak(1)'s OPTIONS section documents
 * every option with its argument name and no option the table lacks;
 * `CTLEAK --help` ends with the table's lines; crash's lines and synopsis
 * leave out what only the standalone program takes. */
#include <stdlib.h>

#include "app/cli.h"
#include "harness.h"
#include "app/options.h"

#define MAX_MAN 64

struct man_option {
	char short_name;
	char long_name[32];
	char arg[16];
	bool matched;
};

/* A valid argument for each argument name the table uses. */
static const char *sample_arg(const char *name)
{
	static const char *const samples[][2] = {
		{ "INUM", "4026531992" }, { "PROTO", "udp" }, { "DIR", "/tmp" },
		{ "N", "10" }, { "FILE", "/proc/kcore" }, { "SOURCE", "btf" },
		{ "ADDR", "10.0.0.1" }, { "PORT", "53" }, { "STATE", "ESTABLISHED" },
		{ "ZONE", "1" }, { "MARK", "0x10/0xff" }, { "FORMAT", "proc" },
	};
	for (size_t i = 0; i < sizeof(samples) / sizeof(*samples); i++)
		if (strcmp(name, samples[i][0]) == 0)
			return samples[i][1];
	return NULL;
}

static void check_table(void)
{
	for (unsigned i = 0; i < CT_NOPTIONS; i++) {
		const struct ct_option_spec *s = &ct_option_table[i];
		CHECK(s->long_name && s->parse && s->help[0] && s->fronts,
		      "table entry %u is complete", i);
		if (!s->long_name)
			continue;
		for (unsigned j = 0; j < i; j++) {
			CHECK(strcmp(s->long_name, ct_option_table[j].long_name) != 0,
			      "--%s twice", s->long_name);
			CHECK(!s->short_name || s->short_name != ct_option_table[j].short_name,
			      "-%c twice", s->short_name);
		}
		CHECK(!s->arg || sample_arg(s->arg), "--%s: no sample argument for %s in this test",
		      s->long_name, s->arg);
	}
}

/* Parses "ctleak NAME [ARG]"; true when it parsed and set something. */
static bool parses(const char *name, const char *arg, struct ct_error *err)
{
	char *argv[] = { "ctleak", (char *)name, (char *)arg, NULL };
	struct ct_options none, o;
	char *bare[] = { "ctleak", NULL };
	if (ct_cli_parse(1, bare, &none, err) != CT_OK ||
	    ct_cli_parse(arg ? 3 : 2, argv, &o, err) != CT_OK)
		return false;
	return memcmp(&none, &o, sizeof(o)) != 0;
}

static void check_parse(void)
{
	struct ct_error err = { 0 };
	for (unsigned i = 0; i < CT_NOPTIONS; i++) {
		const struct ct_option_spec *s = &ct_option_table[i];
		const char *arg = s->arg ? sample_arg(s->arg) : NULL;
		if (s->arg && !arg)
			continue;
		char name[40];
		snprintf(name, sizeof(name), "--%s", s->long_name);
		CHECK(parses(name, arg, &err), "%s parses and sets something (%s)", name, err.text);
		if (!s->short_name)
			continue;
		snprintf(name, sizeof(name), "-%c", s->short_name);
		CHECK(parses(name, arg, &err), "%s parses and sets something (%s)", name, err.text);
	}
	/* -n and -p repeated: every value kept (once only the last was). */
	char *rep[] = { "ctleak", "-n", "4026531840", "-n", "net:[4026532118]", "-p", "tcp",
			"-p", "udp", "--dport", "53", "--dport", "80", "--format", "csv", NULL };
	struct ct_options ro;
	CHECK(ct_cli_parse(15, rep, &ro, &err) == CT_OK, "repeated filters parse: %s", err.text);
	CHECK(ro.filter.n_netns == 2 && ro.filter.netns[0] == 4026531840u &&
	      ro.filter.netns[1] == 4026532118u, "-n A -n B keeps both");
	CHECK(ro.filter.n_proto == 2 && ro.filter.proto[0] == 6 && ro.filter.proto[1] == 17,
	      "-p tcp -p udp keeps both");
	CHECK(ro.filter.n_dport == 2 && ro.format == CT_FORMAT_CSV && ro.format_set && !ro.json,
	      "--dport twice, --format csv");
	char *fj[] = { "ctleak", "--format", "proc", "-j", NULL };
	ct_error_clear(&err);
	CHECK(ct_cli_parse(4, fj, &ro, &err) == CT_ERR_USAGE, "--format with -j");
	CHECK_STR(err.text, "--format and -j do not go together: -j prints every entry in JSON "
		  "already", "its sentence");
	/* A long-only option is named as the user wrote it. */
	char *argv[] = { "ctleak", "--max-entries", NULL };
	struct ct_options o;
	ct_error_clear(&err);
	CHECK(ct_cli_parse(2, argv, &o, &err) == CT_ERR_USAGE, "--max-entries without N");
	CHECK_STR(err.text, "option --max-entries needs an argument", "its sentence");
}

/* ".BR \-n ", " \-\-netns " \fIINUM\fP"" -> -n, --netns, INUM. */
static bool man_tag(const char *line, struct man_option *m)
{
	char plain[256];
	size_t n = 0;
	const char *p = strchr(line, ' '); /* past the macro */
	for (p = p ? p : ""; *p && n + 1 < sizeof(plain); p++) {
		if (p[0] == '\\' && p[1] == 'f' && p[2]) {
			p += 2; /* a font change */
		} else if (p[0] == '\\' && p[1] == '-') {
			plain[n++] = '-';
			p++;
		} else {
			plain[n++] = *p == '"' || *p == ',' ? ' ' : *p;
		}
	}
	plain[n] = 0;
	memset(m, 0, sizeof(*m));
	for (char *t = strtok(plain, " \t"); t; t = strtok(NULL, " \t")) {
		if (strncmp(t, "--", 2) == 0)
			snprintf(m->long_name, sizeof(m->long_name), "%s", t + 2);
		else if (t[0] == '-' && t[1] && !t[2])
			m->short_name = t[1];
		else
			snprintf(m->arg, sizeof(m->arg), "%s", t);
	}
	return m->long_name[0] || m->short_name;
}

/* The options ctleak(1) documents: the tags of OPTIONS' .TP paragraphs. */
static unsigned man_options(const char *path, struct man_option *m, unsigned max)
{
	FILE *f = fopen(path, "r");
	CHECK(f != NULL, "cannot open %s", path);
	if (!f)
		return 0;
	char line[512];
	unsigned n = 0;
	bool in = false, tag = false;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (strncmp(line, ".SH", 3) == 0)
			in = strcmp(line, ".SH OPTIONS") == 0;
		else if (in && tag && n < max && man_tag(line, &m[n]))
			n++;
		tag = in && strcmp(line, ".TP") == 0;
	}
	fclose(f);
	return n;
}

static void check_man(const char *path)
{
	struct man_option m[MAX_MAN];
	unsigned n = man_options(path, m, MAX_MAN);
	CHECK(n >= CT_NOPTIONS / 2, "%s: only %u options found in OPTIONS", path, n);
	for (unsigned i = 0; i < CT_NOPTIONS; i++) {
		const struct ct_option_spec *s = &ct_option_table[i];
		struct man_option *found = NULL;
		for (unsigned j = 0; j < n && !found; j++)
			if (strcmp(m[j].long_name, s->long_name) == 0)
				found = &m[j];
		CHECK(found, "ctleak(1) does not document --%s", s->long_name);
		if (!found)
			continue;
		found->matched = true;
		CHECK(found->short_name == s->short_name, "ctleak(1): --%s's short name '%c', table '%c'",
		      s->long_name, found->short_name ? found->short_name : ' ',
		      s->short_name ? s->short_name : ' ');
		CHECK_STR(found->arg, s->arg ? s->arg : "", s->long_name);
	}
	for (unsigned j = 0; j < n; j++)
		CHECK(m[j].matched, "ctleak(1) documents %c%c --%s, which the table lacks",
		      m[j].short_name ? '-' : ' ', m[j].short_name ? m[j].short_name : ' ',
		      m[j].long_name);
}

struct lines {
	char text[128][512];
	unsigned n;
};

static void collect(const char *line, void *ctx)
{
	struct lines *l = ctx;
	CHECK(strlen(line) <= 80, "help line over 80 columns: %s", line);
	if (l->n < 128)
		snprintf(l->text[l->n++], sizeof(l->text[0]), "%s", line);
}

/* CTLEAK --help ends with exactly the standalone lines of the table. */
static void check_help(const char *ctleak)
{
	static struct lines want, got;
	ct_options_help(CT_FRONT_STANDALONE, collect, &want);
	char cmd[4096], line[512];
	snprintf(cmd, sizeof(cmd), "'%s' --help", ctleak);
	FILE *p = popen(cmd, "r");
	CHECK(p != NULL, "cannot run %s", cmd);
	bool options = false;
	while (p && fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = 0;
		if (options && got.n < 128)
			snprintf(got.text[got.n++], sizeof(got.text[0]), "%s", line);
		options = options || strcmp(line, "options:") == 0;
	}
	CHECK(p && pclose(p) == 0, "%s exits with 0", cmd);
	CHECK_EQ_U64(got.n, want.n, "--help: option lines");
	for (unsigned i = 0; i < got.n && i < want.n; i++)
		CHECK_STR(got.text[i], want.text[i], "--help line");
	for (unsigned i = 0; i < CT_NOPTIONS; i++) {
		char name[40];
		ct_option_name(&ct_option_table[i], name, sizeof(name));
		bool listed = false;
		for (unsigned j = 0; j < got.n; j++)
			listed = listed || (strncmp(got.text[j], name, strlen(name)) == 0 &&
					    got.text[j][strlen(name)] == ' ');
		CHECK(listed, "--help does not list %s", name + strspn(name, " "));
	}
}

/* crash's help and synopsis: every option but the standalone ones. */
static void check_crash(void)
{
	static struct lines l;
	char synopsis[512];
	ct_options_help(CT_FRONT_CRASH, collect, &l);
	CHECK(ct_options_synopsis(CT_FRONT_CRASH, synopsis, sizeof(synopsis)), "synopsis fits");
	CHECK(!ct_options_synopsis(CT_FRONT_CRASH, synopsis, 20), "a short buffer is refused");
	ct_options_synopsis(CT_FRONT_CRASH, synopsis, sizeof(synopsis));
	CHECK(strstr(synopsis, "[-D DIR]...") && strstr(synopsis, "[--max-entries N]") &&
	      strncmp(synopsis, "[-c] [-u]", 9) == 0, "synopsis: %s", synopsis);
	for (unsigned i = 0; i < CT_NOPTIONS; i++) {
		const struct ct_option_spec *s = &ct_option_table[i];
		char name[40], syn[40];
		ct_option_name(s, name, sizeof(name));
		snprintf(syn, sizeof(syn), "[--%s", s->long_name);
		bool listed = false;
		for (unsigned j = 0; j < l.n; j++)
			listed = listed || strncmp(l.text[j], name, strlen(name)) == 0;
		bool want = s->fronts & CT_FRONT_CRASH;
		CHECK(listed == want, "crash's help %s %s", want ? "lacks" : "lists",
		      name + strspn(name, " "));
		if (!s->short_name)
			CHECK(!!strstr(synopsis, syn) == want, "crash's synopsis and --%s",
			      s->long_name);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: test_options MANPAGE CTLEAK\n");
		return 2;
	}
	check_table();
	check_parse();
	check_man(argv[1]);
	check_help(argv[2]);
	check_crash();
	return harness_done("options");
}
