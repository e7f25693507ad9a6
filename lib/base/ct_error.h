/* ct_error.h — status codes and the one error record every fallible call fills.
 *
 * A dump is hostile input: a read can miss because the page is not in the dump
 * (CT_ERR_FAULT) or because the address itself is nonsense (CT_ERR_BADADDR).
 * Callers decide per case whether to skip and go on or to stop; this file only
 * carries the verdict and one human sentence.
 */
#ifndef CTLEAK_CT_ERROR_H
#define CTLEAK_CT_ERROR_H

#include <stdint.h>

typedef enum ct_status {
	CT_OK = 0,
	CT_ERR_FAULT,       /* address is valid kernel memory but not in the dump */
	CT_ERR_BADADDR,     /* address is not mapped / not canonical */
	CT_ERR_NOTFOUND,    /* symbol, type, member or file does not exist */
	CT_ERR_CORRUPT,     /* data read, but it makes no sense */
	CT_ERR_IO,          /* the host failed us: open, read, mmap */
	CT_ERR_NOMEM,
	CT_ERR_UNSUPPORTED, /* a layout or format ctleak does not handle */
	CT_ERR_USAGE,       /* the caller asked something malformed */
	CT_ERR_MISMATCH,    /* debug file and dump do not belong together */
	CT_ERR_PERM,        /* the system refused access (no root, lockdown) */
	CT_ERR_LIMIT,       /* a bound ctleak keeps was reached (--max-entries, a cap) */
} ct_status;

struct ct_error {
	ct_status status;
	uint64_t addr;      /* the faulting address, for FAULT/BADADDR */
	char text[512];
};

/* The human words for st, as sentences embed them ("not in dump"). */
const char *ct_status_name(ct_status st);
/* The stable name of st, for scripts (JSON "code"): "ok", "fault" (memory
 * the dump left out), "badaddr" (no such mapping), "notfound", "corrupt",
 * "io", "nomem", "unsupported", "usage", "mismatch", "perm", "limit".
 * Names are only ever added (README, "JSON output"). */
const char *ct_status_code(ct_status st);

/* Record status and a formatted sentence in err (which may be NULL);
 * returns st so that `return ct_fail(err, ...)` reads naturally. */
ct_status ct_fail(struct ct_error *err, ct_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like ct_fail, also recording the address a read failed at. */
ct_status ct_fail_at(struct ct_error *err, ct_status st, uint64_t addr,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

void ct_error_clear(struct ct_error *err);

#endif
