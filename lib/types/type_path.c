#include "types/type_path.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

/* Copy an identifier starting at *s into out; advance *s. */
static int take_ident(const char **s, char *out)
{
	size_t n = 0;
	while (is_ident((unsigned char)(*s)[n]))
		n++;
	if (n == 0 || n >= CT_NAME_MAX || isdigit((unsigned char)**s))
		return -1;
	memcpy(out, *s, n);
	out[n] = '\0';
	*s += n;
	return 0;
}

ct_status ct_path_parse(const char *text, struct ct_path *p,
			struct ct_error *err)
{
	const char *s = text;
	memset(p, 0, sizeof(*p));
	if (strncmp(s, "struct ", 7) == 0) {
		p->root_kind = CT_ROOT_STRUCT;
		s += 7;
	} else if (strncmp(s, "union ", 6) == 0) {
		p->root_kind = CT_ROOT_UNION;
		s += 6;
	}
	if (take_ident(&s, p->root) != 0)
		return ct_fail(err, CT_ERR_USAGE, "bad type name in \"%s\"", text);
	while (*s) {
		if (p->nsteps == CT_PATH_MAX_STEPS)
			return ct_fail(err, CT_ERR_USAGE, "path \"%s\" is too deep",
				       text);
		struct ct_path_step *st = &p->steps[p->nsteps];
		if (*s == '.') {
			s++;
			if (take_ident(&s, st->name) != 0)
				return ct_fail(err, CT_ERR_USAGE,
					       "bad member name in \"%s\"", text);
		} else if (*s == '[') {
			char *end;
			s++;
			if (!isdigit((unsigned char)*s))
				return ct_fail(err, CT_ERR_USAGE,
					       "bad index in \"%s\"", text);
			st->index = strtoull(s, &end, 10);
			if (*end != ']')
				return ct_fail(err, CT_ERR_USAGE,
					       "unclosed index in \"%s\"", text);
			st->is_index = 1;
			s = end + 1;
		} else {
			return ct_fail(err, CT_ERR_USAGE,
				       "unexpected '%c' in \"%s\"", *s, text);
		}
		p->nsteps++;
	}
	return CT_OK;
}
