#include "report/entry_store.h"

#include <stdlib.h>
#include <string.h>

#include "base/vec.h"
#include "report/report.h"

/* A record: a header byte, the numbers as varints, the l4state, the
 * tuples. The header's top bit is always set: a 0 byte ends a chunk
 * early. */
enum {
	R_RECORD = 1u << 7,
	R_ORIG_WIDE = 1u << 0,   /* orig addresses in 16 bytes, else 4 */
	R_REPLY = 1u << 1,       /* the reply tuple follows (not orig reversed) */
	R_REPLY_WIDE = 1u << 2,
	R_TIMEOUT = 1u << 3,     /* timeout_secs follows (set: known, or not 0) */
	R_L4_INDEX = 1u << 4,    /* l4state is l4names[next byte] */
	R_L4_INLINE = 1u << 5,   /* l4state's CT_STORE_L4LEN bytes follow */
	R_TIMEOUT_KNOWN = 1u << 6,
};

#define VARINT_MAX 10
#define TUPLE_MAX (VARINT_MAX + 1 + 16 + 16 + 2 + 2)
#define RECORD_MAX (1 + 10 * VARINT_MAX + 3 + CT_STORE_L4LEN + 2 * TUPLE_MAX)
#define MAX_CHUNKS (SIZE_MAX / CT_STORE_CHUNK)

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

bool ct_entry_store_fits(const struct ct_entry *e)
{
	return !e->suspect && !e->nfqueued && !e->nfqueue && !e->nreasons && !e->nholders &&
	       !e->holders_total && !e->age_known && !e->age_secs && !e->last_hook[0] &&
	       !e->next_hook[0] && !e->last_hook_evidence[0] && e->flags <= 0xff &&
	       (unsigned)e->found_in <= 0xff && (unsigned)e->state <= 0xff &&
	       memchr(e->l4state, 0, sizeof(e->l4state)) != NULL;
}

/* The address is IPv4-sized: everything past its 4 bytes is 0. */
static bool narrow(const struct ct_tuple *t)
{
	return all_zero(t->src + 4, 12) && all_zero(t->dst + 4, 12);
}

static bool reversed(const struct ct_tuple *o, const struct ct_tuple *r)
{
	return o->l3num == r->l3num && o->protonum == r->protonum &&
	       !memcmp(o->src, r->dst, 16) && !memcmp(o->dst, r->src, 16) &&
	       !memcmp(o->src_u, r->dst_u, 2) && !memcmp(o->dst_u, r->src_u, 2);
}

static unsigned char *put(unsigned char *p, const void *v, size_t n)
{
	memcpy(p, v, n);
	return p + n;
}

/* v in 7-bit groups, low first, the top bit saying more follow. */
static unsigned char *put_varint(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

/* Signed values zigzagged: small magnitudes, either sign, in few bytes. */
static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (v < 0 ? UINT64_MAX : 0);
}

static int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static unsigned char *put_tuple(unsigned char *p, const struct ct_tuple *t, bool wide)
{
	size_t alen = wide ? 16 : 4;
	p = put_varint(p, t->l3num);
	*p++ = t->protonum;
	p = put(p, t->src, alen);
	p = put(p, t->dst, alen);
	p = put(p, t->src_u, 2);
	return put(p, t->dst_u, 2);
}

static const unsigned char *get(const unsigned char *p, void *v, size_t n)
{
	memcpy(v, p, n);
	return p + n;
}

static const unsigned char *get_varint(const unsigned char *p, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned shift = 0;; shift += 7) {
		unsigned char b = *p++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			break;
	}
	*v = x;
	return p;
}

static const unsigned char *get_tuple(const unsigned char *p, struct ct_tuple *t, bool wide)
{
	size_t alen = wide ? 16 : 4;
	uint64_t l3;
	p = get_varint(p, &l3);
	t->l3num = (uint16_t)l3;
	t->protonum = *p++;
	p = get(p, t->src, alen);
	p = get(p, t->dst, alen);
	p = get(p, t->src_u, 2);
	return get(p, t->dst_u, 2);
}

/* l4state's index in the names table, added if new; -1 when full. */
static int l4_index(struct ct_entry_store *s, const char *name)
{
	for (unsigned i = 0; i < s->n_l4names; i++)
		if (!strcmp(s->l4names[i], name))
			return (int)i;
	if (s->n_l4names == CT_STORE_L4NAMES)
		return -1;
	memcpy(s->l4names[s->n_l4names], name, strlen(name) + 1);
	return (int)s->n_l4names++;
}

static unsigned header(struct ct_entry_store *s, const struct ct_entry *e, int *l4)
{
	bool ow = !narrow(&e->orig), rev = reversed(&e->orig, &e->reply);
	bool rw = !rev && !narrow(&e->reply);
	unsigned hdr = R_RECORD | (ow ? R_ORIG_WIDE : 0) | (rev ? 0 : R_REPLY) |
		       (rw ? R_REPLY_WIDE : 0) | (e->timeout_known ? R_TIMEOUT_KNOWN : 0) |
		       (e->timeout_known || e->timeout_secs ? R_TIMEOUT : 0);
	*l4 = e->l4state[0] ? l4_index(s, e->l4state) : 0;
	if (e->l4state[0])
		hdr |= *l4 >= 0 ? R_L4_INDEX : R_L4_INLINE;
	return hdr;
}

static size_t encode(struct ct_entry_store *s, const struct ct_entry *e, unsigned char *out)
{
	int l4;
	unsigned hdr = header(s, e, &l4);
	unsigned char *p = out;
	*p++ = (unsigned char)hdr;
	p = put_varint(p, zigzag((int64_t)(e->addr - s->prev_addr)));
	p = put_varint(p, e->net ^ s->prev_net);
	p = put_varint(p, e->netns_inum ^ s->prev_inum);
	p = put_varint(p, e->status);
	if (hdr & R_TIMEOUT)
		p = put_varint(p, zigzag(e->timeout_secs));
	p = put_varint(p, e->use);
	p = put_varint(p, e->mark);
	p = put_varint(p, zigzag(e->cpu));
	p = put_varint(p, e->zone);
	*p++ = (unsigned char)e->flags;
	*p++ = (unsigned char)e->found_in;
	*p++ = (unsigned char)e->state;
	if (hdr & R_L4_INDEX)
		*p++ = (unsigned char)l4;
	else if (hdr & R_L4_INLINE)
		p = put(p, e->l4state, CT_STORE_L4LEN);
	p = put_tuple(p, &e->orig, hdr & R_ORIG_WIDE);
	if (hdr & R_REPLY)
		p = put_tuple(p, &e->reply, hdr & R_REPLY_WIDE);
	s->prev_addr = e->addr;
	s->prev_net = e->net;
	s->prev_inum = e->netns_inum;
	return (size_t)(p - out);
}

static void reverse(const struct ct_tuple *o, struct ct_tuple *r)
{
	*r = *o;
	memcpy(r->src, o->dst, 16);
	memcpy(r->dst, o->src, 16);
	memcpy(r->src_u, o->dst_u, 2);
	memcpy(r->dst_u, o->src_u, 2);
}

static size_t decode(const struct ct_entry_store *s, struct ct_entry_store_pos *pos,
		     const unsigned char *p, struct ct_entry *e)
{
	const unsigned char *start = p;
	unsigned hdr = *p++;
	uint64_t v;
	memset(e, 0, sizeof(*e));
	p = get_varint(p, &v);
	e->addr = pos->prev_addr + (uint64_t)unzigzag(v);
	p = get_varint(p, &v);
	e->net = pos->prev_net ^ v;
	p = get_varint(p, &v);
	e->netns_inum = pos->prev_inum ^ (uint32_t)v;
	p = get_varint(p, &e->status);
	e->timeout_known = hdr & R_TIMEOUT_KNOWN;
	if (hdr & R_TIMEOUT) {
		p = get_varint(p, &v);
		e->timeout_secs = unzigzag(v);
	}
	p = get_varint(p, &v);
	e->use = (uint32_t)v;
	p = get_varint(p, &v);
	e->mark = (uint32_t)v;
	p = get_varint(p, &v);
	e->cpu = (int)unzigzag(v);
	p = get_varint(p, &v);
	e->zone = (uint16_t)v;
	e->flags = *p++;
	e->found_in = (enum ct_found_in)*p++;
	e->state = (enum ct_entry_state)*p++;
	if (hdr & R_L4_INDEX)
		memcpy(e->l4state, s->l4names[*p++], CT_STORE_L4LEN);
	else if (hdr & R_L4_INLINE)
		p = get(p, e->l4state, CT_STORE_L4LEN);
	p = get_tuple(p, &e->orig, hdr & R_ORIG_WIDE);
	if (hdr & R_REPLY)
		p = get_tuple(p, &e->reply, hdr & R_REPLY_WIDE);
	else
		reverse(&e->orig, &e->reply);
	pos->prev_addr = e->addr;
	pos->prev_net = e->net;
	pos->prev_inum = e->netns_inum;
	return (size_t)(p - start);
}

/* Room for one more record: the last chunk, or a new one (whose first
 * record is stored against zeros). Every chunk but the last keeps at
 * least one byte after its records for the 0 that ends it. */
static unsigned char *room(struct ct_entry_store *s)
{
	if (s->n_chunks && s->used + RECORD_MAX < CT_STORE_CHUNK)
		return s->chunks[s->n_chunks - 1] + s->used;
	unsigned char **arr = ct_grow(s->chunks, &s->cap_chunks, s->n_chunks,
				      sizeof(*s->chunks), MAX_CHUNKS);
	if (!arr)
		return NULL;
	s->chunks = arr;
	unsigned char *c = malloc(CT_STORE_CHUNK);
	if (!c)
		return NULL;
	if (s->n_chunks)
		s->chunks[s->n_chunks - 1][s->used] = 0;
	s->chunks[s->n_chunks++] = c;
	s->used = 0;
	s->prev_addr = s->prev_net = 0;
	s->prev_inum = 0;
	return c;
}

bool ct_entry_store_add(struct ct_entry_store *s, const struct ct_entry *e)
{
	unsigned char *p = room(s);
	if (!p)
		return false;
	size_t n = encode(s, e, p);
	s->used += n;
	s->bytes += n;
	s->n++;
	return true;
}

bool ct_entry_store_next(const struct ct_entry_store *s, struct ct_entry_store_pos *pos,
			 struct ct_entry *out)
{
	while (pos->chunk < s->n_chunks) {
		bool last = pos->chunk + 1 == s->n_chunks;
		const unsigned char *c = s->chunks[pos->chunk];
		if (last ? pos->off < s->used : c[pos->off] != 0) {
			pos->off += decode(s, pos, c + pos->off, out);
			return true;
		}
		pos->chunk++;
		pos->off = 0;
		pos->prev_addr = pos->prev_net = 0;
		pos->prev_inum = 0;
	}
	return false;
}

void ct_entry_store_free(struct ct_entry_store *s)
{
	for (size_t i = 0; i < s->n_chunks; i++)
		free(s->chunks[i]);
	free(s->chunks);
	memset(s, 0, sizeof(*s));
}
