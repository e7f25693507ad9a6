/* modcheck.h — does a module debug file belong to the module in the dump?
 *
 * A loaded module keeps its ELF notes in memory and exports them in
 * /sys/module/M/notes: mod->notes_attrs->attrs[] are bin_attributes named
 * after the note sections, their `private` pointing at the note bytes. The
 * GNU build-id note there must equal the debug file's. (srcversion would do
 * where the kernel fills it; Debian builds leave it empty.)
 */
#ifndef CTLEAK_MODCHECK_H
#define CTLEAK_MODCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/layout.h"
#include "target/target.h"

/* The build-id of the loaded module at mod, as lower-case hex. */
ct_status ct_module_build_id(struct ct_target *t, const struct ct_layout *l,
			     uint64_t mod, char *hex, size_t size,
			     struct ct_error *err);

#endif
