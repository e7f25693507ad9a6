/* vmcoreinfo.h — look up a key in a VMCOREINFO text ("KEY=value" lines),
 * as the kernel publishes it in dumps and in /proc/kcore's note. */
#ifndef CTLEAK_VMCOREINFO_H
#define CTLEAK_VMCOREINFO_H

#include <stdbool.h>
#include <stddef.h>

/* Copy the value of key (e.g. "KERNELOFFSET", "SYMBOL(init_uts_ns)") into
 * out; false if the key is absent or its value does not fit. */
bool ct_vmcoreinfo_get(const char *text, size_t len, const char *key, char *out,
		       size_t size);

#endif
