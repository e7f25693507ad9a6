/* type_path.h — parse a member path: "nf_conn.tuplehash[1].tuple.dst.dir".
 * The root is a type name ("struct " / "union " prefix optional); each step is
 * a member name or an array index. */
#ifndef CTLEAK_TYPE_PATH_H
#define CTLEAK_TYPE_PATH_H

#include <stdint.h>

#include "base/ct_error.h"

#define CT_PATH_MAX_STEPS 16
#define CT_NAME_MAX 64

enum ct_path_root_kind { CT_ROOT_ANY, CT_ROOT_STRUCT, CT_ROOT_UNION };

struct ct_path_step {
	int is_index;
	uint64_t index;
	char name[CT_NAME_MAX];
};

struct ct_path {
	enum ct_path_root_kind root_kind;
	char root[CT_NAME_MAX];
	unsigned nsteps;
	struct ct_path_step steps[CT_PATH_MAX_STEPS];
};

ct_status ct_path_parse(const char *text, struct ct_path *p,
			struct ct_error *err);

#endif
