/* render.h — text and JSON views of a report and of the kernel model.
 * Renderers only format what walkers collected; the JSON shapes are the
 * contract documented in README.md ("JSON output"). */
#ifndef CTLEAK_RENDER_H
#define CTLEAK_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "kmodel.h"
#include "layout.h"
#include "report.h"

#define CT_JSON_SCHEMA 1

enum {
	CT_SHOW_SUMMARY = 1u << 0,
	CT_SHOW_HASH = 1u << 1,        /* -c */
	CT_SHOW_UNCONFIRMED = 1u << 2, /* -u */
	CT_SHOW_DYING = 1u << 3,       /* -d: dying and ecache dying lists */
	CT_SHOW_SLAB = 1u << 4,        /* entries found only in the slab */
	CT_SHOW_ALL = 0x1f,            /* -a */
	CT_SHOW_GROUPS = 1u << 10,     /* -s: suspects grouped */
};

/* Does an entry belong to what was asked to be shown? */
bool ct_show_entry(unsigned show, const struct ct_entry *e);

/* The per-netns table and the entries selected by show. */
void ct_render_report_text(FILE *out, const struct ct_report *r, unsigned show);
void ct_render_report_json(FILE *out, const struct ct_report *r, unsigned show,
			   bool pretty);

/* The kernel's conntrack layout as ctleak understood it (--model). */
void ct_render_model_text(FILE *out, const struct ct_kmodel *m,
			  const struct ct_layout *l);
void ct_render_model_json(FILE *out, const struct ct_kmodel *m,
			  const struct ct_layout *l, bool pretty);

#endif
