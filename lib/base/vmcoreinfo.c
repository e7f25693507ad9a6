#include "base/vmcoreinfo.h"

#include <string.h>

bool ct_vmcoreinfo_get(const char *text, size_t len, const char *key, char *out,
		       size_t size)
{
	size_t klen = strlen(key);
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		if ((size_t)(eol - p) > klen && memcmp(p, key, klen) == 0 && p[klen] == '=') {
			const char *v = p + klen + 1;
			size_t n = (size_t)(eol - v);
			if (n >= size || memchr(v, '\0', n))
				return false;
			memcpy(out, v, n);
			out[n] = '\0';
			return true;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}
