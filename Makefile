# sendnews — plain make.  `make run` and `make check` install what is
# missing first (tools/deps); `make` alone only builds.

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/sendnews
MANPREFIX ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
PKG_CONFIG ?= pkg-config
CC ?= cc

PKGS = libcurl libxml-2.0
UIPKGS = ncursesw
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) $(UIPKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
UI_LIBS := $(shell $(PKG_CONFIG) --libs $(UIPKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
OPT ?= -O2 -g
SN_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread \
	-DVERSION='"$(VERSION)"' -DDATADIR='"$(DATADIR)"' $(WARN) $(OPT) \
	$(PKG_CFLAGS) -MMD -MP $(EXTRA_CFLAGS) $(CFLAGS)
SN_LDFLAGS = -pthread $(EXTRA_LDFLAGS) $(LDFLAGS)

# The core (everything but main.c and the curses screens) is a static
# library that the tests and fuzz targets link without ncurses.
UI_SRC = $(wildcard src/ui*.c)
CORE_SRC = $(filter-out src/main.c $(UI_SRC),$(wildcard src/*.c))
UNIT_SRC = $(wildcard tests/unit/test_*.c)

# B is the build directory: build/ for a normal build, build/asan for the
# sanitiser build that `make check` tests.
B ?= build
CORE_OBJ = $(CORE_SRC:src/%.c=$(B)/%.o)
UI_OBJ = $(UI_SRC:src/%.c=$(B)/%.o) $(B)/main.o
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/%)

ASAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

all: sendnews

sendnews: $(B)/sendnews
	cp $(B)/sendnews $@

$(B)/sendnews: $(UI_OBJ) $(B)/libsendnews.a
	$(CC) $(SN_CFLAGS) -o $@ $(UI_OBJ) $(B)/libsendnews.a $(PKG_LIBS) $(UI_LIBS) $(SN_LDFLAGS)

$(B)/libsendnews.a: $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $(CORE_OBJ)

$(B)/%.o: src/%.c
	@mkdir -p $(B)
	$(CC) $(SN_CFLAGS) -c -o $@ $<

# main.c has DATADIR built in: a stamp that changes with it rebuilds main.o,
# so `make install PREFIX=/usr` installs a binary that looks in /usr.
$(B)/datadir.stamp: FORCE
	@mkdir -p $(B)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
$(B)/main.o: $(B)/datadir.stamp

FORCE:

$(B)/test_%: tests/unit/test_%.c $(B)/libsendnews.a
	$(CC) $(SN_CFLAGS) -Isrc -o $@ $< $(B)/libsendnews.a $(PKG_LIBS) $(CMOCKA_LIBS) $(SN_LDFLAGS)

units: $(UNIT_BIN)

$(B)/%: bench/%.c $(B)/libsendnews.a
	$(CC) $(SN_CFLAGS) -Isrc -o $@ $< $(B)/libsendnews.a $(PKG_LIBS) $(SN_LDFLAGS)

deps:
	sh tools/deps build

test-deps:
	sh tools/deps test

run: deps
	$(MAKE) sendnews
	./sendnews --demo

# The whole suite against the sanitiser build, warnings as errors.
check: test-deps
	$(MAKE) B=build/asan OPT='-O1 -g' EXTRA_CFLAGS='-Werror $(ASAN_FLAGS)' \
		EXTRA_LDFLAGS='$(ASAN_FLAGS)' build/asan/sendnews units
	sh tests/run build/asan
	$(MAKE) fuzz-smoke

# Without installing anything: for a machine already set up.
test:
	$(MAKE) B=build/asan OPT='-O1 -g' EXTRA_CFLAGS='-Werror $(ASAN_FLAGS)' \
		EXTRA_LDFLAGS='$(ASAN_FLAGS)' build/asan/sendnews units
	sh tests/run build/asan

bench:
	sh tools/deps bench
	$(MAKE) sendnews build/parse_speed
	sh bench/run ./sendnews

# Fuzzing with libFuzzer (clang): one target per parser of untrusted input,
# tests/fuzz/fuzz_NAME.c, each linking the core built in build/fuzz with
# -fsanitize=fuzzer-no-link.  `make fuzz` runs each for FUZZ_SECONDS over
# build/fuzz/corpus-NAME (where new inputs go) and the seeds in
# tests/fuzz/NAME; `make fuzz-smoke` first runs every kept crash input in
# tests/fuzz/regress/NAME, then fuzzes each target for FUZZ_SMOKE_SECONDS.
# FUZZ_ARGS passes more libFuzzer options (-jobs, -dict ...).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_ARGS ?=
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN = $(FUZZ_NAMES:%=build/fuzz/fuzz_%)
FUZZ_SAN = address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_RUN = -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1

fuzz-build:
	$(MAKE) B=build/fuzz CC=$(FUZZ_CC) OPT='-O1 -g' \
		EXTRA_CFLAGS='-fsanitize=fuzzer-no-link,$(FUZZ_SAN)' $(FUZZ_BIN)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/libsendnews.a
	$(CC) $(SN_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) -Isrc -o $@ $< \
		build/fuzz/libsendnews.a $(PKG_LIBS) $(SN_LDFLAGS)

fuzz: test-deps fuzz-build
	@for t in $(FUZZ_NAMES); do \
		mkdir -p build/fuzz/corpus-$$t tests/fuzz/$$t; \
		dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
		echo "build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) build/fuzz/corpus-$$t tests/fuzz/$$t"; \
		build/fuzz/fuzz_$$t $(FUZZ_RUN) -max_total_time=$(FUZZ_SECONDS) $$dict \
			-artifact_prefix=build/fuzz/crash-$$t- $(FUZZ_ARGS) \
			build/fuzz/corpus-$$t tests/fuzz/$$t || exit 1; \
	done

fuzz-smoke: fuzz-build
	@for t in $(FUZZ_NAMES); do \
		mkdir -p build/fuzz/corpus-$$t tests/fuzz/$$t; \
		if ls tests/fuzz/regress/$$t/* >/dev/null 2>&1; then \
			echo "build/fuzz/fuzz_$$t tests/fuzz/regress/$$t/*"; \
			build/fuzz/fuzz_$$t $(FUZZ_RUN) tests/fuzz/regress/$$t/* \
				>build/fuzz/regress-$$t.log 2>&1 || \
				{ tail -n 40 build/fuzz/regress-$$t.log; echo "not ok - fuzz_$$t regressions"; exit 1; }; \
		fi; \
		echo "build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SMOKE_SECONDS) tests/fuzz/$$t"; \
		build/fuzz/fuzz_$$t $(FUZZ_RUN) -max_total_time=$(FUZZ_SMOKE_SECONDS) \
			-artifact_prefix=build/fuzz/crash-$$t- \
			build/fuzz/corpus-$$t tests/fuzz/$$t >build/fuzz/smoke-$$t.log 2>&1 || \
			{ tail -n 40 build/fuzz/smoke-$$t.log; echo "not ok - fuzz_$$t"; exit 1; }; \
		echo "ok - fuzz_$$t: $$(grep -o 'stat::number_of_executed_units: [0-9]*' build/fuzz/smoke-$$t.log | grep -o '[0-9]*$$') runs"; \
	done

# The whole suite once more, under valgrind memcheck, against a build
# without sanitisers: the test harnesses start every sendnews and unit
# test binary through SENDNEWS_WRAP.
VALGRIND = valgrind --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
	--track-fds=no --quiet

check-valgrind: test-deps
	$(MAKE) B=build/vg OPT='-O0 -g' build/vg/sendnews units
	SENDNEWS_WRAP='$(VALGRIND)' sh tests/run build/vg

lint-man:
	groff -mandoc -ww -z man/sendnews.1 man/sendnews.5

# What install puts in DATADIR, so uninstall removes exactly that.
DATA_FILES = worcestershire.urls topics demo.urls
DEMO_FILES = $(notdir $(wildcard feeds/demo/*))

# Installs from the build directory ($(B)/sendnews), and with install(1),
# which replaces a binary that is running instead of writing into it.
install: $(B)/sendnews
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man5 \
		$(DESTDIR)$(DATADIR)/demo $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(B)/sendnews $(DESTDIR)$(BINDIR)/sendnews
	sed 's|/usr/local/share/sendnews|$(DATADIR)|g; s|/usr/local/share/bash-completion|$(BASHCOMPDIR:%/completions=%)|g' \
		man/sendnews.1 > $(B)/sendnews.1
	install -m 644 $(B)/sendnews.1 $(DESTDIR)$(MANPREFIX)/man1/sendnews.1
	install -m 644 man/sendnews.5 $(DESTDIR)$(MANPREFIX)/man5/sendnews.5
	install -m 644 $(DATA_FILES:%=feeds/%) $(DESTDIR)$(DATADIR)/
	install -m 644 $(DEMO_FILES:%=feeds/demo/%) $(DESTDIR)$(DATADIR)/demo/
	install -m 644 tools/sendnews.bash $(DESTDIR)$(BASHCOMPDIR)/sendnews

# Removes the files install wrote and the two directories that are
# sendnews's own when they are left empty; shared directories (bin, man1,
# completions) stay.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sendnews $(DESTDIR)$(MANPREFIX)/man1/sendnews.1 \
		$(DESTDIR)$(MANPREFIX)/man5/sendnews.5 $(DESTDIR)$(BASHCOMPDIR)/sendnews \
		$(DATA_FILES:%=$(DESTDIR)$(DATADIR)/%) $(DEMO_FILES:%=$(DESTDIR)$(DATADIR)/demo/%)
	rmdir $(DESTDIR)$(DATADIR)/demo $(DESTDIR)$(DATADIR) 2>/dev/null || true

clean:
	rm -rf build sendnews

.PHONY: all units deps test-deps run check test bench lint-man install uninstall clean \
	fuzz fuzz-build fuzz-smoke check-valgrind

-include $(wildcard $(B)/*.d)
