# Test programs (included by the top Makefile; BUILD and SAN apply).

SYNTH_GENS := 3_10 4_18 5_10 5_14 6_1 6_12 7_3
UNIT_TESTS := test_target_mem test_types_chain test_types_btf test_report test_entry_store test_read_ahead test_layout_cache test_model_edges test_target_kcore test_options test_base test_kallsyms
TBIN := $(BUILD)/tests

TEST_PROGS := $(TBIN)/typeq \
	$(SYNTH_GENS:%=$(TBIN)/test_synth_%) \
	$(SYNTH_GENS:%=$(TBIN)/test_walk_synth_%) \
	$(SYNTH_GENS:%=$(TBIN)/test_slab_synth_%) \
	$(UNIT_TESTS:%=$(TBIN)/%) \
	$(TBIN)/test_read_ahead_tsan \
	$(TBIN)/test_kdump_direct \
	$(SYNTH_GENS:%=$(BUILD)/synth/gen_%.o) \
	$(SYNTH_GENS:%=$(BUILD)/synth/gen_%.vmlinux)

# The read-ahead thread under ThreadSanitizer: the page cache, the Target
# API and errors only (the rest of the library has no threads).
$(TBIN)/test_read_ahead_tsan: tests/unit/test_read_ahead.c lib/target/page_cache.c \
		lib/target/target.c lib/base/ct_error.c tests/common/harness.h | $(TBIN)
	$(CC) $(CSTD) $(WARN) -O1 -g -fsanitize=thread -Ilib -Itests/common -Itests/unit \
		$(filter %.c,$^) -pthread -o $@

# ELF dumps read straight from the file (ext/kdump_direct.c), on ELF files
# the test makes: libkdumpfile only for its types.
$(TBIN)/test_kdump_direct: tests/unit/test_kdump_direct.c ext/kdump_direct.c ext/kdump_direct.h \
		tests/common/harness.h | $(TBIN)
	$(CC) $(CFLAGS_LIB) -Itests/common -Iext $(filter %.c,$^) $(SANLD) -lkdumpfile -laddrxlat -o $@

tests: $(TEST_PROGS)
unit-tests: $(TEST_PROGS)
.PHONY: tests unit-tests

SYNTH_DEPS := tests/unit/synth/instantiate.c tests/unit/synth/kernel_base.h

# The synthetic kernels: genuine gcc DWARF, as a module-like ET_REL object
# and as a vmlinux-like executable carrying .rela.debug_* (--emit-relocs).
$(BUILD)/synth/gen_%.o: $(SYNTH_DEPS) tests/unit/synth/gen_%.h | $(BUILD)/synth
	$(CC) -g -O0 -c -include tests/unit/synth/gen_$*.h $< -o $@

$(BUILD)/synth/gen_%.vmlinux: $(SYNTH_DEPS) tests/unit/synth/gen_%.h | $(BUILD)/synth
	$(CC) -g -O0 -no-pie -Wl,--emit-relocs -Wl,--build-id -include tests/unit/synth/gen_$*.h $< -o $@

$(TBIN)/test_synth_%: tests/unit/test_synth.c tests/common/harness.h tests/unit/image.h tests/unit/synth/gen_%.h tests/unit/synth/kernel_base.h $(LIB) | $(TBIN)
	$(CC) $(CFLAGS_LIB) -Itests/common -Itests/unit -include tests/unit/synth/gen_$*.h $< $(LIB) $(LDLIBS) -o $@

$(TBIN)/test_walk_synth_%: tests/unit/test_walk_synth.c tests/common/harness.h tests/unit/image.h tests/unit/synth/gen_%.h tests/unit/synth/kernel_base.h $(LIB) | $(TBIN)
	$(CC) $(CFLAGS_LIB) -Itests/common -Itests/unit -include tests/unit/synth/gen_$*.h $< $(LIB) $(LDLIBS) -o $@

$(TBIN)/test_slab_synth_%: tests/unit/test_slab_synth.c tests/common/harness.h tests/unit/image.h tests/unit/synth/gen_%.h tests/unit/synth/kernel_base.h $(LIB) | $(TBIN)
	$(CC) $(CFLAGS_LIB) -Itests/common -Itests/unit -include tests/unit/synth/gen_$*.h $< $(LIB) $(LDLIBS) -o $@

$(TBIN)/test_%: tests/unit/test_%.c tests/common/harness.h tests/unit/image.h $(LIB) | $(TBIN)
	$(CC) $(CFLAGS_LIB) -Itests/common -Itests/unit $< $(LIB) $(LDLIBS) -o $@

$(TBIN)/typeq: tests/unit/tools/typeq.c $(LIB) | $(TBIN)
	$(CC) $(CFLAGS_LIB) $< $(LIB) $(LDLIBS) -o $@

$(BUILD)/synth $(TBIN):
	mkdir -p $@

# The extension built for a crash version that does not exist: it must refuse
# to register inside the real one (tests/system/check_crash_ext.py).
$(TBIN)/ctleak-otherversion.so: ext/ctleak_crash.c $(LIB) | $(TBIN)
	$(CC) $(subst $(CRASH_VERSION),0.0.0-other,$(CRASH_CFLAGS)) -shared -rdynamic $< $(LIB) $(LDLIBS) -o $@

tests: $(TBIN)/ctleak-otherversion.so

# Corrupt-dump cases on the real dumps: a real libkdumpfile Target wrapped by
# an overlay of patched bytes; every allocation size watched (--wrap).
$(TBIN)/test_corrupt_dumps: tests/system/test_corrupt_dumps.c tests/common/harness.h tests/system/minijson.h \
		$(KDUMP_SRCS) $(KDUMP_HDRS) $(LIB) | $(TBIN)
	$(CC) $(CFLAGS_LIB) -Itests/common -Itests/system -Iext $< $(KDUMP_SRCS) $(LIB) $(LDLIBS) -lkdumpfile -laddrxlat \
		-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc -o $@

tests: $(TBIN)/test_corrupt_dumps

# The kernel's own kallsyms read from the real dumps, against vmlinux.
$(TBIN)/test_kallsyms_dumps: tests/system/test_kallsyms_dumps.c tests/common/harness.h \
		$(KDUMP_SRCS) $(KDUMP_HDRS) $(LIB) | $(TBIN)
	$(CC) $(CFLAGS_LIB) -Itests/common -Iext $< $(KDUMP_SRCS) $(LIB) $(LDLIBS) -lkdumpfile -laddrxlat -o $@

tests: $(TBIN)/test_kallsyms_dumps

# The BTF finder against the DWARF one on the real kernels' files.
$(TBIN)/test_btf_layout: tests/system/test_btf_layout.c tests/common/harness.h $(LIB) | $(TBIN)
	$(CC) $(CFLAGS_LIB) -Itests/common $< $(LIB) $(LDLIBS) -o $@

tests: $(TBIN)/test_btf_layout
