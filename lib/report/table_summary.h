/* table_summary.h — what fills the table (-s): every entry the walk meets,
 * not only the suspects, counted by protocol and destination port, by
 * destination, by source, by connection state, zone, mark and namespace,
 * without keeping the entries (a few words per distinct key). The first
 * question of a "table full" case: which peer or service took the slots.
 *
 * Each dimension holds at most CT_TALLY_MAX_KEYS distinct keys: entries of
 * keys past that are counted as untracked and said so, never dropped
 * silently. Nothing here reads a dump.
 */
#ifndef CTLEAK_TABLE_SUMMARY_H
#define CTLEAK_TABLE_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/u64map.h"
#include "base/vec.h"
#include "report/report.h"

#define CT_TALLY_MAX_KEYS (1u << 20)
#define CT_TABLE_TOP 10

enum ct_table_dim {
	CT_DIM_PROTO_PORT,  /* "udp dport 53", "icmp type 8", "gre" */
	CT_DIM_DST,         /* original direction's destination address */
	CT_DIM_SRC,
	CT_DIM_STATE,       /* "tcp ESTABLISHED", "udp UNREPLIED", "udp ASSURED" */
	CT_DIM_ZONE,
	CT_DIM_MARK,
	CT_DIM_NETNS,
	CT_DIM_N
};

/* A key as two words and a tag, exact (addresses are 16 bytes). */
struct ct_tally_row {
	uint64_t k0, k1;
	uint32_t tag;
	uint64_t count;
};

struct ct_tally {
	struct ct_u64map index;  /* hash of the key -> row index */
	struct ct_vec rows;      /* struct ct_tally_row */
	uint64_t untracked;      /* entries whose key found no room */
};

struct ct_table_summary {
	uint64_t entries;        /* every entry added */
	struct ct_tally dim[CT_DIM_N];
};

void ct_table_summary_init(struct ct_table_summary *s);
void ct_table_summary_free(struct ct_table_summary *s);
void ct_table_summary_add(struct ct_table_summary *s, const struct ct_entry *e);
/* The n biggest rows of d, biggest first (ties by key), into out; how many. */
size_t ct_table_summary_top(const struct ct_table_summary *s, enum ct_table_dim d,
			    struct ct_tally_row *out, size_t n);
/* A row's key as the text and JSON print it. */
void ct_table_key(enum ct_table_dim d, const struct ct_tally_row *row, char *buf, size_t size);
/* "by_proto_port", ... (JSON), and the text's column title. */
const char *ct_table_dim_name(enum ct_table_dim d);
const char *ct_table_dim_title(enum ct_table_dim d);

void ct_table_summary_text(FILE *out, const struct ct_table_summary *s);
struct ct_json;
void ct_table_summary_json(struct ct_json *j, const struct ct_table_summary *s);

#endif
