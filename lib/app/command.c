#include "app/command.h"

#include <stdarg.h>
#include <string.h>

#include <unistd.h>

#include "base/elf_file.h"
#include "kernel/btf_mem.h"
#include "kernel/kmodel.h"
#include "kernel/layout.h"
#include "kernel/modcheck.h"
#include "kernel/modsyms.h"
#include "kernel/program.h"
#include "report/render.h"
#include "report/report.h"
#include "target/target.h"
#include "walk/walk.h"

#define MAX_FILES 8
#define NFQ_MISSING " nor nfnetlink_queue.ko (packets waiting in NFQUEUEs are not searched)"
#define NFQ_MISSING_BTF "; nor for nfnetlink_queue (packets waiting in NFQUEUEs are not searched)"

/* The length of a "missing" sentence before what it says of nfnetlink_queue. */
static int before_nfq(const char *missing)
{
	const char *a = strstr(missing, NFQ_MISSING), *b = strstr(missing, NFQ_MISSING_BTF);
	const char *end = a && (!b || a < b) ? a : b;
	return (int)(end ? (size_t)(end - missing) : strlen(missing));
}

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

/* Where a run's words go. Text mode as ever: notes before the report and
 * problems after it, as lines on errout; a fatal sentence alone. Under -j
 * the document carries all of them (the report's "notes" and "errors", or
 * an error document), and the lines go to errout only when it is a stream
 * of its own (the twin's stderr), never when it is the output stream
 * (crash's fp): there nothing but the document may reach it. */
#define DIAG_TEXT 8192

struct diag {
	const struct ct_options *o;
	FILE *out, *errout;
	FILE *lines;            /* the human lines; NULL: the document says it all */
	struct ct_report *r;    /* notes and problems; NULL before any report */
	bool failed;
	ct_status status;       /* the fatal error, once failed */
	uint64_t addr;
	char what[DIAG_TEXT];
};

static void diag_init(struct diag *d, const struct ct_options *o, FILE *out, FILE *errout,
		      struct ct_report *r)
{
	d->o = o;
	d->out = out;
	d->errout = errout;
	d->lines = o->json && errout == out ? NULL : errout;
	d->r = r;
	d->failed = false;
	d->status = CT_OK;
	d->addr = 0;
	d->what[0] = '\0';
}

/* The run failed: the first reason is the one said (by diag_finish). */
static int diag_fail(struct diag *d, ct_status st, uint64_t addr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int diag_fail(struct diag *d, ct_status st, uint64_t addr, const char *fmt, ...)
{
	va_list ap;
	if (d->failed)
		return CT_EXIT_FAILED;
	va_start(ap, fmt);
	vsnprintf(d->what, sizeof(d->what), fmt, ap);
	va_end(ap);
	d->failed = true;
	d->status = st;
	d->addr = addr;
	return CT_EXIT_FAILED;
}

static void diag_note(struct diag *d, ct_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void diag_note(struct diag *d, ct_status st, const char *fmt, ...)
{
	char buf[DIAG_TEXT];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (d->lines)
		fprintf(d->lines, "ctleak: note: %s\n", buf);
	if (d->r)
		ct_report_note(d->r, st, "%s", buf);
}

/* After the report: every problem met, one line each. */
static void diag_problems(const struct diag *d)
{
	const struct ct_report *r = d->r;
	if (!d->lines)
		return;
	for (size_t i = 0; i < r->n_problems; i++) {
		fprintf(d->lines, "ctleak: error: %s", r->problems[i].what);
		if (r->problems[i].addr)
			fprintf(d->lines, " (at 0x%016llx)", (unsigned long long)r->problems[i].addr);
		fputc('\n', d->lines);
	}
	if (r->dropped_problems)
		fprintf(d->lines, "ctleak: %llu more errors not shown\n",
			(unsigned long long)r->dropped_problems);
}

/* A failed run says why: its sentence, and under -j its error document. */
static int diag_finish(const struct diag *d, int rc)
{
	if (!d->failed)
		return rc;
	if (d->lines)
		fprintf(d->lines, "ctleak: %s\n", d->what);
	if (d->o->json)
		ct_render_error_json(d->out, d->r, d->status, d->addr, d->what, d->o->pretty);
	return rc;
}

int ct_command_fail(const struct ct_options *o, const struct ct_error *err, FILE *out,
		    FILE *errout)
{
	struct diag d;
	diag_init(&d, o, out, errout, NULL);
	diag_fail(&d, err->status, err->addr, "%s", err->text);
	return diag_finish(&d, CT_EXIT_FAILED);
}

/* One line either way when nf_conntrack's debug file is missing: a note
 * when vmlinux alone describes enough, else the error naming both. */
static int load_model(const struct ct_options *o, const struct ct_type_sources *src,
		      const char *missing, const char *release, struct ct_layout *layout,
		      struct ct_kmodel *model, struct diag *d)
{
	char cache_dir[1024];
	struct ct_error err = { 0 };
	ct_layout_default_cache_dir(cache_dir, sizeof(cache_dir));
	if (ct_layout_load_sources(src, o->no_cache ? NULL : cache_dir, layout, &err) != CT_OK) {
		diag_fail(d, err.status, err.addr, "%s", err.text);
		return -1;
	}
	if (ct_kmodel_build(layout, model, &err) != CT_OK) {
		/* nf_conntrack is a module almost everywhere: vmlinux alone
		 * lacks its private types (nf_conntrack_net, from 5.13). */
		if (missing[0]) /* (nfnetlink_queue is beside the point here) */
			diag_fail(d, CT_ERR_NOTFOUND, 0, "%.*s, and vmlinux alone does not describe "
				  "nf_conntrack (%s): nf_conntrack.ko's debug file would (package "
				  "linux-image-%s-dbg; pass -D DIR)", before_nfq(missing), missing,
				  err.text, release && *release ? release : "RELEASE");
		else
			diag_fail(d, err.status, err.addr, "%s", err.text);
		return -1;
	}
	if (missing[0])
		diag_note(d, CT_ERR_NOTFOUND, "%s; using vmlinux alone (fine when nf_conntrack "
			  "is built in)%s", missing, model->tstamp.usable ? "" :
			  ": entry ages are unknown without the module's types");
	return 0;
}

/* -m --types btf: the files' own .BTF sections, vmlinux's first (it is
 * the base the modules' split BTF continues). */
static int model_btf_sources(const char *const *files, unsigned nfiles,
			     struct ct_btf_blob *blobs, unsigned *nblobs, struct diag *d)
{
	struct ct_error err = { 0 };
	*nblobs = 0;
	for (unsigned i = 0; i < nfiles; i++) {
		unsigned from = (i + nfiles - 1) % nfiles; /* vmlinux, then the modules */
		if (ct_btf_blob_from_elf(files[from], &blobs[*nblobs], &err) != CT_OK) {
			if (from == nfiles - 1 || err.status != CT_ERR_NOTFOUND)
				return diag_fail(d, err.status, 0, "%s", err.text);
			continue; /* a module without BTF: its types are not there */
		}
		(*nblobs)++;
	}
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
	struct ct_btf_blob blobs[MAX_FILES];
	struct ct_type_sources src = { .files = files, .nfiles = nfiles, .btf = blobs };
	struct ct_layout layout;
	struct ct_kmodel model;
	struct ct_report notes;
	struct diag d;
	int rc = 0;
	ct_report_init(&notes, 0);
	diag_init(&d, o, out, errout, &notes);
	if (o->types == CT_TYPES_BTF) {
		rc = model_btf_sources(files, nfiles, blobs, &src.nbtf, &d);
		src.nfiles = 0;
		missing[0] = '\0';
	}
	if (rc || load_model(o, &src, missing, release, &layout, &model, &d)) {
		rc = diag_finish(&d, 1);
	} else if (o->json) {
		ct_render_model_json(out, &model, &layout, &notes, o->pretty);
	} else {
		fprintf(out, "%s:", src.nbtf ? "BTF of" : "debug files");
		for (unsigned i = 0; i < nfiles; i++)
			fprintf(out, " %s", files[i]);
		fputc('\n', out);
		ct_render_model_text(out, &model, &layout);
	}
	for (unsigned i = 0; i < src.nbtf; i++)
		ct_btf_blob_free(&blobs[i]);
	ct_report_free(&notes);
	return rc ? 1 : 0;
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
				   struct ct_report *r, struct diag *d)
{
	uint64_t mod;
	char want[129] = "", have[129] = "";
	struct ct_elf *elf;
	struct ct_error e = { 0 };
	if (ct_modsyms_module_addr(ms, "nf_conntrack", &mod) != CT_OK)
		return 0; /* built in, or not loaded: nothing to compare */
	if (ct_module_build_id(t, lv, mod, want, sizeof(want), &e) != CT_OK) {
		ct_report_error(r, e.status, mod, "could not check %s against the loaded module: %s",
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
	diag_fail(d, CT_ERR_MISMATCH, 0, "%s (build-id %s) is not the nf_conntrack module loaded "
		  "in this dump (build-id %s)", path, have, want);
	return -1;
}

/* Where one analysis takes its types from: DWARF files, the kernel's BTF
 * blobs (vmlinux's, then modules'), or both. */
struct types_plan {
	const char *files[MAX_FILES];
	unsigned nfiles;
	struct ct_btf_blob btf[3];  /* vmlinux, nf_conntrack, nfnetlink_queue */
	unsigned nbtf;
	unsigned btf_flags;
	char found[4096];           /* nf_conntrack's debug file; "" if none */
	char missing[1024];         /* what was not found, for load_model */
	/* nf_conntrack's BTF there but unusable (corrupt, left out of the
	 * dump): said as such, never papered over by vmlinux alone. */
	ct_status module_btf_status;
	uint64_t module_btf_addr;
	char module_btf_why[sizeof(((struct ct_error *)0)->text)];
};

static void plan_free(struct types_plan *tp)
{
	for (unsigned i = 0; i < tp->nbtf; i++)
		ct_btf_blob_free(&tp->btf[i]);
	tp->nbtf = 0;
}

static struct ct_type_sources plan_sources(const struct types_plan *tp)
{
	return (struct ct_type_sources){ tp->files, tp->nfiles, tp->btf, tp->nbtf,
					 tp->btf_flags };
}

/* One BTF blob of the kernel ("vmlinux" or a module's): from the files
 * the running kernel shows, or from memory (lv: vmlinux's layout). */
static ct_status kernel_btf(const struct ct_analysis_input *in, const struct ct_program *p,
			    const struct ct_layout *lv, const char *name,
			    struct ct_btf_blob *out, struct ct_error *err)
{
	if (in->btf_dir)
		return ct_btf_read_file(in->btf_dir, name, out, err);
	if (strcmp(name, "vmlinux") == 0)
		return ct_btf_read_vmlinux(p, out, err);
	return ct_btf_read_module(p, lv, name, out, err);
}

static void append(char *buf, size_t size, const char *fmt, const char *text)
{
	size_t len = strlen(buf);
	snprintf(buf + len, size - len, fmt, text);
}

/* vmlinux's own layout (struct module, struct btf), which the module list
 * and the modules' BTF are read with: from vmlinux's DWARF, or from the
 * kernel's BTF (then tp->btf[0]). */
static int vmlinux_layout(struct diag *d, const struct ct_analysis_input *in,
			  const struct ct_program *p, bool btf, struct types_plan *tp,
			  struct ct_layout *lv)
{
	char cache_dir[1024];
	struct ct_error err = { 0 };
	struct ct_type_sources src = { .files = &in->vmlinux, .nfiles = 1 };
	ct_layout_default_cache_dir(cache_dir, sizeof(cache_dir));
	if (btf) {
		if (kernel_btf(in, p, NULL, "vmlinux", &tp->btf[0], &err) != CT_OK) {
			if (in->no_vmlinux)
				return diag_fail(d, err.status, err.addr, "%s; and the kernel's own "
						 "types cannot stand in: %s", in->no_vmlinux, err.text);
			return diag_fail(d, err.status, err.addr, "%s", err.text);
		}
		tp->nbtf = 1;
		src = (struct ct_type_sources){ .btf = tp->btf, .nbtf = 1 };
	}
	if (ct_layout_load_sources(&src, d->o->no_cache ? NULL : cache_dir, lv, &err) != CT_OK)
		return diag_fail(d, err.status, err.addr, "%s%s", btf ? "the kernel's BTF: " : "",
				 err.text);
	return 0;
}

/* The modules' BTF after vmlinux's (tp->btf[0]); nf_conntrack's missing
 * goes into tp->missing, nfnetlink_queue's only with it (as for DWARF). */
static void modules_btf(const struct ct_analysis_input *in, const struct ct_program *p,
			const struct ct_layout *lv, bool with_nfq, struct types_plan *tp)
{
	static const char *const mods[] = { "nf_conntrack", "nfnetlink_queue" };
	for (unsigned i = 0; i < (with_nfq ? 2u : 1u); i++) {
		struct ct_error e = { 0 };
		if (kernel_btf(in, p, lv, mods[i], &tp->btf[tp->nbtf], &e) == CT_OK) {
			tp->nbtf++;
		} else if (i == 0) {
			snprintf(tp->missing, sizeof(tp->missing), "%s", e.text);
			if (e.status != CT_ERR_NOTFOUND) {
				tp->module_btf_status = e.status;
				tp->module_btf_addr = e.addr;
				snprintf(tp->module_btf_why, sizeof(tp->module_btf_why), "%s", e.text);
			}
		}
		else if (tp->missing[0])
			append(tp->missing, sizeof(tp->missing), "%s", NFQ_MISSING_BTF);
	}
}

/* DWARF: vmlinux and the module debug files; where nf_conntrack's is
 * missing, its BTF from the kernel answers for it beside vmlinux's DWARF
 * (unless --types dwarf). */
static void plan_dwarf(const struct ct_options *o, const struct ct_analysis_input *in,
		       const struct ct_program *p, const struct ct_layout *lv,
		       struct types_plan *tp)
{
	tp->nfiles = debug_files(o, in->vmlinux, p->mem->osrelease, NULL, 0, tp->files,
				 tp->found, sizeof(tp->found), tp->missing, sizeof(tp->missing));
	if (!tp->missing[0] || o->types == CT_TYPES_DWARF)
		return;
	char was[440], why[440];
	struct ct_error e = { 0 };
	bool nfq_missing = strstr(tp->missing, NFQ_MISSING) != NULL;
	snprintf(was, sizeof(was), "%.*s", before_nfq(tp->missing), tp->missing);
	if (kernel_btf(in, p, NULL, "vmlinux", &tp->btf[0], &e) != CT_OK) {
		snprintf(why, sizeof(why), "%.*s", (int)sizeof(why) - 1, e.text);
	} else {
		tp->nbtf = 1;
		tp->missing[0] = '\0';
		/* files is [nfnetlink_queue's,] vmlinux: nfnetlink_queue's BTF
		 * only when its debug file is missing too. */
		modules_btf(in, p, lv, tp->nfiles == 1, tp);
		if (tp->nbtf > 1) {
			tp->btf_flags = CT_BTF_MODULES_ONLY;
			return;
		}
		snprintf(why, sizeof(why), "%.*s", before_nfq(tp->missing), tp->missing);
		plan_free(tp);
	}
	snprintf(tp->missing, sizeof(tp->missing), "%s, and its BTF cannot stand in (%s)%s",
		 was, why, nfq_missing ? NFQ_MISSING : "");
}

/* Are nf_conntrack's symbols known? Not found in the modules the list led
 * to, it is absent only if the list was followed to its end. */
static bool conntrack_symbols(struct diag *d, const struct ct_program *p,
			      const struct ct_modsyms *ms)
{
	uint64_t probe;
	if (ct_program_symbol(p, "nf_conntrack_htable_size", &probe, NULL) == CT_OK)
		return true;
	const char *broken = ct_modsyms_broken(ms);
	if (!broken)
		diag_fail(d, CT_ERR_NOTFOUND, 0, "nf_conntrack is not loaded in this kernel: "
			  "there is no conntrack state to account for");
	else if (p->read_caveat)
		diag_fail(d, CT_ERR_CORRUPT, 0, "nf_conntrack's symbols were not found: %s; %s",
			  broken, p->read_caveat);
	else
		diag_fail(d, CT_ERR_CORRUPT, 0, "nf_conntrack's symbols were not found: %s, and "
			  "nf_conntrack may be loaded past it", broken);
	return false;
}

/* What the command line asks to keep and list (report.h). */
static struct ct_filter filter_of(const struct ct_options *o)
{
	struct ct_filter f = o->filter;
	f.show = ct_filter_default().show | (o->show & ~CT_SHOW_SUMMARY) |
		 (o->orphans ? CT_SHOW_ORPHANED : 0) | (o->groups ? CT_SHOW_GROUPS : 0);
	return f;
}

/* -n naming no namespace of the dump: a wrong use, said instead of a
 * table that would list nothing of it. */
static int unknown_netns(struct diag *d, const struct ct_filter *f)
{
	char missing[256], known[256];
	unsigned n = ct_filter_unknown_netns(f, d->r, missing, sizeof(missing));
	if (!n)
		return 0;
	size_t len = 0, i;
	known[0] = '\0';
	for (i = 0; i < d->r->n_netns && len + 16 < sizeof(known); i++)
		len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%u", i ? ", " : "",
					d->r->netns[i].inum);
	if (i < d->r->n_netns) /* more than fit */
		snprintf(known + len, sizeof(known) - len, ", ...");
	/* A namespace in teardown is off net_namespace_list: only the slab
	 * scan meets it. */
	bool scanned = d->r->slab.scanned && !d->r->partial;
	return diag_fail(d, CT_ERR_USAGE, 0, "-n %s: no namespace of %s has th%s inode "
			 "number%s (its namespaces: %s%s)", missing, d->r->live ? "this kernel" :
			 "this dump", n == 1 ? "is" : "ese", n == 1 ? "" : "s", known,
			 scanned ? "" : "; those being torn down are found by the slab scan only, "
			 "which did not run");
}

/* Matches that keep nothing say so (text: one line on the error stream;
 * JSON: "filter"."none_matched"). */
static void none_matched(const struct diag *d, const struct ct_filter *f)
{
	char what[600];
	if (!d->lines || !ct_filter_has_matches(f) || ct_filter_count(f, d->r))
		return;
	ct_filter_none_sentence(f, what, sizeof(what));
	fprintf(d->lines, "ctleak: %s\n", what);
}

static void render(const struct diag *d, const struct ct_filter *f)
{
	const struct ct_options *o = d->o;
	if (o->json)
		ct_render_report_json(d->out, d->r, f, o->pretty);
	else if (o->format == CT_FORMAT_TEXT)
		ct_render_report_text(d->out, d->r, f);
	else
		ct_render_report_lines(d->out, d->errout, d->r, f, o->format);
}

/* The walk and the report, once the model and the symbols are there. */
static int walk_and_print(struct diag *d, struct ct_program *p, const struct ct_kmodel *model)
{
	const struct ct_options *o = d->o;
	struct ct_report *r = d->r;
	struct ct_error err = { 0 };
	struct ct_walk_opts wo = {
		.filter = filter_of(o),
		.slab = !o->no_slab,
		.holders = !o->no_slab,
		.progress = isatty(fileno(d->errout)) && (d->errout != d->out || !o->json),
		.max_entries = o->max_entries,
	};
	if (ct_walk(p, model, &wo, r, &err) != CT_OK)
		return diag_fail(d, err.status, err.addr, "%s", err.text);
	if (unknown_netns(d, &wo.filter))
		return CT_EXIT_FAILED;
	render(d, &wo.filter);
	none_matched(d, &wo.filter);
	diag_problems(d);
	/* An incomplete account, or a walk cut short, cannot say that there
	 * is nothing to find. */
	return !ct_report_complete(r) ? CT_EXIT_INCOMPLETE : r->suspects ? CT_EXIT_SUSPECTS :
	       r->partial ? CT_EXIT_FAILED : CT_EXIT_CLEAN;
}

int ct_command_analyse(const struct ct_options *o, struct ct_program *p,
		       const struct ct_analysis_input *in, FILE *out, FILE *errout)
{
	struct ct_error err = { 0 };
	struct ct_report r;
	struct diag d;
	struct types_plan tp = { .nfiles = 0 };
	ct_report_init(&r, MAX_KEPT_ENTRIES);
	diag_init(&d, o, out, errout, &r);
	snprintf(r.dump_format, sizeof(r.dump_format), "%s",
		 in->dump_format ? in->dump_format : "");

	int rc = CT_EXIT_FAILED;
	/* No debug vmlinux, or --types btf: the kernel's own BTF. */
	bool btf = !in->vmlinux || o->types == CT_TYPES_BTF;
	struct ct_layout lv;
	struct ct_modsyms *ms = NULL;
	if (vmlinux_layout(&d, in, p, btf, &tp, &lv))
		goto out;
	if (ct_modsyms_load(p, &lv, &ms, warn_problem, &r, &err) != CT_OK) {
		diag_fail(&d, err.status, err.addr, "the module list of the dump is unreadable: %s",
			  err.text);
		goto out;
	}
	if (btf)
		modules_btf(in, p, &lv, true, &tp);
	else
		plan_dwarf(o, in, p, &lv, &tp);
	if (tp.module_btf_status) {
		diag_fail(&d, tp.module_btf_status, tp.module_btf_addr, "nf_conntrack's BTF in the "
			  "kernel's memory is unusable: %s; nf_conntrack.ko's debug file would do "
			  "(package linux-image-%s-dbg; pass -D DIR)", tp.module_btf_why,
			  p->mem->osrelease[0] ? p->mem->osrelease : "RELEASE");
		goto out;
	}
	struct ct_layout layout;
	struct ct_kmodel model;
	struct ct_type_sources src = plan_sources(&tp);
	/* (found, not nfiles > 1: nfnetlink_queue's file alone left found unset) */
	if ((tp.found[0] && check_module_debug_file(p->mem, &lv, ms, tp.found, &r, &d) < 0) ||
	    load_model(o, &src, tp.missing, p->mem->osrelease, &layout, &model, &d))
		goto out;
	snprintf(r.types_from, sizeof(r.types_from), "%s", layout.origin);

	/* The module list is one more symbol source, asked after the front
	 * end's own (crash knows module symbols itself; vmlinux does not). */
	if (ct_program_add_symbols(p, "modules", ct_modsyms_find, ms, &err) != CT_OK) {
		diag_fail(&d, err.status, 0, "%s", err.text);
		goto out;
	}
	if (conntrack_symbols(&d, p, ms))
		rc = walk_and_print(&d, p, &model);
out:
	ct_symbols_remove(&p->syms, ms);
	ct_modsyms_free(ms);
	plan_free(&tp);
	rc = diag_finish(&d, rc);
	ct_report_free(&r);
	return rc;
}
