#include "target/target.h"

#include <string.h>

static ct_status do_read(struct ct_target *t, uint64_t addr, void *buf, size_t len,
		       size_t *done, struct ct_error *err)
{
	*done = 0;
	if (len == 0)
		return CT_OK;
	if (addr + len < addr)
		return ct_fail_at(err, CT_ERR_BADADDR, addr,
				  "read of %zu bytes at %#llx wraps around",
				  len, (unsigned long long)addr);
	t->reads++;
	ct_status st = t->ops->read(t, addr, buf, len, done, err);
	t->bytes_read += *done;
	return st;
}

ct_status ct_target_read(struct ct_target *t, uint64_t addr, void *buf,
			 size_t len, struct ct_error *err)
{
	size_t done;
	struct ct_error local = { 0 };
	ct_status st = do_read(t, addr, buf, len, &done, err ? err : &local);
	if (st == CT_ERR_FAULT && t->faults++ == t->faults_mark)
		t->first_fault = (err ? err : &local)->addr;
	return st;
}

ct_status ct_target_read_partial(struct ct_target *t, uint64_t addr, void *buf,
				 size_t len, size_t *done, struct ct_error *err)
{
	struct ct_error local = { 0 };
	return do_read(t, addr, buf, len, done, err ? err : &local);
}

ct_status ct_target_read_u64(struct ct_target *t, uint64_t addr,
			     uint64_t *v, struct ct_error *err)
{
	return ct_target_read(t, addr, v, sizeof(*v), err);
}

ct_status ct_target_read_u32(struct ct_target *t, uint64_t addr,
			     uint32_t *v, struct ct_error *err)
{
	return ct_target_read(t, addr, v, sizeof(*v), err);
}

void ct_target_hint(struct ct_target *t, uint64_t addr, size_t len)
{
	if (t->ops->hint && len && addr + len > addr)
		t->ops->hint(t, addr, len);
}

bool ct_target_interrupted(struct ct_target *t)
{
	return t->ops->interrupted && t->ops->interrupted(t);
}

void ct_target_close(struct ct_target *t)
{
	if (t && t->ops && t->ops->close)
		t->ops->close(t);
}
