# make fuzz: the libFuzzer targets of tests/fuzz/, built with clang into
# $(BUILD)/fuzz (apart from the gcc build), seeded by make-seeds.sh and run
# FUZZ_SECONDS each, one after the other (run-fuzz.sh; FUZZ_TARGETS picks
# them). Included by the top Makefile.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := $(CSTD) $(WARN) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) -Ilib
FUZZ_LIB_OBJS := $(LIB_SRCS:lib/%.c=$(FUZZ_DIR)/lib/%.o)
FUZZ_LIB     := $(FUZZ_DIR)/libctleak-fuzz.a
FUZZ_PROGS   := $(FUZZ_DIR)/fuzz_walk $(FUZZ_DIR)/fuzz_walk_5_10 $(FUZZ_DIR)/fuzz_parse $(FUZZ_DIR)/fuzz_btf \
	$(FUZZ_DIR)/fuzz_kallsyms
FUZZ_TARGETS ?= walk walk_5_10 parse btf kallsyms

.PHONY: fuzz fuzz-build

$(FUZZ_DIR)/lib/%.o: lib/%.c $(LIB_HDRS) | $(FUZZ_DIR)/lib
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

# fuzz_walk includes tests/unit/test_slab_synth.c (its image builder) with one
# generation's declarations: 6.1 (fuzz_walk) and 5.10 (fuzz_walk_5_10); the
# live walk's pause is wrapped away.
FUZZ_WALK_DEPS := tests/fuzz/fuzz_walk.c tests/unit/test_slab_synth.c tests/common/harness.h tests/unit/image.h \
	tests/unit/synth/kernel_base.h $(FUZZ_LIB)
fuzz_walk_cmd = $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itests/common -Itests/unit -include tests/unit/synth/gen_$(1).h \
	-DFUZZ_GEN=\"gen_$(1)\" $< $(FUZZ_LIB) -Wl,--wrap=nanosleep -ldwarf -lbpf -lz -o $@

$(FUZZ_DIR)/fuzz_walk: $(FUZZ_WALK_DEPS) tests/unit/synth/gen_6_1.h
	$(call fuzz_walk_cmd,6_1)

$(FUZZ_DIR)/fuzz_walk_5_10: $(FUZZ_WALK_DEPS) tests/unit/synth/gen_5_10.h
	$(call fuzz_walk_cmd,5_10)

$(FUZZ_DIR)/fuzz_parse: tests/fuzz/fuzz_parse.c $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIB) -ldwarf -lbpf -lz -o $@

# fuzz_btf: vmlinux and module BTF blobs split from one input (tests/fuzz/fuzz_btf.c).
$(FUZZ_DIR)/fuzz_btf: tests/fuzz/fuzz_btf.c $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIB) -ldwarf -lbpf -lz -o $@

# fuzz_kallsyms includes tests/unit/test_kallsyms.c (its table builder, for
# the seeds it writes itself).
$(FUZZ_DIR)/fuzz_kallsyms: tests/fuzz/fuzz_kallsyms.c tests/unit/test_kallsyms.c \
		tests/common/harness.h $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itests/common $< $(FUZZ_LIB) -o $@

$(FUZZ_DIR)/lib:
	mkdir -p $@

fuzz-build: $(FUZZ_PROGS)

fuzz: $(FUZZ_PROGS) $(BUILD)/synth/gen_6_1.o $(BUILD)/synth/gen_5_10.o \
		$(BUILD)/synth/gen_6_1.vmlinux $(BUILD)/ctleak
	@bash tests/fuzz/make-seeds.sh $(BUILD)
	@bash tests/fuzz/run-fuzz.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
