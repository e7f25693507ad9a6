/* filter_args.h — the command line's filter matches (-n, -p, --src, --dst,
 * --sport, --dport, --state, --zone, --mark) parsed into the report's one
 * filter (report.h, struct ct_filter): each call adds one value, and a bad
 * value or one too many is one sentence (CT_ERR_USAGE). */
#ifndef CTLEAK_FILTER_ARGS_H
#define CTLEAK_FILTER_ARGS_H

#include "base/ct_error.h"
#include "report/report.h"

/* "4026532118", "0xf0000098", or "net:[4026532118]" (readlink's form). */
ct_status ct_filter_add_netns(struct ct_filter *f, const char *arg, struct ct_error *err);
/* "tcp", "17", ... (ct_proto_number). */
ct_status ct_filter_add_proto(struct ct_filter *f, const char *arg, struct ct_error *err);
/* IPv4 or IPv6 ADDR, or ADDR/PREFIX; dst: --dst, else --src. */
ct_status ct_filter_add_addr(struct ct_filter *f, bool dst, const char *arg,
			     struct ct_error *err);
/* 0-65535; dst: --dport, else --sport. */
ct_status ct_filter_add_port(struct ct_filter *f, bool dst, const char *arg,
			     struct ct_error *err);
/* A TCP state name as /proc/net/nf_conntrack prints it, any case. */
ct_status ct_filter_add_state(struct ct_filter *f, const char *arg, struct ct_error *err);
/* 0-65535. */
ct_status ct_filter_add_zone(struct ct_filter *f, const char *arg, struct ct_error *err);
/* N or N/MASK (conntrack's --mark), decimal or 0x hexadecimal. */
ct_status ct_filter_add_mark(struct ct_filter *f, const char *arg, struct ct_error *err);

#endif
