# tearline: classification-marking parser, redaction engine, signed log.
#
#   make            build build/tearline and build/libtearline.a
#   make demo       the main job on the bundled corpus
#   make check      the whole test suite (also under ASan/UBSan)
#   make install    PREFIX=/usr/local DESTDIR=
#   make lint       banned calls and clang-tidy's analyzer
#   make fuzz       each libFuzzer target for FUZZ_SECONDS (default 60)
#   make realcheck  fidelity on ../shared/real-cables and real-modern
#   make bench      speed and memory on a generated corpus (BENCH_MB=200
#                   BENCH_FILES=100000 BENCH_RUNS=5 BENCH_BIG_MB=1024)
#
# Missing Debian packages are installed by scripts/deps.sh (`make deps`),
# which every build target runs first.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/tearline
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=

B := build
PKGS := libpcre2-8 libsodium yaml-0.1 libcrypto sqlite3

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla -Wcast-qual \
	-Wpointer-arith -Wundef
WERROR ?= -Werror
OPT ?= -O2 -g
CFLAGS ?=
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
# The library is POSIX (open, fsync, rename, pthreads); nothing GNU-only.
DEFS := -D_POSIX_C_SOURCE=200809L -DTL_DATADIR='"$(DATADIR)"'

# Flags of the packages, found once by pkg-config after deps.sh ran.
ifeq ($(filter clean distclean help,$(MAKECMDGOALS)),)
-include $(B)/config.mk
endif
$(B)/config.mk: scripts/deps.sh Makefile
	@sh scripts/deps.sh
	@mkdir -p $(B)
	@{ echo "PKG_CFLAGS := $$(pkg-config --cflags $(PKGS))"; \
	   echo "PKG_LIBS := $$(pkg-config --libs $(PKGS))"; \
	   echo "CHECK_CFLAGS := $$(pkg-config --cflags check)"; \
	   echo "CHECK_LIBS := $$(pkg-config --libs check)"; } > $@.tmp
	@mv $@.tmp $@

# The library sees its own headers (lib/); the tool sees only the public
# header, so the compiler itself refuses a tool file that reaches inside.
BASE_CFLAGS = $(WARN) $(WERROR) $(OPT) $(DEFS) -Iinclude $(PKG_CFLAGS) $(CFLAGS)
ALL_CFLAGS = $(BASE_CFLAGS) -Ilib -I$(B)/gen
TOOL_CFLAGS = $(BASE_CFLAGS)
LIBS = $(PKG_LIBS) -lpthread -lm

# The library is lib/, the tool src/ (the curl layout: doc/architecture.md).
TOOL_SRC := $(sort $(wildcard src/*.c))
LIB_SRC  := $(sort $(wildcard lib/*.c))
GEN_SRC  := $(B)/gen/builtin_policy.c
GEN_REG  := $(B)/gen/builtin_register.c
LIB_HDRS := include/tearline.h $(wildcard lib/*.h)
TOOL_HDRS := include/tearline.h $(wildcard src/*.h)
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_SUPPORT := $(wildcard tests/support/*.c)

LIB_OBJ  := $(LIB_SRC:lib/%.c=$(B)/obj/lib/%.o) $(B)/obj/lib/builtin_policy.o \
	$(B)/obj/lib/builtin_register.o
TOOL_OBJ := $(TOOL_SRC:src/%.c=$(B)/obj/src/%.o)
ALIB_OBJ := $(LIB_SRC:lib/%.c=$(B)/asan/obj/lib/%.o) $(B)/asan/obj/lib/builtin_policy.o \
	$(B)/asan/obj/lib/builtin_register.o
ATOOL_OBJ := $(TOOL_SRC:src/%.c=$(B)/asan/obj/src/%.o)
# The leak oracle redacts thousands of documents: it is about what the
# copies say, not about memory, and runs on the optimized build.
SLOW_TEST_SRC := tests/test_oracle.c
TESTS    := $(filter-out $(SLOW_TEST_SRC:tests/%.c=$(B)/asan/tests/%),$(TEST_SRC:tests/%.c=$(B)/asan/tests/%))
SLOW_TESTS := $(SLOW_TEST_SRC:tests/%.c=$(B)/tests/%)

# One libFuzzer target per entry point that takes outside bytes, built
# with clang into build/fuzz/; `make check` replays the same targets,
# built with gcc and a small main(), over tests/fuzz/seed and
# tests/fuzz/regress.
FUZZ_TARGETS := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SECONDS ?= 60
CLANG ?= clang
FUZZ_SUPPORT := tests/fuzz/fuzz.c tests/fuzz/fuzz.h
FOBJ := $(LIB_SRC:lib/%.c=$(B)/fuzz/obj/lib/%.o) $(B)/fuzz/obj/lib/builtin_policy.o \
	$(B)/fuzz/obj/lib/builtin_register.o
FUZZ_BINS := $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)
REPLAY_BINS := $(FUZZ_TARGETS:%=$(B)/asan/fuzz/fuzz_%)
FUZZ_CFLAGS = $(ALL_CFLAGS) $(SAN) -O1 -Itests/fuzz

# Fault injection (tests/fault): the sanitizer build of the program linked
# with wrappers that fail the Nth allocation or write
# (TEARLINE_FAULT_ALLOC=N, TEARLINE_FAULT_WRITE=N).
FAULT_WRAP := malloc calloc realloc aligned_alloc strdup strndup \
	sodium_malloc fopen fdopen yaml_parser_initialize pthread_create \
	write fsync syncfs rename link mkstemp mkdir fchmod \
	fwrite fputs fputc putc puts printf fprintf vfprintf fflush
FAULT_LDFLAGS := $(foreach f,$(FAULT_WRAP),-Wl,--wrap=$(f))
FAULT_BINS := $(B)/asan/tearline-fault $(B)/tearline-libfault

.PHONY: all deps check unit cli-test demo install uninstall lint bench clean help \
	realcheck \
	fuzz fuzz-build fault
.DEFAULT_GOAL := all

all: deps $(B)/tearline $(B)/libtearline.a $(B)/tearline.pc

deps:
	@sh scripts/deps.sh

# The default policy is compiled into the library so that tearline works
# with no --policy and no installed files.
$(B)/gen/builtin_policy.c: policies/us-cables.yaml scripts/embed.sh
	@mkdir -p $(@D)
	sh scripts/embed.sh tl_builtin_policy $< > $@.tmp && mv $@.tmp $@
# The marking register (tearline-register(5)), compiled in the same way;
# register/ism2reg.py writes it from the ISM vocabulary (not at build).
$(GEN_REG): register/tearline.reg scripts/embed.sh
	@mkdir -p $(@D)
	sh scripts/embed.sh tl_builtin_register $< > $@.tmp && mv $@.tmp $@
$(B)/obj/lib/builtin_register.o: $(GEN_REG) $(B)/config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(B)/asan/obj/lib/builtin_register.o: $(GEN_REG) $(B)/config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<
$(B)/fuzz/obj/lib/builtin_register.o: $(GEN_REG) $(B)/config.mk
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -c -o $@ $<

$(B)/obj/lib/%.o: lib/%.c $(LIB_HDRS) $(B)/config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(B)/obj/src/%.o: src/%.c $(TOOL_HDRS) $(B)/config.mk
	@mkdir -p $(@D)
	$(CC) $(TOOL_CFLAGS) -c -o $@ $<
$(B)/obj/lib/builtin_policy.o: $(GEN_SRC) $(B)/config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c -o $@ $<

$(B)/libtearline.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/tearline: $(TOOL_OBJ) $(B)/libtearline.a
	$(CC) $(ALL_CFLAGS) -o $@ $(TOOL_OBJ) $(B)/libtearline.a $(LIBS)

$(B)/tearline.pc: tearline.pc.in Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(shell sed -n 's/^#define TEARLINE_VERSION "\(.*\)"/\1/p' include/tearline.h)|' \
	    $< > $@

# --- sanitizer build: what `make check` tests ----------------------------
$(B)/asan/obj/lib/%.o: lib/%.c $(LIB_HDRS) $(B)/config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<
$(B)/asan/obj/src/%.o: src/%.c $(TOOL_HDRS) $(B)/config.mk
	@mkdir -p $(@D)
	$(CC) $(TOOL_CFLAGS) $(SAN) -O1 -c -o $@ $<
$(B)/asan/obj/lib/builtin_policy.o: $(GEN_SRC) $(B)/config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -Wno-overlength-strings -c -o $@ $<
$(B)/asan/libtearline.a: $(ALIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(B)/asan/tearline: $(ATOOL_OBJ) $(B)/asan/libtearline.a
	$(CC) $(TOOL_CFLAGS) $(SAN) -o $@ $(ATOOL_OBJ) $(B)/asan/libtearline.a $(LIBS)
$(B)/asan/tests/%: tests/%.c $(TEST_SUPPORT) tests/support/tlcheck.h $(B)/asan/libtearline.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -Itests/support $(CHECK_CFLAGS) -o $@ \
	    $< $(TEST_SUPPORT) $(B)/asan/libtearline.a $(CHECK_LIBS) $(LIBS)

$(B)/tests/%: tests/%.c $(TEST_SUPPORT) tests/support/tlcheck.h $(B)/libtearline.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/support $(CHECK_CFLAGS) -o $@ \
	    $< $(TEST_SUPPORT) $(B)/libtearline.a $(CHECK_LIBS) $(LIBS)

# Unit tests (Check) then command-line tests, all against the sanitizer
# build but the leak oracle.  ASan's leak checker is on: a leak fails the
# suite.  Then the fuzz targets replay their seeds and kept crashers, and
# every allocation and write along parse, redact and verify is failed in
# turn.
check: all $(B)/asan/tearline $(TESTS) $(SLOW_TESTS) $(REPLAY_BINS) $(FAULT_BINS) \
	$(B)/bench/gen $(B)/bench/runstat
	@sh scripts/symbols.sh $(B)/libtearline.a
	@sh tests/run-unit.sh $(TESTS) $(SLOW_TESTS)
	@TEARLINE=$(B)/asan/tearline sh tests/cli/run.sh
	@sh tests/fuzz/replay.sh $(B)/asan/fuzz $(FUZZ_TARGETS)
	@sh tests/fault/run.sh $(B)/asan/tearline-fault $(B)/tearline \
	    $(B)/tearline-libfault

demo: all
	@sh scripts/demo.sh $(B)/tearline $(B)/demo

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(DATADIR)/policies $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(B)/tearline $(DESTDIR)$(BINDIR)/tearline
	install -m 644 $(B)/libtearline.a $(DESTDIR)$(LIBDIR)/libtearline.a
	install -m 644 include/tearline.h $(DESTDIR)$(INCDIR)/tearline.h
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	for f in man/*.5; do [ -e "$$f" ] && install -m 644 "$$f" $(DESTDIR)$(MANDIR)/man5/ || :; done
	install -m 644 policies/*.yaml $(DESTDIR)$(DATADIR)/policies/
	install -m 644 $(B)/tearline.pc $(DESTDIR)$(PKGCONFIGDIR)/tearline.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tearline $(DESTDIR)$(LIBDIR)/libtearline.a \
	    $(DESTDIR)$(INCDIR)/tearline.h $(DESTDIR)$(PKGCONFIGDIR)/tearline.pc
	for f in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${f#man/}; done
	for f in man/*.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$${f#man/}; done
	rm -rf $(DESTDIR)$(DATADIR)

# Banned calls, then clang-tidy's static analyzer over the library and tool.
lint: $(B)/config.mk $(GEN_SRC) $(GEN_REG) $(B)/libtearline.a
	@DEPS_EXTRA=clang-tidy sh scripts/deps.sh
	@sh scripts/includes.sh
	@sh scripts/symbols.sh $(B)/libtearline.a
	@sh scripts/lint.sh $(LIB_SRC) $(TOOL_SRC) -- $(WARN) $(DEFS) -Iinclude -Ilib -I$(B)/gen $(PKG_CFLAGS)

# --- fuzzing (tests/fuzz) ------------------------------------------------

$(B)/fuzz/obj/lib/%.o: lib/%.c $(LIB_HDRS) $(B)/config.mk
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
$(B)/fuzz/obj/lib/builtin_policy.o: $(GEN_SRC) $(B)/config.mk
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -Wno-overlength-strings -c -o $@ $<
$(B)/fuzz/libtearline.a: $(FOBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SUPPORT) $(B)/fuzz/libtearline.a
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< tests/fuzz/fuzz.c \
	    $(B)/fuzz/libtearline.a $(LIBS)
$(B)/asan/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c $(FUZZ_SUPPORT) $(B)/asan/libtearline.a
	@mkdir -p $(@D)
	$(CC) $(FUZZ_CFLAGS) -o $@ $< tests/fuzz/driver.c tests/fuzz/fuzz.c \
	    $(B)/asan/libtearline.a $(LIBS)

$(B)/asan/fault.o: tests/fault/fault.c $(B)/config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<
$(B)/asan/tearline-fault: $(ATOOL_OBJ) $(B)/asan/fault.o $(B)/asan/libtearline.a
	$(CC) $(ALL_CFLAGS) $(SAN) $(FAULT_LDFLAGS) -o $@ $(ATOOL_OBJ) \
	    $(B)/asan/fault.o $(B)/asan/libtearline.a $(LIBS)
# tearline-libfault: an ordinary build whose malloc fails the Nth
# allocation of the whole process, libraries included.
$(B)/obj/libfault.o: tests/fault/libfault.c $(B)/config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -O1 -c -o $@ $<
$(B)/tearline-libfault: $(TOOL_OBJ) $(B)/obj/libfault.o $(B)/libtearline.a
	$(CC) $(ALL_CFLAGS) -o $@ $(TOOL_OBJ) $(B)/obj/libfault.o \
	    $(B)/libtearline.a $(LIBS)
fault: $(FAULT_BINS) $(B)/tearline
	@sh tests/fault/run.sh $(B)/asan/tearline-fault $(B)/tearline \
	    $(B)/tearline-libfault

# clang and libFuzzer's runtime are needed here only.
fuzz: $(B)/config.mk
	@DEPS_EXTRA=clang sh scripts/deps.sh
	@$(MAKE) --no-print-directory fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(B)/fuzz $(FUZZ_TARGETS)
fuzz-build: $(FUZZ_BINS)

# --- benchmark: the release build against a generated corpus --------------
BENCH_MB ?= 200
BENCH_FILES ?= 100000
BENCH_RUNS ?= 5
BENCH_BIG_MB ?= 1024
BENCH_SEED ?= 7

$(B)/bench/%: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(WERROR) -O2 -o $@ $<

bench: all $(B)/bench/gen $(B)/bench/runstat
	@TEARLINE=$(B)/tearline GEN=$(B)/bench/gen RUNSTAT=$(B)/bench/runstat \
	    DIR=$(B)/bench BENCH_MB=$(BENCH_MB) BENCH_FILES=$(BENCH_FILES) \
	    BENCH_RUNS=$(BENCH_RUNS) BENCH_BIG_MB=$(BENCH_BIG_MB) \
	    BENCH_SEED=$(BENCH_SEED) sh tests/bench/bench.sh

# Fidelity on the real development sets beside the checkout (skips with a
# message where ../shared is absent): scripts/realcheck.py, its own oracle.
realcheck: all
	@python3 scripts/realcheck.py --tearline $(B)/tearline --out $(B)/realcheck \
	    --json $(B)/realcheck.json

clean:
	rm -rf $(B)

help:
	@sed -n 's/^#   //p' Makefile
