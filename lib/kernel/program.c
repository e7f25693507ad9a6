#include "kernel/program.h"

#include <string.h>

void ct_program_init(struct ct_program *p, struct ct_target *mem)
{
	memset(p, 0, sizeof(*p));
	p->mem = mem;
	ct_symbols_init(&p->syms);
}

ct_status ct_program_add_symbols(struct ct_program *p, const char *name,
				 ct_symbol_find_fn find, void *arg, struct ct_error *err)
{
	return ct_symbols_add(&p->syms, name, find, arg, err);
}

ct_status ct_program_symbol(const struct ct_program *p, const char *name,
			    uint64_t *addr, struct ct_error *err)
{
	return ct_symbols_lookup(&p->syms, name, addr, err);
}

ct_status ct_program_symbol_u64(const struct ct_program *p, const char *name,
				uint64_t *v, struct ct_error *err)
{
	uint64_t addr;
	ct_status st = ct_program_symbol(p, name, &addr, err);
	return st ? st : ct_target_read_u64(p->mem, addr, v, err);
}

ct_status ct_program_symbol_u32(const struct ct_program *p, const char *name,
				uint32_t *v, struct ct_error *err)
{
	uint64_t addr;
	ct_status st = ct_program_symbol(p, name, &addr, err);
	return st ? st : ct_target_read_u32(p->mem, addr, v, err);
}

ct_status ct_program_percpu_base(const struct ct_program *p, unsigned cpu,
				 uint64_t *base, struct ct_error *err)
{
	uint64_t arr;
	ct_status st = ct_program_symbol(p, "__per_cpu_offset", &arr, err);
	if (st)
		return st;
	if (cpu >= CT_MAX_CPUS)
		return ct_fail(err, CT_ERR_USAGE, "CPU %u is out of range", cpu);
	return ct_target_read_u64(p->mem, arr + 8ULL * cpu, base, err);
}

ct_status ct_program_possible_cpus(struct ct_program *p, uint64_t *mask,
				   unsigned max_cpus, unsigned *nr_cpu_ids,
				   struct ct_error *err)
{
	uint32_t nr;
	ct_status st = ct_program_symbol_u32(p, "nr_cpu_ids", &nr, err);
	if (st)
		return st;
	if (nr == 0 || nr > CT_MAX_CPUS)
		return ct_fail(err, CT_ERR_CORRUPT, "nr_cpu_ids is %u, outside 1..%u", nr,
			       CT_MAX_CPUS);
	if (nr > max_cpus)
		return ct_fail(err, CT_ERR_UNSUPPORTED,
			       "nr_cpu_ids is %u, more than the %u CPUs asked for", nr, max_cpus);
	uint64_t addr;
	/* 3.10-era kernels called it cpu_possible_bits. */
	st = ct_program_symbol(p, "__cpu_possible_mask", &addr, err);
	if (st == CT_ERR_NOTFOUND)
		st = ct_program_symbol(p, "cpu_possible_bits", &addr, err);
	if (st)
		return st;
	size_t words = (nr + 63) / 64;
	memset(mask, 0, (max_cpus + 63) / 64 * sizeof(uint64_t));
	st = ct_target_read(p->mem, addr, mask, words * sizeof(uint64_t), err);
	if (st)
		return st;
	if (nr % 64)
		mask[words - 1] &= (1ULL << (nr % 64)) - 1;
	p->nr_cpu_ids = nr;
	*nr_cpu_ids = nr;
	return CT_OK;
}

ct_status ct_program_jiffies(const struct ct_program *p, uint64_t *jiffies,
			     struct ct_error *err)
{
	ct_status st = ct_program_symbol_u64(p, "jiffies_64", jiffies, err);
	if (st == CT_ERR_NOTFOUND)
		st = ct_program_symbol_u64(p, "jiffies", jiffies, err);
	return st;
}
