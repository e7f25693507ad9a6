/* render.h — text and JSON views of a report and of the kernel model.
 * Renderers only format what walkers collected; the JSON shapes are the
 * contract documented in README.md ("JSON output"). */
#ifndef CTLEAK_RENDER_H
#define CTLEAK_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "kernel/kmodel.h"
#include "kernel/layout.h"
#include "report/report.h"

#define CT_JSON_SCHEMA 1

/* The per-netns table and the entries f keeps (ct_filter_keeps: the same
 * answer the walk gave when it kept them); f->show & CT_SHOW_GROUPS adds
 * the suspects grouped. */
void ct_render_report_text(FILE *out, const struct ct_report *r, const struct ct_filter *f);
void ct_render_report_json(FILE *out, const struct ct_report *r, const struct ct_filter *f,
			   bool pretty);
/* A run that failed: one JSON document, {"schema", "complete": false,
 * "error": {code, what, address}, "errors", "errors_dropped", "notes"}, with
 * what r (may be NULL) collected before the failure; addr 0: no address. */
void ct_render_error_json(FILE *out, const struct ct_report *r, ct_status st, uint64_t addr,
			  const char *what, bool pretty);

/* The kernel's conntrack layout as ctleak understood it (--model). */
void ct_render_model_text(FILE *out, const struct ct_kmodel *m,
			  const struct ct_layout *l);
/* notes: r->notes of a report (may be NULL), as "notes" in the document. */
void ct_render_model_json(FILE *out, const struct ct_kmodel *m,
			  const struct ct_layout *l, const struct ct_report *notes,
			  bool pretty);

#endif
