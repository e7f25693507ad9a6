/* ct_format.h — conntrack entries printed the way /proc/net/nf_conntrack
 * prints them (net/netfilter/nf_conntrack_standalone.c, ct_seq_show in 6.1),
 * so that support engineers can grep and diff ctleak output against it. */
#ifndef CTLEAK_CT_FORMAT_H
#define CTLEAK_CT_FORMAT_H

#include <stddef.h>
#include <stdio.h>

#include "report/report.h"

const char *ct_l3proto_name(unsigned l3num);
const char *ct_l4proto_name(unsigned protonum);
/* The name /proc/net/nf_conntrack prints for TCP state s (enum
 * tcp_conntrack: "ESTABLISHED" for 3), NULL past the last (SYN_SENT2). */
const char *ct_tcp_state_name(unsigned s);
/* "10.0.0.1" or the uncompressed IPv6 form of %pI6. */
void ct_format_addr(unsigned l3num, const uint8_t addr[16], char *buf,
		    size_t size);
/* "src=… dst=… sport=… dport=… " (with the trailing space, as the kernel). */
void ct_format_tuple(FILE *out, const struct ct_tuple *t);
/* One /proc/net/nf_conntrack line, newline included; _fields: without it. */
void ct_format_proc_fields(FILE *out, const struct ct_entry *e);
void ct_format_proc_line(FILE *out, const struct ct_entry *e);

#endif
