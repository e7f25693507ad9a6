/* chain.h — one walk along a linked chain in a dump, bounded and
 * cycle-checked.
 *
 * A corrupt pointer can make a chain loop, or lead into one that never
 * ends. The caller steps onto each node in turn; a step says whether the
 * node closes a loop (Brent's algorithm: the node is compared with the one
 * before it and with a "tortoise" that jumps to the node at every
 * power-of-two step, so a loop of length L entered after mu nodes is
 * caught within 2 * mu + 3 * L steps, in constant memory) or is one too
 * many (past limit).
 *
 *	struct ct_chain c;
 *	ct_chain_init(&c, max_nodes);
 *	for (node = first; node; node = next_of(node))
 *		if (ct_chain_step(&c, node) != CT_CHAIN_OK)
 *			break;      (c.last is the node whose link closed the loop)
 */
#ifndef CTLEAK_BASE_CHAIN_H
#define CTLEAK_BASE_CHAIN_H

#include <stdint.h>

struct ct_chain {
	uint64_t last;          /* the node stepped onto last (any value, 0 too) */
	uint64_t tortoise;      /* the node of the last power-of-two step */
	uint64_t steps;         /* nodes stepped onto (a CYCLE node is not) */
	uint64_t limit;         /* the most nodes a chain may have */
};

enum ct_chain_step {
	CT_CHAIN_OK,
	CT_CHAIN_CYCLE,         /* the node was met before: last is unchanged */
	CT_CHAIN_TOO_LONG,      /* the node is number limit + 1 */
};

/* A chain of at most limit nodes (UINT64_MAX: the caller bounds it). */
void ct_chain_init(struct ct_chain *c, uint64_t limit);
/* Step onto node, the next one of the chain. A loop is caught before the
 * limit: a node both repeats and is one too many is a CYCLE. */
enum ct_chain_step ct_chain_step(struct ct_chain *c, uint64_t node);

#endif
