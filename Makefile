# numa-migrate build.
#
#   make                 build build/numa-migrate (BPF embedded via skeletons)
#   make STATIC=1        fully static binary (what the QEMU guests run)
#   make test            the full suite: unit, host, sanitizer, fuzz, guest matrix
#   make check           the fast tier (~2 min): build, unit, host, short sanitizer and fuzz runs
#   make fuzz            the long fuzz run (FUZZ_SECONDS per harness, default 20)
#   make demo            install deps, build, run the golden path
#   make bench-auto      numa-migrate auto against the kernel's NUMA balancing (guest)
#   make bench-tiers     auto --demote-cold (DAMON) against the kernel's tiering (guest)
#   make bench-disrupt   page-touch and mmap stalls of an application while it is moved (guest)
#   make bench-overhead  cost of trace, scan and auto --all on a workload (guest)
#   make bench-large     4 GiB moved, traced and auto-placed: millions of pages (guest)
#   make bench-all       auto --all against the kernel and numad, scan against numastat (guest)
#   make bench-policy    auto's user-space cost per interval at 7,500-60,000 mappings (host, no root)
#   make readme-tour     the README's tour in a 2-node guest -> build/tour/transcript.txt
#   make install PREFIX=/usr/local DESTDIR=
#   make deb             build/numa-migrate_VERSION_amd64.deb (dpkg-buildpackage)
#   make vm-systemd-test the .deb under systemd and node exporter (Debian 12 guest)
#   make vmlinux         regenerate vmlinux/vmlinux.h from this kernel's BTF
#   V=1                  show full commands
#
# Pipeline (libbpf-bootstrap's): clang -target bpf -> bpftool gen object ->
# bpftool gen skeleton -> C header included by userspace/*.c.

OUTPUT   ?= build
CLANG    ?= clang
BPFTOOL  ?= bpftool
CC       ?= cc
PREFIX   ?= /usr/local
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR  ?=
ARCH     := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# The dynamic binary is build/numa-migrate; the static one (what the guests
# run) build/static/numa-migrate, so switching STATIC never reuses the other.
ifeq ($(STATIC),1)
OBJDIR  := $(OUTPUT)/static
BIN     := $(OUTPUT)/static/numa-migrate
LDSTATIC := -static
else
OBJDIR  := $(OUTPUT)/obj
BIN     := $(OUTPUT)/numa-migrate
LDSTATIC :=
endif

WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-unused-parameter
# CFLAGS is the user's (optimisation, debug); the project's own flags are in
# NM_CFLAGS so 'make CFLAGS=-O0' cannot drop warnings or include paths.
CFLAGS   ?= -O2 -g
# userspace/ is layered by folder (see ARCHITECTURE.md); headers are found by
# name in every layer.
LIB_DIRS  := lib read output
SYS_DIRS  := kernel session cmd
NM_CFLAGS := $(WARN) -std=gnu11 -D_GNU_SOURCE -Iinclude \
	     $(patsubst %,-Iuserspace/%,$(LIB_DIRS) $(SYS_DIRS)) -I$(OUTPUT)
DEPFLAGS  = -MMD -MP
LDLIBS   := -lbpf -lelf -lz -lnuma -ljson-c -lpthread
ifeq ($(STATIC),1)
LDLIBS   += $(shell pkg-config --static --libs-only-l libelf 2>/dev/null | sed 's/-lelf//')
endif

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -D__BPF__ \
	      -Wall -Werror -Iinclude -Ivmlinux

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_NAMES := $(patsubst bpf/%.bpf.c,%,$(BPF_SRCS))
SKELS     := $(patsubst %,$(OUTPUT)/%.skel.h,$(BPF_NAMES))

# Pure logic, /proc and /sys readers (taking a root path) and output: no
# libbpf, so unit tests and fuzzers link these objects directly. The system
# edges (syscalls, BPF loaders), the session layer and the commands link only
# into the binary. A new file in a layer's folder needs no edit here.
CORE_SRCS := $(wildcard $(patsubst %,userspace/%/*.c,$(LIB_DIRS)))
SYS_SRCS  := $(wildcard $(patsubst %,userspace/%/*.c,$(SYS_DIRS)))
CORE_OBJS := $(patsubst userspace/%.c,$(OBJDIR)/%.o,$(CORE_SRCS))
SYS_OBJS  := $(patsubst userspace/%.c,$(OBJDIR)/%.o,$(SYS_SRCS))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(UNIT_SRCS))

.DELETE_ON_ERROR:
.PRECIOUS: $(OUTPUT)/%.bpf.o
.PHONY: all clean test unit-test host-test vm-test vm-shell demo install \
	vmlinux deps bench bench-auto bench-policy fuzz docs unit-test-asan asan-smoke fuzz-short check \
	deb pkg-test bare-debian-test release-tag readme-tour

all: $(BIN)

# ---- BPF -------------------------------------------------------------------
$(OUTPUT)/%.bpf.o: bpf/%.bpf.c vmlinux/vmlinux.h | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -MF $(@:.o=.d) -MT $@ -c $< -o $(@:.o=.tmp.o)
	$(Q)$(BPFTOOL) gen object $@ $(@:.o=.tmp.o)
	$(Q)rm -f $(@:.o=.tmp.o)

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $*_bpf > $@

# ---- user space ------------------------------------------------------------
$(OBJDIR)/%.o: userspace/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(NM_CFLAGS) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

# Only the loaders include skeletons; pure objects (and unit tests) need no
# clang or bpftool. -MMD records the dependency after the first build.
$(patsubst userspace/%.c,$(OBJDIR)/%.o,$(wildcard userspace/kernel/*.c)): | $(SKELS)

$(BIN): $(CORE_OBJS) $(SYS_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(LDSTATIC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT) $(OBJDIR) $(OUTPUT)/tests:
	$(Q)mkdir -p $@

# ---- tests -----------------------------------------------------------------
# Unit tests that also link objects of the system layers (none of them uses
# libbpf): UNIT_EXTRA_<test> lists them by path under the object folder.
UNIT_EXTRA_test_session := session/session
UNIT_EXTRA_test_damon   := session/session kernel/damon
UNIT_EXTRA_test_autoall := session/session session/pidlock
unit_extra = $(patsubst %,$(1)/%.o,$(UNIT_EXTRA_$(2)))
.SECONDEXPANSION:

$(OUTPUT)/tests/%: tests/unit/%.c $(CORE_OBJS) $$(call unit_extra,$(OBJDIR),$$*) | $(OUTPUT)/tests
	$(call msg,CC-TEST,$@)
	$(Q)$(CC) $(NM_CFLAGS) $(CFLAGS) $(DEPFLAGS) $< $(CORE_OBJS) $(call unit_extra,$(OBJDIR),$*) -lcmocka -ljson-c -lpthread -o $@

unit-test: $(UNIT_BINS)
	$(Q)tests/unit/run.sh $(UNIT_BINS)

host-test: $(BIN) $(OUTPUT)/tests/test_heatsvg
	$(Q)tests/host/run.sh $(BIN)

vm-test:
	$(Q)$(MAKE) --no-print-directory STATIC=1 all
	$(Q)tests/vm/vm.sh $(if $(or $(KERNEL),$(NODES)),test \
		--kernel $(or $(KERNEL),6.12) --nodes $(or $(NODES),2),matrix) \
		$(if $(T),--tests $(T)) --bin $(OUTPUT)/static

vm-shell:
	$(Q)$(MAKE) --no-print-directory STATIC=1 all
	$(Q)tests/vm/vm.sh shell --kernel $(or $(KERNEL),6.12) --nodes $(or $(NODES),2) \
		--bin $(OUTPUT)/static

# make test: what .ci/run calls. Installs its own dependencies first.
test: deps
	$(Q)tests/run-all.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory $(BIN)
	$(Q)tests/demo.sh $(BIN)

deps:
	$(Q)tests/deps.sh

readme-tour: deps
	$(Q)tests/tour/run.sh

bench: $(BIN)
	$(Q)$(MAKE) --no-print-directory STATIC=1 all
	$(Q)tests/bench/run.sh
	$(Q)tests/bench/rss.sh $(OUTPUT)/numa-migrate
	$(Q)mkdir -p $(OUTPUT)/bench-tools && $(CC) -O2 -Wall -Wextra -Werror -o $(OUTPUT)/bench-tools/nmb-workload tests/bench/tools/nmb-workload.c -lnuma
	$(Q)tests/bench/overhead.sh $(OUTPUT)/numa-migrate $(OUTPUT)/bench-tools/nmb-workload
	$(Q)$(MAKE) --no-print-directory bench-policy

# auto's user-space work per interval at 7,500 to 60,000 mappings (no root)
bench-policy: $(OUTPUT)/bench-tools/nmb-policy
	$(Q)$<

$(OUTPUT)/bench-tools/nmb-policy: tests/bench/nmb-policy.c $(CORE_OBJS)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(NM_CFLAGS) -O2 $< $(CORE_OBJS) -ljson-c -lpthread -o $@

# The guest benchmarks (see the list at the top and tests/bench/README.md):
# each builds the static binary the guests run, then its script boots them.
GUEST_BENCH_bench-auto     := auto.sh
GUEST_BENCH_bench-tiers    := tiers.sh
GUEST_BENCH_bench-disrupt  := disrupt.sh
GUEST_BENCH_bench-all      := peers.sh
GUEST_BENCH_bench-overhead := overhead-guest.sh
GUEST_BENCH_bench-large    := large.sh
GUEST_BENCHES := bench-auto bench-tiers bench-disrupt bench-all bench-overhead bench-large
.PHONY: $(GUEST_BENCHES)
$(GUEST_BENCHES):
	$(Q)$(MAKE) --no-print-directory STATIC=1 all
	$(Q)tests/bench/$(GUEST_BENCH_$@)

fuzz:
	$(Q)tests/fuzz/run.sh

# The unit tests once more, against the core objects built a second time
# with AddressSanitizer (leaks included) and UBSan, in $(OUTPUT)/asan so
# they never mix with the normal objects. -fno-sanitize-recover: the first
# report ends the test binary, which tests/unit/run.sh counts as a failure.
ASAN_DIR    := $(OUTPUT)/asan
ASAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	       -fno-sanitize-recover=all
ASAN_OBJS   := $(patsubst userspace/%.c,$(ASAN_DIR)/obj/%.o,$(CORE_SRCS))
ASAN_BINS   := $(patsubst tests/unit/%.c,$(ASAN_DIR)/tests/%,$(UNIT_SRCS))
.SECONDARY: $(ASAN_OBJS)

$(ASAN_DIR)/obj/%.o: userspace/%.c
	$(call msg,CC-ASAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(NM_CFLAGS) $(ASAN_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(ASAN_DIR)/tests/%: tests/unit/%.c $(ASAN_OBJS) $$(call unit_extra,$(ASAN_DIR)/obj,$$*)
	$(call msg,CC-ASAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(NM_CFLAGS) $(ASAN_CFLAGS) $(DEPFLAGS) $< $(ASAN_OBJS) $(call unit_extra,$(ASAN_DIR)/obj,$*) -lcmocka -ljson-c -lpthread -o $@

unit-test-asan: $(ASAN_BINS)
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86 \
	   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	   tests/unit/run.sh $(ASAN_BINS)

# The whole binary with the same sanitizers (the system edges and commands
# the unit tests cannot reach), each command run once against a helper.
ASAN_SYS_OBJS := $(patsubst userspace/%.c,$(ASAN_DIR)/obj/%.o,$(SYS_SRCS))
.SECONDARY: $(ASAN_SYS_OBJS)
$(patsubst userspace/%.c,$(ASAN_DIR)/obj/%.o,$(wildcard userspace/kernel/*.c)): | $(SKELS)

$(ASAN_DIR)/numa-migrate: $(ASAN_OBJS) $(ASAN_SYS_OBJS)
	$(call msg,LD-ASAN,$@)
	$(Q)$(CC) $(ASAN_CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

asan-smoke: $(ASAN_DIR)/numa-migrate $(BIN)
	$(Q)tests/host/asan-smoke.sh $(ASAN_DIR)/numa-migrate $(BIN)

# Every fuzz harness for a few seconds: a harness that no longer builds or
# crashes at once fails here; the long run is 'make fuzz'.
fuzz-short:
	$(Q)FUZZ_SECONDS=$(or $(FUZZ_SECONDS),3) tests/fuzz/run.sh

# The fast tier (about two minutes): build, unit tests, host tests, and the
# short sanitizer and fuzz runs. 'make test' is the full suite (adds the
# guest matrix).
check:
	$(Q)tests/run-all.sh unit-test host-test unit-test-asan asan-smoke fuzz-short

# Validates JSON outputs against docs/schema: files <schema>.<label>.json(l)
# or folders of them (default: what the guest legs returned, build/vm/files).
# The host stage and every guest leg run it themselves (tests/schema).
.PHONY: schema-check
schema-check:
	$(Q)tests/schema/validate.sh $(or $(DIR),$(OUTPUT)/vm/files)

# ---- docs and install ------------------------------------------------------
$(OUTPUT)/numa-migrate.8: $(BIN)
	$(call msg,GEN,$@)
	$(Q)$(BIN) help --man > $@

$(OUTPUT)/numa-migrate.bash: $(BIN)
	$(call msg,GEN,$@)
	$(Q)$(BIN) help --bash-completion > $@

docs: $(OUTPUT)/numa-migrate.8 $(OUTPUT)/numa-migrate.bash

# the unit names the binary by PREFIX: always regenerated
install: $(BIN) docs
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g' dist/numa-migrate-auto@.service.in > $(OUTPUT)/numa-migrate-auto@.service
	sed 's|@SBINDIR@|$(PREFIX)/sbin|g' dist/numa-migrate-auto.service.in > $(OUTPUT)/numa-migrate-auto.service
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/sbin/numa-migrate
	install -D -m 0644 $(OUTPUT)/numa-migrate-auto@.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/numa-migrate-auto@.service
	install -D -m 0644 $(OUTPUT)/numa-migrate-auto.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/numa-migrate-auto.service
	install -D -m 0644 $(OUTPUT)/numa-migrate.8 $(DESTDIR)$(PREFIX)/share/man/man8/numa-migrate.8
	install -D -m 0644 $(OUTPUT)/numa-migrate.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/numa-migrate

# ---- version and Debian package --------------------------------------------
# The version has ONE source: the first line of debian/changelog,
# "numa-migrate (VERSION) ...". --version prints it from build/version.h.
VERSION = $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)

$(OUTPUT)/version.h: debian/changelog | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)v='$(VERSION)'; [ -n "$$v" ] || { echo "debian/changelog: no version in its first line; fix: start it with 'numa-migrate (X.Y.Z) unstable; urgency=medium'" >&2; exit 1; }; \
		printf '/* generated from debian/changelog by make */\n#define NM_VERSION "%s"\n' "$$v" > $@

$(OBJDIR)/cmd/main.o: $(OUTPUT)/version.h

# A release's git tag is derived from debian/changelog (never the reverse):
# bump the changelog (dch -v X.Y.Z), commit, then make release-tag.
release-tag:
	git tag -a v$(VERSION) -m "numa-migrate $(VERSION)"

# make deb: build/numa-migrate_VERSION_amd64.deb with dpkg-buildpackage, from
# a clean copy of the tree (the files git knows, committed or not), so the
# package never picks up build/ or other local files.
deb: deps
	$(Q)tests/pkg/build-deb.sh $(OUTPUT)

# the .deb, lintian, its file list and --version (tests/pkg/run.sh)
pkg-test: deps
	$(Q)tests/pkg/run.sh $(OUTPUT)

# the README's steps in a debootstrap'd minimal Debian 12 chroot (cached)
bare-debian-test: deps
	$(Q)tests/pkg/bare-debian.sh

# issue #15 point 2: the .deb under a real systemd and node exporter, in a
# Debian 12 guest booted from a cached debootstrap tree (tests/vm/systemd)
.PHONY: vm-systemd-test
vm-systemd-test: deb
	$(Q)T=$(T) tests/vm/systemd/run.sh $(OUTPUT)/numa-migrate_$(VERSION)_amd64.deb

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/vmlinux.h.new
	mv vmlinux/vmlinux.h.new vmlinux/vmlinux.h

clean:
	rm -rf $(OUTPUT)

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/obj/*/*.d $(OUTPUT)/static/*/*.d $(OUTPUT)/tests/*.d \
	$(OUTPUT)/asan/obj/*/*.d $(OUTPUT)/asan/tests/*.d)
