#include "command.h"

#include <string.h>

#include <unistd.h>

#include "elf_file.h"
#include "kmodel.h"
#include "layout.h"
#include "modcheck.h"
#include "modsyms.h"
#include "program.h"
#include "render.h"
#include "report.h"
#include "target.h"
#include "walk.h"

#define MAX_FILES 8
#define NFQ_MISSING " nor nfnetlink_queue.ko (packets waiting in NFQUEUEs are not searched)"

/* "…/vmlinux-6.1.0-56-cloud-amd64" names its release. */
static void release_from_name(const char *vmlinux, char *buf, size_t size)
{
	const char *base = strrchr(vmlinux, '/');
	base = base ? base + 1 : vmlinux;
	buf[0] = '\0';
	if (strncmp(base, "vmlinux-", 8) == 0)
		snprintf(buf, size, "%s", base + 8);
}

/* Debug files for a kernel: module debug files first (their DWARF answers
 * most questions at once), vmlinux last. Returns how many. found gets the
 * nf_conntrack debug file found ("" if none); missing says what was not
 * found ("" if nothing), for load_model to say once. */
static unsigned debug_files(const struct ct_options *o, const char *vmlinux,
			    const char *release, const char *const *modules,
			    unsigned nmodules, const char **files, char *found,
			    size_t found_size, char *missing, size_t missing_size)
{
	unsigned n = 0;
	bool have_conntrack = false;
	found[0] = missing[0] = '\0';
	for (unsigned i = 0; i < nmodules && n < MAX_FILES - 2; i++) {
		files[n++] = modules[i];
		if (strstr(modules[i], "nf_conntrack.ko"))
			have_conntrack = true;
	}
	struct ct_error err = { 0 };
	if (!have_conntrack) {
		if (ct_find_module_debug("nf_conntrack", release, o->debug_dirs, o->ndebug_dirs,
					 found, found_size, &err) == CT_OK)
			files[n++] = found;
		else
			snprintf(missing, missing_size, "%s", err.text);
	}
	/* nfnetlink_queue's types describe queued packets (who holds an
	 * entry); without them that search is skipped. */
	static char nfq[4096];
	if (n < MAX_FILES - 1 &&
	    ct_find_module_debug("nfnetlink_queue", release, o->debug_dirs, o->ndebug_dirs,
				 nfq, sizeof(nfq), &err) == CT_OK)
		files[n++] = nfq;
	else if (missing[0])
		snprintf(missing + strlen(missing), missing_size - strlen(missing), NFQ_MISSING);
	files[n++] = vmlinux;
	return n;
}

/* One line either way when nf_conntrack's debug file is missing: a note
 * when vmlinux alone describes enough, else the error naming both. */
static int load_model(const struct ct_options *o, const char *const *files,
		      unsigned nfiles, const char *missing, struct ct_layout *layout,
		      struct ct_kmodel *model, FILE *errout)
{
	char cache_dir[1024];
	struct ct_error err = { 0 };
	ct_layout_default_cache_dir(cache_dir, sizeof(cache_dir));
	if (ct_layout_load(files, nfiles, o->no_cache ? NULL : cache_dir, layout, &err) != CT_OK) {
		fprintf(errout, "ctleak: %s\n", err.text);
		return -1;
	}
	if (ct_kmodel_build(layout, model, &err) != CT_OK) {
		/* nf_conntrack is a module almost everywhere: vmlinux alone
		 * lacks its private types (nf_conntrack_net, from 5.13). */
		const char *nfq = strstr(missing, NFQ_MISSING); /* beside the point here */
		if (missing[0])
			fprintf(errout, "ctleak: %.*s, and vmlinux alone does not describe "
				"nf_conntrack (%s): pass -D DIR or name the file after VMLINUX\n",
				(int)(nfq ? (size_t)(nfq - missing) : strlen(missing)), missing,
				err.text);
		else
			fprintf(errout, "ctleak: %s\n", err.text);
		return -1;
	}
	if (missing[0])
		fprintf(errout, "ctleak: note: %s; using vmlinux alone (fine when nf_conntrack "
			"is built in)\n", missing);
	return 0;
}

int ct_command_model(const struct ct_options *o, const char *vmlinux,
		     const char *release, const char *const *modules,
		     unsigned nmodules, FILE *out, FILE *errout)
{
	const char *files[MAX_FILES];
	char found[4096], rel[128], missing[1024];
	if (!release || !*release) {
		release_from_name(vmlinux, rel, sizeof(rel));
		release = rel;
	}
	unsigned nfiles = debug_files(o, vmlinux, release, modules, nmodules, files,
				      found, sizeof(found), missing, sizeof(missing));
	struct ct_layout layout;
	struct ct_kmodel model;
	if (load_model(o, files, nfiles, missing, &layout, &model, errout))
		return 1;
	if (o->json) {
		ct_render_model_json(out, &model, &layout, o->pretty);
	} else {
		fprintf(out, "debug files:");
		for (unsigned i = 0; i < nfiles; i++)
			fprintf(out, " %s", files[i]);
		fputc('\n', out);
		ct_render_model_text(out, &model, &layout);
	}
	return 0;
}

static void warn_problem(void *arg, uint64_t addr, const char *what)
{
	ct_report_problem(arg, addr, "%s", what);
}

#define MAX_KEPT_ENTRIES 10000000

/* Is the nf_conntrack debug file the one of the module loaded in the dump?
 * Asked with vmlinux's own struct module layout, before the module's DWARF
 * is trusted for anything. 0: yes or cannot tell (noted); -1: no. */
static int check_module_debug_file(struct ct_target *t, const struct ct_layout *lv,
				   const struct ct_modsyms *ms, const char *path,
				   struct ct_report *r, FILE *errout)
{
	uint64_t mod;
	char want[129] = "", have[129] = "";
	struct ct_elf *elf;
	struct ct_error e = { 0 };
	if (ct_modsyms_module_addr(ms, "nf_conntrack", &mod) != CT_OK)
		return 0; /* built in, or not loaded: nothing to compare */
	if (ct_module_build_id(t, lv, mod, want, sizeof(want), &e) != CT_OK) {
		ct_report_problem(r, mod, "could not check %s against the loaded module: %s",
				  path, e.text);
		ct_report_incomplete(r, CT_INC_MODULE, "%s could not be checked against the "
				     "nf_conntrack module loaded in the dump: its layout is trusted "
				     "blindly", path);
		return 0;
	}
	if (ct_elf_open(path, &elf, &e) != CT_OK)
		return 0;
	ct_elf_build_id_hex(elf, have, sizeof(have));
	ct_elf_close(elf);
	if (!have[0] || strcmp(want, have) == 0)
		return 0;
	fprintf(errout, "ctleak: %s (build-id %s) is not the nf_conntrack module loaded "
		"in this dump (build-id %s)\n", path, have, want);
	return -1;
}

int ct_command_analyse(const struct ct_options *o, struct ct_program *p,
		       const char *vmlinux, const char *dump_format, FILE *out,
		       FILE *errout)
{
	struct ct_target *t = p->mem;
	const char *files[MAX_FILES];
	char found[4096];
	char cache_dir[1024];
	struct ct_error err = { 0 };
	struct ct_report r;
	ct_report_init(&r, MAX_KEPT_ENTRIES);
	snprintf(r.dump_format, sizeof(r.dump_format), "%s", dump_format ? dump_format : "");
	ct_layout_default_cache_dir(cache_dir, sizeof(cache_dir));

	/* vmlinux alone describes the running kernel's struct module: the
	 * module list is read with it. */
	struct ct_layout lv;
	struct ct_modsyms *ms = NULL;
	if (ct_layout_load(&vmlinux, 1, o->no_cache ? NULL : cache_dir, &lv, &err) != CT_OK ||
	    ct_modsyms_load(p, &lv, &ms, warn_problem, &r, &err) != CT_OK) {
		fprintf(errout, "ctleak: the module list of the dump is unreadable: %s\n", err.text);
		ct_report_free(&r);
		return CT_EXIT_FAILED;
	}
	int rc = CT_EXIT_FAILED;
	char missing[1024];
	unsigned nfiles = debug_files(o, vmlinux, t->osrelease, NULL, 0, files, found,
				      sizeof(found), missing, sizeof(missing));
	struct ct_layout layout;
	struct ct_kmodel model;
	/* (found, not nfiles > 1: nfnetlink_queue's file alone left found unset) */
	if ((found[0] && check_module_debug_file(t, &lv, ms, found, &r, errout) < 0) ||
	    load_model(o, files, nfiles, missing, &layout, &model, errout))
		goto out;

	/* The module list is one more symbol source, asked after the front
	 * end's own (crash knows module symbols itself; vmlinux does not). */
	uint64_t probe;
	if (ct_program_add_symbols(p, "modules", ct_modsyms_find, ms, &err) != CT_OK) {
		fprintf(errout, "ctleak: %s\n", err.text);
		goto out;
	}
	if (ct_program_symbol(p, "nf_conntrack_htable_size", &probe, NULL) != CT_OK) {
		/* Not found in the modules the list led to: absent only if
		 * the list was followed to its end. */
		const char *broken = ct_modsyms_broken(ms);
		if (!broken)
			fprintf(errout, "ctleak: nf_conntrack is not loaded in this kernel: there is "
				"no conntrack state to account for\n");
		else if (p->read_caveat)
			fprintf(errout, "ctleak: nf_conntrack's symbols were not found: %s; %s\n",
				broken, p->read_caveat);
		else
			fprintf(errout, "ctleak: nf_conntrack's symbols were not found: %s, and "
				"nf_conntrack may be loaded past it\n", broken);
		goto out;
	}
	struct ct_walk_opts wo = {
		.show = (o->show & ~CT_SHOW_SUMMARY) | CT_SHOW_SUSPECTS |
			(o->orphans ? CT_SHOW_ORPHANED : 0),
		.slab = !o->no_slab,
		.holders = !o->no_slab,
		.netns_filter = o->netns_filter,
		.netns = o->netns,
		.proto = o->proto,
		.progress = isatty(fileno(errout)) && (errout != out || !o->json),
		.max_entries = o->max_entries,
	};
	if (ct_walk(p, &model, &wo, &r, &err) != CT_OK) {
		fprintf(errout, "ctleak: %s\n", err.text);
		goto out;
	}
	unsigned show = wo.show | (o->groups ? CT_SHOW_GROUPS : 0);
	if (o->json)
		ct_render_report_json(out, &r, show, o->pretty);
	else
		ct_render_report_text(out, &r, show | CT_SHOW_SUMMARY);
	for (size_t i = 0; i < r.n_problems; i++) {
		fprintf(errout, "ctleak: error: %s", r.problems[i].what);
		if (r.problems[i].addr)
			fprintf(errout, " (at 0x%016llx)", (unsigned long long)r.problems[i].addr);
		fputc('\n', errout);
	}
	if (r.dropped_problems)
		fprintf(errout, "ctleak: %llu more errors not shown\n",
			(unsigned long long)r.dropped_problems);
	/* An incomplete account, or a walk cut short, cannot say that there
	 * is nothing to find. */
	rc = !ct_report_complete(&r) ? CT_EXIT_INCOMPLETE : r.suspects ? CT_EXIT_SUSPECTS :
	     r.partial ? CT_EXIT_FAILED : CT_EXIT_CLEAN;
out:
	ct_symbols_remove(&p->syms, ms);
	ct_modsyms_free(ms);
	ct_report_free(&r);
	return rc;
}
