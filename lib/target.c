#include "target.h"

#include <string.h>

#include "modsyms.h"

ct_status ct_target_read(struct ct_target *t, uint64_t addr, void *buf,
			 size_t len, struct ct_error *err)
{
	size_t done = 0;

	if (len == 0)
		return CT_OK;
	if (addr + len < addr)
		return ct_fail_at(err, CT_ERR_BADADDR, addr,
				  "read of %zu bytes at %#llx wraps around",
				  len, (unsigned long long)addr);
	t->reads++;
	struct ct_error local = { 0 };
	ct_status st = t->ops->read(t, addr, buf, len, &done, err ? err : &local);
	t->bytes_read += done;
	if (st == CT_ERR_FAULT && t->faults++ == 0)
		t->first_fault = (err ? err : &local)->addr;
	return st;
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

ct_status ct_target_symbol(struct ct_target *t, const char *name,
			   uint64_t *addr, struct ct_error *err)
{
	ct_status st = t->ops->symbol(t, name, addr, err);
	if (st == CT_ERR_NOTFOUND && t->modsyms &&
	    ct_modsyms_lookup(t->modsyms, name, addr) == CT_OK)
		return CT_OK;
	return st;
}

ct_status ct_target_symbol_u64(struct ct_target *t, const char *name,
			       uint64_t *v, struct ct_error *err)
{
	uint64_t addr;
	ct_status st = ct_target_symbol(t, name, &addr, err);
	return st ? st : ct_target_read_u64(t, addr, v, err);
}

ct_status ct_target_symbol_u32(struct ct_target *t, const char *name,
			       uint32_t *v, struct ct_error *err)
{
	uint64_t addr;
	ct_status st = ct_target_symbol(t, name, &addr, err);
	return st ? st : ct_target_read_u32(t, addr, v, err);
}

ct_status ct_target_percpu_base(struct ct_target *t, unsigned cpu,
				uint64_t *base, struct ct_error *err)
{
	if (t->ops->percpu_base)
		return t->ops->percpu_base(t, cpu, base, err);
	uint64_t arr;
	ct_status st = ct_target_symbol(t, "__per_cpu_offset", &arr, err);
	if (st)
		return st;
	if (cpu >= CT_MAX_CPUS)
		return ct_fail(err, CT_ERR_USAGE, "CPU %u is out of range", cpu);
	return ct_target_read_u64(t, arr + 8ULL * cpu, base, err);
}

ct_status ct_target_possible_cpus(struct ct_target *t, uint64_t *mask,
				  unsigned max_cpus, unsigned *nr_cpu_ids,
				  struct ct_error *err)
{
	uint32_t nr;
	ct_status st = ct_target_symbol_u32(t, "nr_cpu_ids", &nr, err);
	if (st)
		return st;
	if (nr == 0 || nr > CT_MAX_CPUS)
		return ct_fail(err, CT_ERR_CORRUPT,
			       "nr_cpu_ids is %u, outside 1..%u", nr,
			       CT_MAX_CPUS);
	if (nr > max_cpus)
		return ct_fail(err, CT_ERR_UNSUPPORTED,
			       "nr_cpu_ids is %u, more than the %u CPUs asked for",
			       nr, max_cpus);
	uint64_t addr;
	/* 3.10-era kernels called it cpu_possible_bits. */
	st = ct_target_symbol(t, "__cpu_possible_mask", &addr, err);
	if (st == CT_ERR_NOTFOUND)
		st = ct_target_symbol(t, "cpu_possible_bits", &addr, err);
	if (st)
		return st;
	size_t words = (nr + 63) / 64;
	memset(mask, 0, (max_cpus + 63) / 64 * sizeof(uint64_t));
	st = ct_target_read(t, addr, mask, words * sizeof(uint64_t), err);
	if (st)
		return st;
	if (nr % 64)
		mask[words - 1] &= (1ULL << (nr % 64)) - 1;
	t->nr_cpu_ids = nr;
	*nr_cpu_ids = nr;
	return CT_OK;
}

ct_status ct_target_jiffies(struct ct_target *t, uint64_t *jiffies,
			    struct ct_error *err)
{
	ct_status st = ct_target_symbol_u64(t, "jiffies_64", jiffies, err);
	if (st == CT_ERR_NOTFOUND)
		st = ct_target_symbol_u64(t, "jiffies", jiffies, err);
	return st;
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
