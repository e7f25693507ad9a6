/* chain.c — Brent's cycle detection with a step limit (chain.h). */
#include "base/chain.h"

void ct_chain_init(struct ct_chain *c, uint64_t limit)
{
	*c = (struct ct_chain){ .limit = limit };
}

enum ct_chain_step ct_chain_step(struct ct_chain *c, uint64_t node)
{
	uint64_t n = c->steps + 1;      /* this node's number */
	if (c->steps && (node == c->tortoise || node == c->last))
		return CT_CHAIN_CYCLE;
	/* Brent: the tortoise waits at nodes 1, 2, 4, 8, ... for the chain
	 * to come back to it; a loop longer than the wait is caught once
	 * the wait doubles past its length. */
	if ((n & (n - 1)) == 0)
		c->tortoise = node;
	c->last = node;
	c->steps = n;
	return n > c->limit ? CT_CHAIN_TOO_LONG : CT_CHAIN_OK;
}
