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

/* --format: how the listed entries are printed. */
enum ct_list_format {
	CT_FORMAT_TEXT = 0, /* the text report (ct_render_report_text) */
	CT_FORMAT_PROC,     /* one /proc/net/nf_conntrack-like line per entry */
	CT_FORMAT_CSV,      /* a header line, then one CSV record per entry */
};

/* The per-netns table and the entries f keeps (ct_filter_keeps: the same
 * answer the walk gave when it kept them); f->show & CT_SHOW_GROUPS adds
 * the suspects grouped. */
void ct_render_report_text(FILE *out, const struct ct_report *r, const struct ct_filter *f);
/* With f's matches (ct_filter_has_matches) the document has "filter":
 * {"options", "listed", "none_matched"}. */
void ct_render_report_json(FILE *out, const struct ct_report *r, const struct ct_filter *f,
			   bool pretty);
/* --format proc or csv: the listed entries on out, one per line (csv: its
 * header line first); everything else the text report says (verdict,
 * header, table, totals, groups) on comments, each line prefixed "# ". */
void ct_render_report_lines(FILE *out, FILE *comments, const struct ct_report *r,
			    const struct ct_filter *f, enum ct_list_format format);
/* The text report's part before its entries (verdict, header, table, the
 * suspects line, groups), as ct_render_report_text prints it. */
void ct_render_report_text_head(FILE *out, const struct ct_report *r, const struct ct_filter *f);
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
