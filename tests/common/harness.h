/* harness.h — the smallest test harness that says what failed and where.
 * Each test program ends with harness_done(), whose last line
 * "NAME: N passed, N failed" tests/run.sh adds up. */
#ifndef CTLEAK_TEST_HARNESS_H
#define CTLEAK_TEST_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int harness_passed, harness_failed;

#define CHECK(cond, ...)                                                      \
	do {                                                                  \
		if (cond) {                                                   \
			harness_passed++;                                     \
		} else {                                                      \
			harness_failed++;                                     \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);           \
			printf(__VA_ARGS__);                                  \
			printf("\n");                                         \
		}                                                             \
	} while (0)

#define CHECK_EQ_U64(got, want, what)                                         \
	CHECK((uint64_t)(got) == (uint64_t)(want), "%s: got %" PRIu64         \
	      ", want %" PRIu64, what, (uint64_t)(got), (uint64_t)(want))

#define CHECK_STR(got, want, what)                                            \
	CHECK(strcmp((got), (want)) == 0, "%s: got \"%s\", want \"%s\"", what, \
	      (got), (want))

/* xorshift64: the tests' reproducible random numbers (*state not 0). */
static inline uint64_t harness_xorshift(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static inline int harness_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, harness_passed, harness_failed);
	return harness_failed ? 1 : 0;
}

#endif
