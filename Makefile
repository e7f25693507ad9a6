# ctleak — see README.md. `make` builds; `make check` installs what it needs,
# builds and runs every test; `make demo` shows the main job on a real kernel.

CC      ?= cc
BUILD   ?= build
CRASH_VERSION := $(shell crash --version 2>/dev/null | awk '/^crash /{print $$2; exit}')

WARN    := -Wall -Wextra -Werror
CSTD    := -std=c11 -D_GNU_SOURCE
OPT     ?= -O2 -g
# SAN=1: the same build with AddressSanitizer and UBSan (make check does both).
ifeq ($(SAN),1)
OPT     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SANLD   := -fsanitize=address,undefined
endif
# libdwarf 0.x (Debian 13) renamed the object access interface: probe the
# installed header, not the distribution (lib/types/types_libdwarf.c).
LIBDWARF_0X := $(shell printf '\043include <libdwarf/libdwarf.h>\nDwarf_Obj_Access_Interface_a probe;\n' | \
	$(CC) -x c -fsyntax-only - 2>/dev/null && echo -DCTLEAK_LIBDWARF_0X)
# libbpf 1.1 (Debian 12) declares btf__new_split but does not export it;
# 1.2+ does: probe by linking (lib/types/types_btf.c, new_split).
LIBBPF_SPLIT := $(shell printf '\043include <bpf/btf.h>\nint main(void) { return btf__new_split(0, 0, 0) != 0; }\n' | \
	$(CC) -x c - -lbpf -o /dev/null 2>/dev/null && echo -DCTLEAK_HAVE_BTF_NEW_SPLIT)
CFLAGS_LIB := $(CSTD) $(WARN) $(OPT) -fPIC -Ilib $(LIBDWARF_0X) $(LIBBPF_SPLIT)
LDLIBS  := $(SANLD) -ldwarf -lbpf -lz -pthread

# crash's defs.h is GNU C: it is compiled as gnu11 with its documented flags
# (../shared/docs/toolchain-notes.md); its own warnings are silenced in the
# one file that includes it. Its layout depends on the gdb crash was built
# on (-DGDB_10_2 for crash 8; crash 9: GDB_16_2 upstream, GDB_16_3 in
# Debian's 9.0.2): the newest GDB_x_y the installed defs.h tests for is the
# one it was written for.
CRASH_INC ?= /usr/include/crash
CRASH_GDB := $(shell grep -oE '\bGDB_[0-9]+(_[0-9]+)+\b' $(CRASH_INC)/defs.h 2>/dev/null | sort -uV | tail -1)
CRASH_CFLAGS := -std=gnu11 $(WARN) $(OPT) -fPIC -DX86_64 -D$(CRASH_GDB) -D_GNU_SOURCE \
	-I$(CRASH_INC) -Ilib -DCTLEAK_CRASH_VERSION=\"$(CRASH_VERSION)\"

LIB_SRCS := $(sort $(wildcard lib/*.c lib/*/*.c))
LIB_HDRS := $(wildcard lib/*.h lib/*/*.h)
# The standalone twin's libkdumpfile Target (ctleak, its tests and bench).
KDUMP_SRCS := ext/target_kdumpfile.c ext/kdump_presence.c ext/kdump_direct.c
KDUMP_HDRS := ext/target_kdumpfile.h ext/kdump_presence.h ext/kdump_direct.h
LIB_OBJS := $(LIB_SRCS:lib/%.c=$(BUILD)/lib/%.o)
LIB      := $(BUILD)/libctleak.a

all: $(BUILD)/ctleak $(BUILD)/ctleak.so
.PHONY: all deps check test demo clean install vmcores bench

$(BUILD)/lib/%.o: lib/%.c $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_LIB) -c $< -o $@

$(LIB): $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/ctleak: ext/ctleak_main.c $(KDUMP_SRCS) $(KDUMP_HDRS) $(LIB)
	$(CC) $(CFLAGS_LIB) -Iext ext/ctleak_main.c $(KDUMP_SRCS) $(LIB) $(LDLIBS) -lkdumpfile -laddrxlat -o $@

# make bench's read floor: ctleak's reads, recorded, then replayed once each.
$(BUILD)/bench/floor: bench/floor.c $(KDUMP_SRCS) $(KDUMP_HDRS) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_LIB) -Iext bench/floor.c $(KDUMP_SRCS) $(LIB) $(LDLIBS) -lkdumpfile -laddrxlat -o $@

$(BUILD)/ctleak.so: ext/ctleak_crash.c $(LIB)
	@test -n "$(CRASH_VERSION)" || { echo "crash is not installed: run 'make deps'"; exit 1; }
	@test -n "$(CRASH_GDB)" || { echo "no GDB_x_y in $(CRASH_INC)/defs.h: cannot tell crash's gdb"; exit 1; }
	$(CC) $(CRASH_CFLAGS) -shared -rdynamic $< $(LIB) $(LDLIBS) -o $@

$(BUILD)/lib:
	mkdir -p $@

deps:
	@bash tools/deps.sh

# Tests: built twice, plainly and with ASan+UBSan (tests/tests.mk).
include tests/tests.mk

# make fuzz: libFuzzer targets built with clang into $(BUILD)/fuzz, seeded and
# run FUZZ_SECONDS each (tests/fuzz/). Never part of make check.
include tests/fuzz/fuzz.mk

# The real test dumps (vmcores/make-vmcore.sh): built once into the cache
# outside the checkout, rebuilt only when what made them changes.
vmcores: deps
	@bash vmcores/all.sh >/dev/null
ifeq ($(BIG),1)
	@for s in $${CTLEAK_BENCH_SERIES:-6.1 5.10}; do \
		d="20000 200000 1000000"; [ "$$s" != 6.1 ] || d="$$d 4000000"; \
		for n in $${CTLEAK_BENCH_SIZES:-$$d}; do \
		bash vmcores/make-vmcore.sh $$s scale-$$n >/dev/null || exit 1; done; done
endif

# ctleak against drgn, crash and the read floor on large dumps (bench/run.sh;
# makes the scale-N dumps on first use). Never part of make check.
bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/floor
	@bash bench/run.sh $(BUILD)

# make test: the hermetic tier alone (tests/unit/run.sh): no package
# installs, no network, no QEMU, no dumps; what it builds needs the
# libraries `make deps` installs. The crash extension is built only where
# crash is installed.
test:
	@$(MAKE) --no-print-directory $(BUILD)/ctleak unit-tests $(if $(CRASH_VERSION),$(BUILD)/ctleak.so)
	@$(MAKE) --no-print-directory SAN=1 BUILD=$(BUILD)/asan $(BUILD)/asan/ctleak unit-tests
	@bash tests/unit/run.sh $(BUILD)

check: deps vmcores
	@$(MAKE) --no-print-directory all tests
	@$(MAKE) --no-print-directory SAN=1 BUILD=$(BUILD)/asan $(BUILD)/asan/ctleak tests
	@bash tests/run.sh $(BUILD)

demo: deps
	@$(MAKE) --no-print-directory all
	@bash tools/demo.sh $(BUILD)

PREFIX  ?= /usr/local
DESTDIR ?=
install: all
	install -D -m 0755 $(BUILD)/ctleak $(DESTDIR)$(PREFIX)/bin/ctleak
	install -D -m 0644 ext/ctleak.1 $(DESTDIR)$(PREFIX)/share/man/man1/ctleak.1
	install -D -m 0644 $(BUILD)/ctleak.so $(DESTDIR)/usr/lib/crash/extensions/ctleak.so

clean:
	rm -rf $(BUILD)
