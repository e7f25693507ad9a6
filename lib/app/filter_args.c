#include "app/filter_args.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "report/ct_format.h"

#define AF_INET_NUM 2
#define AF_INET6_NUM 10

/* Room for one more value of opt (n values so far)? */
static ct_status room(unsigned n, const char *opt, struct ct_error *err)
{
	if (n < CT_FILTER_MAX)
		return CT_OK;
	return ct_fail(err, CT_ERR_USAGE, "at most %d %s values", CT_FILTER_MAX, opt);
}

/* A whole unsigned number up to max: decimal, or with base 0 also 0x
 * hexadecimal (and leading-0 octal, as strtoul reads it). */
static bool number_base(const char *s, int base, unsigned long long max, unsigned long long *v)
{
	char *end;
	if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return false;
	*v = strtoull(s, &end, base);
	return !*end && *v <= max;
}

static bool number(const char *s, unsigned long long max, unsigned long long *v)
{
	return number_base(s, 0, max, v);
}

static bool decimal(const char *s, unsigned long long max, unsigned long long *v)
{
	return number_base(s, 10, max, v);
}

ct_status ct_filter_add_netns(struct ct_filter *f, const char *arg, struct ct_error *err)
{
	char inner[32];
	const char *num = arg;
	unsigned long long v;
	size_t len = strlen(arg);
	/* readlink /proc/PID/ns/net says net:[4026532118] */
	if (strncmp(arg, "net:[", 5) == 0 && len > 6 && len - 6 < sizeof(inner) &&
	    arg[len - 1] == ']') {
		snprintf(inner, sizeof(inner), "%.*s", (int)(len - 6), arg + 5);
		num = inner;
	}
	if (!number(num, UINT32_MAX, &v))
		return ct_fail(err, CT_ERR_USAGE,
			       "-n takes a namespace inode number, not \"%s\"", arg);
	if (room(f->n_netns, "-n", err) != CT_OK)
		return err->status;
	f->netns[f->n_netns++] = (uint32_t)v;
	return CT_OK;
}

ct_status ct_filter_add_proto(struct ct_filter *f, const char *arg, struct ct_error *err)
{
	int p = ct_proto_number(arg);
	if (p < 0)
		return ct_fail(err, CT_ERR_USAGE, "unknown protocol \"%s\"", arg);
	if (room(f->n_proto, "-p", err) != CT_OK)
		return err->status;
	f->proto[f->n_proto++] = (uint8_t)p;
	return CT_OK;
}

ct_status ct_filter_add_addr(struct ct_filter *f, bool dst, const char *arg,
			     struct ct_error *err)
{
	const char *opt = dst ? "--dst" : "--src";
	struct ct_filter_addr a = { 0 };
	char host[64];
	const char *slash = strchr(arg, '/');
	size_t hlen = slash ? (size_t)(slash - arg) : strlen(arg);
	unsigned long long prefix = 0;
	bool ok = hlen < sizeof(host);
	if (ok) {
		snprintf(host, sizeof(host), "%.*s", (int)hlen, arg);
		if (inet_pton(AF_INET, host, a.addr) == 1)
			a.l3num = AF_INET_NUM;
		else if (inet_pton(AF_INET6, host, a.addr) == 1)
			a.l3num = AF_INET6_NUM;
		else
			ok = false;
	}
	unsigned bits = a.l3num == AF_INET_NUM ? 32 : 128;
	if (ok && slash)
		ok = decimal(slash + 1, bits, &prefix);
	if (!ok)
		return ct_fail(err, CT_ERR_USAGE, "%s takes an IPv4 or IPv6 address, or "
			       "ADDRESS/PREFIX, not \"%s\"", opt, arg);
	a.prefix = (uint8_t)(slash ? prefix : bits);
	snprintf(a.text, sizeof(a.text), "%s", arg);
	unsigned *n = dst ? &f->n_dst : &f->n_src;
	if (room(*n, opt, err) != CT_OK)
		return err->status;
	(dst ? f->dst : f->src)[(*n)++] = a;
	return CT_OK;
}

ct_status ct_filter_add_port(struct ct_filter *f, bool dst, const char *arg,
			     struct ct_error *err)
{
	const char *opt = dst ? "--dport" : "--sport";
	unsigned long long v;
	if (!decimal(arg, 65535, &v))
		return ct_fail(err, CT_ERR_USAGE, "%s takes a port number (0 to 65535), not \"%s\"",
			       opt, arg);
	unsigned *n = dst ? &f->n_dport : &f->n_sport;
	if (room(*n, opt, err) != CT_OK)
		return err->status;
	(dst ? f->dport : f->sport)[(*n)++] = (uint16_t)v;
	return CT_OK;
}

ct_status ct_filter_add_state(struct ct_filter *f, const char *arg, struct ct_error *err)
{
	const char *name;
	for (unsigned s = 0; (name = ct_tcp_state_name(s)) != NULL; s++)
		if (strcasecmp(arg, name) == 0)
			break;
	if (!name)
		return ct_fail(err, CT_ERR_USAGE, "--state takes a TCP state as "
			       "/proc/net/nf_conntrack prints it (ESTABLISHED, TIME_WAIT, "
			       "SYN_SENT, ...), not \"%s\"", arg);
	if (room(f->n_state, "--state", err) != CT_OK)
		return err->status;
	snprintf(f->state[f->n_state++], CT_FILTER_STATE_LEN, "%s", name);
	return CT_OK;
}

ct_status ct_filter_add_zone(struct ct_filter *f, const char *arg, struct ct_error *err)
{
	unsigned long long v;
	if (!decimal(arg, 65535, &v))
		return ct_fail(err, CT_ERR_USAGE, "--zone takes a zone number (0 to 65535), "
			       "not \"%s\"", arg);
	if (room(f->n_zone, "--zone", err) != CT_OK)
		return err->status;
	f->zone[f->n_zone++] = (uint16_t)v;
	return CT_OK;
}

ct_status ct_filter_add_mark(struct ct_filter *f, const char *arg, struct ct_error *err)
{
	char value[32];
	const char *slash = strchr(arg, '/');
	size_t vlen = slash ? (size_t)(slash - arg) : strlen(arg);
	unsigned long long v, mask = UINT32_MAX;
	bool ok = vlen < sizeof(value);
	if (ok) {
		snprintf(value, sizeof(value), "%.*s", (int)vlen, arg);
		ok = number(value, UINT32_MAX, &v) && (!slash || number(slash + 1, UINT32_MAX, &mask));
	}
	if (!ok)
		return ct_fail(err, CT_ERR_USAGE, "--mark takes a number or NUMBER/MASK "
			       "(32 bits), not \"%s\"", arg);
	if (room(f->n_mark, "--mark", err) != CT_OK)
		return err->status;
	f->mark_mask[f->n_mark] = (uint32_t)mask;
	f->mark[f->n_mark++] = (uint32_t)(v & mask);
	return CT_OK;
}
