/* debugfind.h — locate debug files: vmlinux and module .ko files.
 *
 * Searched, in order: each -D DIR (a usr/lib/debug tree, the root above one,
 * or a flat folder), then the system's /usr/lib/debug. With a known kernel
 * release, paths that carry it are preferred; a flat folder is searched
 * recursively (bounded depth and entry count) for the module's file name.
 */
#ifndef CTLEAK_DEBUGFIND_H
#define CTLEAK_DEBUGFIND_H

#include <stddef.h>

#include "base/ct_error.h"

#define CT_MAX_DEBUG_DIRS 16

ct_status ct_find_vmlinux(const char *release, const char *const *dirs,
			  unsigned ndirs, char *out, size_t size,
			  struct ct_error *err);
/* module is "nf_conntrack"; finds nf_conntrack.ko or nf_conntrack.ko.debug. */
ct_status ct_find_module_debug(const char *module, const char *release,
			       const char *const *dirs, unsigned ndirs,
			       char *out, size_t size, struct ct_error *err);

#endif
