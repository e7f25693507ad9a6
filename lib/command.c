#include "command.h"

#include <string.h>

#include "kmodel.h"
#include "layout.h"
#include "render.h"

#define MAX_FILES 8

/* "…/vmlinux-6.1.0-56-cloud-amd64" names its release. */
static void release_from_name(const char *vmlinux, char *buf, size_t size)
{
	const char *base = strrchr(vmlinux, '/');
	base = base ? base + 1 : vmlinux;
	buf[0] = '\0';
	if (strncmp(base, "vmlinux-", 8) == 0)
		snprintf(buf, size, "%s", base + 8);
}

int ct_command_model(const struct ct_options *o, const char *vmlinux,
		     const char *release, const char *const *modules,
		     unsigned nmodules, FILE *out, FILE *errout)
{
	const char *files[MAX_FILES];
	unsigned nfiles = 0;
	char found[4096], rel[128];
	struct ct_error err = { 0 };

	if (nmodules > MAX_FILES - 2) {
		fprintf(errout, "ctleak: at most %d module debug files\n", MAX_FILES - 2);
		return 1;
	}
	if (!release || !*release) {
		release_from_name(vmlinux, rel, sizeof(rel));
		release = rel;
	}
	/* Modules first: most questions are answered without scanning vmlinux. */
	for (unsigned i = 0; i < nmodules; i++)
		files[nfiles++] = modules[i];
	bool have_conntrack = false;
	for (unsigned i = 0; i < nmodules; i++)
		if (strstr(modules[i], "nf_conntrack.ko"))
			have_conntrack = true;
	if (!have_conntrack &&
	    ct_find_module_debug("nf_conntrack", release, o->debug_dirs,
				 o->ndebug_dirs, found, sizeof(found), &err) == CT_OK)
		files[nfiles++] = found;
	else if (!have_conntrack)
		fprintf(errout, "ctleak: note: %s; using vmlinux alone "
			"(fine when nf_conntrack is built in)\n", err.text);
	files[nfiles++] = vmlinux;

	char cache_dir[1024];
	ct_layout_default_cache_dir(cache_dir, sizeof(cache_dir));
	struct ct_layout layout;
	struct ct_kmodel model;
	if (ct_layout_load(files, nfiles, o->no_cache ? NULL : cache_dir, &layout,
			   &err) != CT_OK) {
		fprintf(errout, "ctleak: %s\n", err.text);
		return 1;
	}
	if (ct_kmodel_build(&layout, &model, &err) != CT_OK) {
		/* nf_conntrack is a module almost everywhere: vmlinux alone
		 * lacks its private types (nf_conntrack_net, from 5.13). */
		fprintf(errout, "ctleak: %s%s\n", err.text,
			nfiles == 1 ? "; nf_conntrack's debug file was not found: "
				      "name it after VMLINUX or pass -D DIR" : "");
		return 1;
	}
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
