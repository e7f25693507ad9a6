#include "report/ct_format.h"

#include <inttypes.h>

#define CT_AF_INET 2
#define CT_AF_INET6 10

const char *ct_l3proto_name(unsigned l3num)
{
	switch (l3num) {
	case CT_AF_INET: return "ipv4";
	case CT_AF_INET6: return "ipv6";
	}
	return "unknown";
}

const char *ct_l4proto_name(unsigned protonum)
{
	switch (protonum) {
	case 6: return "tcp";
	case 17: return "udp";
	case 33: return "dccp";
	case 1: return "icmp";
	case 132: return "sctp";
	case 58: return "icmpv6";
	case 136: return "udplite";
	case 47: return "gre";
	}
	return "unknown";
}

const char *ct_tcp_state_name(unsigned s)
{
	/* tcp_conntrack_names[] (nf_conntrack_proto_tcp.c), the same since 2.6 */
	static const char *const names[] = {
		"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
		"CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2",
	};
	return s < sizeof(names) / sizeof(*names) ? names[s] : NULL;
}

/* a.b.c.d without printf: a million entries in JSON print four each. */
static void format_ipv4(const uint8_t a[4], char *buf, size_t size)
{
	char tmp[16];
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];
		if (v >= 100)
			tmp[n++] = (char)('0' + v / 100);
		if (v >= 10)
			tmp[n++] = (char)('0' + v / 10 % 10);
		tmp[n++] = (char)('0' + v % 10);
		tmp[n++] = i < 3 ? '.' : '\0';
	}
	snprintf(buf, size, "%s", tmp);
}

void ct_format_addr(unsigned l3num, const uint8_t a[16], char *buf,
		    size_t size)
{
	if (l3num == CT_AF_INET6)
		snprintf(buf, size,
			 "%02x%02x:%02x%02x:%02x%02x:%02x%02x:"
			 "%02x%02x:%02x%02x:%02x%02x:%02x%02x",
			 a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
			 a[9], a[10], a[11], a[12], a[13], a[14], a[15]);
	else
		format_ipv4(a, buf, size);
}

static unsigned be16(const uint8_t b[2])
{
	return (unsigned)b[0] << 8 | b[1];
}

void ct_format_tuple(FILE *out, const struct ct_tuple *t)
{
	char src[48], dst[48];
	ct_format_addr(t->l3num, t->src, src, sizeof(src));
	ct_format_addr(t->l3num, t->dst, dst, sizeof(dst));
	if (t->l3num == CT_AF_INET || t->l3num == CT_AF_INET6)
		fprintf(out, "src=%s dst=%s ", src, dst);
	switch (t->protonum) {
	case 1:
	case 58: /* icmp, icmpv6: dst.u.icmp is {type, code}, src.u.icmp.id */
		fprintf(out, "type=%u code=%u id=%u ", t->dst_u[0], t->dst_u[1],
			be16(t->src_u));
		break;
	case 6:
	case 17:
	case 33:
	case 132:
	case 136:
		fprintf(out, "sport=%u dport=%u ", be16(t->src_u), be16(t->dst_u));
		break;
	case 47:
		fprintf(out, "srckey=0x%x dstkey=0x%x ", be16(t->src_u),
			be16(t->dst_u));
		break;
	default:
		break;
	}
}

void ct_format_proc_fields(FILE *out, const struct ct_entry *e)
{
	fprintf(out, "%-8s %u %-8s %u ", ct_l3proto_name(e->orig.l3num),
		e->orig.l3num, ct_l4proto_name(e->orig.protonum),
		e->orig.protonum);
	if (!(e->flags & CT_F_OFFLOAD))
		fprintf(out, "%" PRId64 " ",
			e->timeout_known && e->timeout_secs > 0 ? e->timeout_secs : 0);
	if (e->l4state[0])
		fprintf(out, "%s ", e->l4state);
	ct_format_tuple(out, &e->orig);
	if (!(e->flags & CT_F_SEEN_REPLY))
		fputs("[UNREPLIED] ", out);
	ct_format_tuple(out, &e->reply);
	if (e->flags & CT_F_HW_OFFLOAD)
		fputs("[HW_OFFLOAD] ", out);
	else if (e->flags & CT_F_OFFLOAD)
		fputs("[OFFLOAD] ", out);
	else if (e->flags & CT_F_ASSURED)
		fputs("[ASSURED] ", out);
	fprintf(out, "mark=%u zone=%u use=%u", e->mark, e->zone, e->use);
}

void ct_format_proc_line(FILE *out, const struct ct_entry *e)
{
	ct_format_proc_fields(out, e);
	fputc('\n', out);
}
