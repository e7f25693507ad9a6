/* fuzz_btf.c — libFuzzer target: the BTF finder (lib/types/types_btf.c) on
 * hostile blobs. Input: a 4-byte little-endian split offset s, then the
 * payload; the payload's first s bytes are vmlinux's BTF and the rest a
 * module's split BTF on it (s 0 or beyond the payload: vmlinux alone).
 * Every question of the layout table is asked (ct_layout_resolve), with and
 * without CT_BTF_MODULES_ONLY, and the identity is computed.
 * Must never crash, hang or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/layout.h"
#include "types/types.h"

static void ask_all(const struct ct_btf_blob *b, unsigned n, unsigned flags)
{
	struct ct_types *t;
	struct ct_error err = { 0 };
	if (ct_types_new(&t, &err))
		return;
	if (ct_types_add_btf(t, b, n, flags, &err) == CT_OK) {
		struct ct_layout l;
		ct_layout_resolve(t, &l, &err);
		uint64_t size;
		struct ct_member m;
		ct_types_sizeof(t, "nf_conn", &size, &err);
		ct_types_member(t, "nf_conn.tuplehash[1].tuple.dst.dir", &m, &err);
		struct ct_types_stats s;
		ct_types_get_stats(t, &s);
	}
	ct_types_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	uint32_t s;
	memcpy(&s, data, 4);
	data += 4;
	size -= 4;
	/* Copies of exactly the blob's size, so that ASan sees every overread. */
	struct ct_btf_blob b[2];
	memset(b, 0, sizeof(b));
	unsigned n = s > 0 && s < size ? 2 : 1;
	size_t first = n == 2 ? s : size;
	snprintf(b[0].name, sizeof(b[0].name), "vmlinux");
	snprintf(b[1].name, sizeof(b[1].name), "nf_conntrack");
	b[0].data = malloc(first);
	b[0].size = first;
	memcpy(b[0].data, data, first);
	if (n == 2) {
		b[1].size = size - first;
		b[1].data = malloc(b[1].size);
		memcpy(b[1].data, data + first, b[1].size);
	}
	ask_all(b, n, 0);
	if (n == 2)
		ask_all(b, n, CT_BTF_MODULES_ONLY);
	char hex[65];
	ct_btf_identity(b, n, hex, sizeof(hex));
	ct_btf_blob_free(&b[0]);
	ct_btf_blob_free(&b[1]);
	return 0;
}
