/* proc_kallsyms.c — /proc/kallsyms as a symbol table (proc_kallsyms.h). */
#include "symbols/proc_kallsyms.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"

/* One line: address, type letter, name[, \t[module]]. 1 added, 0 skipped
 * (not a symbol line), or the error. */
static int add_line(struct ct_strmap *s, const char *line, uint64_t *nonzero,
		    struct ct_error *err)
{
	char name[512], type;
	uint64_t addr;
	if (sscanf(line, "%" SCNx64 " %c %511s", &addr, &type, name) != 3)
		return 0;
	if (addr)
		(*nonzero)++;
	if (ct_strmap_add(s, name, strlen(name), (struct ct_strmap_value){ addr, 0 }) < 0)
		return -(int)ct_fail(err, CT_ERR_NOMEM, "out of memory");
	return 1;
}

ct_status ct_proc_kallsyms_load(const char *path, struct ct_strmap **out,
				struct ct_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return ct_fail(err, errno == ENOENT ? CT_ERR_NOTFOUND : CT_ERR_PERM,
			       "cannot read %s: %s", path, strerror(errno));
	struct ct_strmap *s = ct_strmap_new();
	char line[1024];
	uint64_t lines = 0, nonzero = 0;
	ct_status st = s ? CT_OK : ct_fail(err, CT_ERR_NOMEM, "out of memory");
	while (st == CT_OK && fgets(line, sizeof(line), f)) {
		if (++lines > CT_PROC_KALLSYMS_MAX_LINES) {
			st = ct_fail(err, CT_ERR_LIMIT, "%s has over %u lines", path,
				     CT_PROC_KALLSYMS_MAX_LINES);
			break;
		}
		int rc = add_line(s, line, &nonzero, err);
		if (rc < 0)
			st = (ct_status)-rc;
	}
	fclose(f);
	if (st == CT_OK && nonzero == 0)
		st = ct_fail(err, CT_ERR_PERM, "%s shows no addresses (only root sees them; "
			     "kernel.kptr_restrict)", path);
	if (st) {
		ct_strmap_free(s);
		return st;
	}
	*out = s;
	return CT_OK;
}

ct_status ct_proc_kallsyms_find(void *arg, const char *name, uint64_t *addr,
				struct ct_error *err)
{
	const struct ct_strmap_value *v = ct_strmap_get(arg, name, strlen(name));
	if (!v)
		return ct_fail(err, CT_ERR_NOTFOUND, "no symbol %s in kallsyms", name);
	*addr = v->a;
	return CT_OK;
}

void ct_proc_kallsyms_free(struct ct_strmap *m)
{
	ct_strmap_free(m);
}
