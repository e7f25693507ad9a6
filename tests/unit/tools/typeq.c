/* typeq — ask the type finders (types.h) questions from the command line.
 *   typeq FILE... -- sizeof:TYPE | member:PATH | enum:NAME ...
 * One answer line per question, in the form the truth programs print, so
 * that tests can diff resolver answers against the compiler's. */
#include <stdio.h>
#include <string.h>

#include "types/types.h"

int main(int argc, char **argv)
{
	struct ct_types *t;
	struct ct_error err = { 0 };
	int i = 1, bad = 0;
	if (ct_types_new(&t, &err))
		return 2;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (ct_types_add_file(t, argv[i], &err)) {
			fprintf(stderr, "typeq: %s\n", err.text);
			ct_types_free(t);
			return 2;
		}
	for (i++; i < argc; i++) {
		const char *q = argv[i];
		ct_status st;
		if (strncmp(q, "sizeof:", 7) == 0) {
			uint64_t size;
			st = ct_types_sizeof(t, q + 7, &size, &err);
			if (!st)
				printf("sizeof %s %llu\n", q + 7,
				       (unsigned long long)size);
		} else if (strncmp(q, "member:", 7) == 0) {
			struct ct_member m;
			st = ct_types_member(t, q + 7, &m, &err);
			if (!st && m.bit_size)
				printf("bitfield %s %llu %u %u\n", q + 7,
				       (unsigned long long)m.offset,
				       m.bit_offset, m.bit_size);
			else if (!st)
				printf("offset %s %llu size %llu type %s\n", q + 7,
				       (unsigned long long)m.offset,
				       (unsigned long long)m.size, m.type_name);
		} else if (strncmp(q, "enum:", 5) == 0) {
			int64_t v;
			st = ct_types_enum_value(t, q + 5, &v, &err);
			if (!st)
				printf("enum %s %lld\n", q + 5, (long long)v);
		} else {
			fprintf(stderr, "typeq: bad question %s\n", q);
			bad = 1;
			continue;
		}
		if (st == CT_ERR_NOTFOUND)
			printf("absent %s\n", strchr(q, ':') + 1);
		else if (st) {
			fprintf(stderr, "typeq: %s\n", err.text);
			bad = 1;
		}
	}
	struct ct_types_stats s;
	ct_types_get_stats(t, &s);
	fprintf(stderr, "typeq: %u files, %u CUs scanned, %lu names indexed, %u relocation sections hidden\n",
		s.files, s.cus_scanned, s.dies_indexed, s.hidden_sections);
	ct_types_free(t);
	return bad;
}
