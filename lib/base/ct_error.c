#include "base/ct_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *ct_status_name(ct_status st)
{
	switch (st) {
	case CT_OK: return "ok";
	case CT_ERR_FAULT: return "not in dump";
	case CT_ERR_BADADDR: return "bad address";
	case CT_ERR_NOTFOUND: return "not found";
	case CT_ERR_CORRUPT: return "corrupt data";
	case CT_ERR_IO: return "I/O error";
	case CT_ERR_NOMEM: return "out of memory";
	case CT_ERR_UNSUPPORTED: return "unsupported";
	case CT_ERR_USAGE: return "usage error";
	case CT_ERR_MISMATCH: return "mismatch";
	case CT_ERR_PERM: return "permission denied";
	case CT_ERR_LIMIT: return "limit reached";
	}
	return "unknown status";
}

const char *ct_status_code(ct_status st)
{
	switch (st) {
	case CT_OK: return "ok";
	case CT_ERR_FAULT: return "fault";
	case CT_ERR_BADADDR: return "badaddr";
	case CT_ERR_NOTFOUND: return "notfound";
	case CT_ERR_CORRUPT: return "corrupt";
	case CT_ERR_IO: return "io";
	case CT_ERR_NOMEM: return "nomem";
	case CT_ERR_UNSUPPORTED: return "unsupported";
	case CT_ERR_USAGE: return "usage";
	case CT_ERR_MISMATCH: return "mismatch";
	case CT_ERR_PERM: return "perm";
	case CT_ERR_LIMIT: return "limit";
	}
	return "unknown";
}

static ct_status vfail(struct ct_error *err, ct_status st, uint64_t addr,
		       const char *fmt, va_list ap)
{
	if (err) {
		err->status = st;
		err->addr = addr;
		vsnprintf(err->text, sizeof(err->text), fmt, ap);
	}
	return st;
}

ct_status ct_fail(struct ct_error *err, ct_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, st, 0, fmt, ap);
	va_end(ap);
	return st;
}

ct_status ct_fail_at(struct ct_error *err, ct_status st, uint64_t addr,
		     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, st, addr, fmt, ap);
	va_end(ap);
	return st;
}

void ct_error_clear(struct ct_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}
