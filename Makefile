# pzone: derived memory zones for containers, on Debian's linux-source-6.12.
#
#   make demo        build everything, boot the guest, run the demo scenario
#   make test        build everything, run host tests, KUnit and the guest selftests
#   make vm-run SCRIPT=path [VM_FILES="f1 f2"] [VM_SMP=N]   run a script in the guest
#                    (VM_SMP: vCPUs, 2 by default, spread over the guest's two nodes)
#   make shell       interactive guest
#   make test-debug  the selftests on a KASAN/lockdep/DEBUG_VM/fault-injection kernel
#   make test-debug-ci  KUnit, concurrency, fault injection, relink stress on it
#   make soak        long resize torture (2000 resizes) and concurrency run
#   make check       checkpatch --strict and kernel-doc on our kernel files and patches,
#                    kernel-doc and checkpatch -f counts of touched files against pristine
#   make check-series  apply patches/series one by one on a fresh tree and build what
#                    each patch touches (slow; not part of make test)
#   make bench       the performance table (build/bench/)
#   make install     pzonectl, pzoned, man pages, pzoned.service, bash completion
#                    (DESTDIR, PREFIX=/usr/local; see tools/pzonectl/Makefile)
#
# Everything is built under build/; ccache lives in ~/.cache/ccache.

SHELL := /bin/bash
TOP := $(CURDIR)
B := $(TOP)/build

KVER_PIN := 6.12.117-1~deb12u1
KSRC_TARBALL := /usr/src/linux-source-6.12.tar.xz
PACKAGES := gcc make flex bison bc libelf-dev libssl-dev cpio xz-utils gzip \
	    qemu-system-x86 busybox-static numactl ccache e2fsprogs python3 perl \
	    libc6-dev crun runc gnuplot-nox

SRC := $(B)/src
OBJ := $(B)/obj
OBJ_DEBUG := $(B)/obj-debug
OBJ_NOPZONE := $(B)/obj-nopzone
BZIMAGE := $(OBJ)/arch/x86/boot/bzImage
BZIMAGE_DEBUG := $(OBJ_DEBUG)/arch/x86/boot/bzImage
INITRAMFS := $(B)/initramfs.cpio.gz
PZONECTL := $(B)/tools/pzonectl
SELFTESTS := $(B)/selftests

JOBS ?= 3
VM_TIMEOUT ?= 2400
# vCPUs of the guest (tests/qemu/run.sh -s): make vm-run, make bench.
VM_SMP ?= 2
export CCACHE_DIR ?= $(HOME)/.cache/ccache
export CCACHE_BASEDIR := $(TOP)
export CCACHE_NOHASHDIR := 1
export CCACHE_MAXSIZE ?= 5G
export KBUILD_BUILD_TIMESTAMP := 2026-01-01
export KBUILD_BUILD_USER := pzone
export KBUILD_BUILD_HOST := pzone
space := $(subst ,, )
comma := ,
KMAKE = $(MAKE) -C $(SRC) -j$(JOBS) CC="ccache gcc" HOSTCC="ccache gcc"

# Our kernel files, copied over the Debian tree.
OVERLAY := $(wildcard mm/*.c mm/*.h mm/tests/*.c mm/Kconfig.pzone \
	     include/linux/*.h drivers/base/*.c)
PATCHES := $(shell sed -e 's/\#.*//' patches/series)

.PHONY: all deps kernel kernel-debug kernel-nopzone tools initramfs demo test test-host \
	test-guest test-debug test-debug-ci soak vm-run shell check check-series bench install clean \
	distclean help

all: kernel initramfs

help:
	@sed -n '2,19p' Makefile

# ---------------------------------------------------------------------------
# Host packages.  Installs what is missing when run as root.
$(B)/.deps:
	@mkdir -p $(B)
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if ! dpkg -s linux-source-6.12 >/dev/null 2>&1; then missing="$$missing linux-source-6.12"; fi; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "make: missing packages: $$missing (run as root or install them)" >&2; exit 1; \
		fi; \
		echo "make: installing$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		pkgs=$$(echo "$$missing" | sed 's/linux-source-6.12/linux-source-6.12=$(KVER_PIN)/'); \
		apt-get install -y --no-install-recommends $$pkgs || \
		{ apt-get update && apt-get install -y --no-install-recommends $$pkgs; } || \
		{ echo "make: WARNING: linux-source-6.12=$(KVER_PIN) not available, taking the candidate" >&2; \
		  pkgs=$$(echo "$$missing" | sed 's/linux-source-6.12=[^ ]*/linux-source-6.12/'); \
		  apt-get install -y --no-install-recommends $$pkgs; } || exit 1; \
	fi
	@v=$$(dpkg-query -W -f='$${Version}' linux-source-6.12); \
	if [ "$$v" != "$(KVER_PIN)" ]; then \
		echo "make: WARNING: building on linux-source-6.12 $$v, tested with $(KVER_PIN)" >&2; fi
	@touch $@

deps: $(B)/.deps

# ---------------------------------------------------------------------------
# Kernel tree: Debian's source, our files on top, then patches/series.
$(SRC)/.prepared: patches/series $(addprefix patches/,$(PATCHES)) | $(B)/.deps
	rm -rf $(SRC) $(SRC).tmp
	mkdir -p $(SRC).tmp
	tar -xf $(KSRC_TARBALL) -C $(SRC).tmp --strip-components=1
	mv $(SRC).tmp $(SRC)
	for f in $(OVERLAY); do install -D -m 0644 $$f $(SRC)/$$f; done
	for p in $(PATCHES); do \
		echo "  PATCH   $$p"; \
		patch -d $(SRC) -p1 --no-backup-if-mismatch -s < patches/$$p || exit 1; \
	done
	touch $@

# Copy changed overlay files only, so kbuild rebuilds only what changed.
$(SRC)/.overlay: $(SRC)/.prepared $(OVERLAY)
	@for f in $(OVERLAY); do cmp -s $$f $(SRC)/$$f || install -D -m 0644 $$f $(SRC)/$$f; done
	@touch $@

define kconfig
	mkdir -p $(1)
	$(KMAKE) O=$(1) tinyconfig >/dev/null
	cd $(SRC) && scripts/kconfig/merge_config.sh -m -O $(1) $(1)/.config $(2) >/dev/null
	$(KMAKE) O=$(1) olddefconfig >/dev/null
	for f in $(2); do grep -h '^CONFIG_.*=y' $$f | while read -r opt; do \
		grep -qx "$$opt" $(1)/.config || { echo "make: $$opt from $$f did not stick" >&2; exit 1; }; \
	done || exit 1; done
endef

# The guest kernel: base.config, a distribution's mm and what containers
# need (distro.config), pzone.  The debug kernel leaves distro.config out.
$(OBJ)/.config: $(SRC)/.prepared configs/base.config configs/distro.config configs/pzone.config
	$(call kconfig,$(OBJ),$(TOP)/configs/base.config $(TOP)/configs/distro.config $(TOP)/configs/pzone.config)

$(OBJ_DEBUG)/.config: $(SRC)/.prepared configs/base.config configs/pzone.config configs/debug.config
	$(call kconfig,$(OBJ_DEBUG),$(TOP)/configs/base.config $(TOP)/configs/pzone.config $(TOP)/configs/debug.config)

kernel: $(SRC)/.overlay $(OBJ)/.config
	$(KMAKE) O=$(OBJ) bzImage

kernel-debug: $(SRC)/.overlay $(OBJ_DEBUG)/.config
	$(KMAKE) O=$(OBJ_DEBUG) bzImage

# The same kernel with CONFIG_PZONE=n, for the benchmark's overhead row.
$(OBJ_NOPZONE)/.config: $(SRC)/.prepared configs/base.config configs/distro.config
	$(call kconfig,$(OBJ_NOPZONE),$(TOP)/configs/base.config $(TOP)/configs/distro.config)

kernel-nopzone: $(SRC)/.overlay $(OBJ_NOPZONE)/.config
	$(KMAKE) O=$(OBJ_NOPZONE) bzImage

# ---------------------------------------------------------------------------
# Guest userspace.
tools: | $(B)/.deps $(SRC)/.prepared
	$(MAKE) -C tools/pzonectl STATIC=1 OUTPUT=$(B)/tools
	$(MAKE) -C tools/testing/selftests/pzone OUTPUT=$(SELFTESTS) \
		KSFT_INC=$(SRC)/tools/testing/selftests

initramfs: tools
	tests/qemu/mkinitramfs.sh $(INITRAMFS) $(PZONECTL) $(SELFTESTS)

# ---------------------------------------------------------------------------
# Running the guest.
demo: kernel initramfs
	tests/qemu/run.sh -t $(VM_TIMEOUT) -l $(B)/demo-console.log demo tests/qemu/demo.sh
	tests/qemu/plot_overcommit.sh $(B)/demo-console.log $(B)/demo

vm-run: kernel initramfs
	@test -n "$(SCRIPT)" || { echo "usage: make vm-run SCRIPT=path [VM_FILES=\"f1 f2\"] [VM_SMP=N]" >&2; exit 2; }
	tests/qemu/run.sh -t $(VM_TIMEOUT) -s $(VM_SMP) script $(SCRIPT) $(VM_FILES)

shell: kernel initramfs
	tests/qemu/run.sh -t 86400 shell

# Host install of the tools (built dynamically, not the guest's static ones).
install:
	$(MAKE) -C tools/pzonectl OUTPUT=$(B)/tools-host/ install

test-host: | $(B)/.deps
	$(MAKE) -C tools/pzonectl test OUTPUT=$(B)/tools-test

# Tests that need more node ids than the main boot's pzone_nodes=4 (a pool
# and four containers) run in a boot of their own; a later pzone_nodes=
# wins.  The main boot keeps four ids, the conditions its tests were made
# for (creates adopting nodes still draining when no id is free).
POOL_TESTS := shared_pool
test-guest: kernel initramfs
	tests/qemu/run.sh -t $(VM_TIMEOUT) -l $(B)/test-console.log test
	tests/qemu/check-kunit.sh $(B)/test-console.log
	tests/qemu/run.sh -t $(VM_TIMEOUT) -a "pzone_nodes=6 pztests=$(subst $(space),$(comma),$(POOL_TESTS))" \
		-l $(B)/test-pool-console.log test

test: check test-host test-guest

# The debug kernel runs the whole suite with the 2-minute concurrency test
# and the 10-minute relink stress; KASAN under TCG is about 5x slower, so
# every test gets 15 minutes and overcommit runs at half size.
test-debug: kernel-debug initramfs
	tests/qemu/run.sh -k $(BZIMAGE_DEBUG) -t 9000 \
		-a "PZONE_CONC_SECS=120 PZONE_TEST_TIMEOUT=900 RELINK_SECS=600 OVERCOMMIT_HALF=1" \
		-l $(B)/test-debug-console.log test
	tests/qemu/check-kunit.sh $(B)/test-debug-console.log

# What CI runs on the debug kernel after make test: KUnit (at boot), the
# concurrency test, a regression reproducer, the relink stress (3 minutes
# here; make test-debug runs the 10-minute one) and fault injection.
DEBUG_CI_TESTS := concurrency standby_refused_destroy relink_stress fault_inject
test-debug-ci: kernel-debug initramfs
	tests/qemu/run.sh -k $(BZIMAGE_DEBUG) -t 3600 \
		-a "PZONE_CONC_SECS=60 PZONE_TEST_TIMEOUT=1500 RELINK_SECS=180 pztests=$(subst $(space),$(comma),$(DEBUG_CI_TESTS))" \
		-l $(B)/test-debug-ci-console.log test
	tests/qemu/check-kunit.sh $(B)/test-debug-ci-console.log

soak: kernel initramfs
	tests/qemu/run.sh -t 7200 -l $(B)/soak-console.log script tests/qemu/soak.sh

bench: kernel kernel-nopzone initramfs
	VM_SMP=$(VM_SMP) tests/bench/run.sh

# ---------------------------------------------------------------------------
# Style.  Our files must be clean; the patches must be clean as patches; the
# existing kernel files they touch must not get more kernel-doc or
# checkpatch -f warnings than in Debian's tree (extracted to $(PRISTINE)).
# EMBEDDED_FILENAME: checkpatch takes `source "mm/Kconfig.pzone"` for one.
KSRC_TOPDIR := linux-source-6.12
PRISTINE := $(B)/pristine
CHECKPATCH = perl $(SRC)/scripts/checkpatch.pl --no-tree --strict --terse
# Existing files the series changes (not the ones it creates), from the patches.
TOUCHED = $(shell awk '/^--- /{s=$$2} /^\+\+\+ b\//{if (s != "/dev/null") print substr($$2, 3)}' \
	    $(addprefix patches/,$(PATCHES)) | sort -u)

$(PRISTINE)/.tarball: $(KSRC_TARBALL) | $(B)/.deps
	rm -rf $(PRISTINE)
	mkdir -p $(PRISTINE)
	touch $@

check: $(SRC)/.overlay $(PRISTINE)/.tarball
	cd $(SRC) && perl scripts/checkpatch.pl --no-tree --strict --terse \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f \
		$(addprefix $(TOP)/,$(filter %.c %.h,$(OVERLAY)))
	cd $(SRC) && perl scripts/kernel-doc -none -Wall \
		$(addprefix $(TOP)/,$(filter %.c %.h,$(OVERLAY)))
	@echo "  CHECK   patches/series (checkpatch --strict)"
	@cd $(SRC) && fail=0; for p in $(PATCHES); do \
		$(CHECKPATCH) --ignore EMBEDDED_FILENAME $(TOP)/patches/$$p 2>/dev/null || \
			{ echo "make check: checkpatch: $$p" >&2; fail=1; }; \
	done; exit $$fail
	@missing=; for f in $(TOUCHED); do test -e $(PRISTINE)/$$f || missing="$$missing $(KSRC_TOPDIR)/$$f"; done; \
	if [ -n "$$missing" ]; then \
		echo "  PRISTINE$$missing"; \
		tar -xf $(KSRC_TARBALL) --strip-components=1 -C $(PRISTINE) $$missing || exit 1; \
	fi
	@echo "  CHECK   touched kernel files, pristine -> patched"
	@kd() { perl $(SRC)/scripts/kernel-doc -none -Wall "$$1" 2>&1 | grep -c 'warning:\|error:'; }; \
	cpf() { (cd "$$1" && $(CHECKPATCH) -f "$$2" 2>/dev/null | grep -c ': \(ERROR\|WARNING\|CHECK\):'); }; \
	fail=0; for f in $(filter %.c %.h,$(TOUCHED)); do \
		c=$(PRISTINE)/$$f.counts; \
		test -s $$c || echo "$$(kd $(PRISTINE)/$$f) $$(cpf $(PRISTINE) $$f)" > $$c; \
		read kd0 cp0 < $$c; kd1=$$(kd $(SRC)/$$f); cp1=$$(cpf $(SRC) $$f); \
		echo "  $$f: kernel-doc $$kd0 -> $$kd1, checkpatch -f $$cp0 -> $$cp1"; \
		if [ $$kd1 -gt $$kd0 ] || [ $$cp1 -gt $$cp0 ]; then \
			echo "make check: $$f: more warnings than the pristine file" >&2; fail=1; fi; \
	done; exit $$fail

# ---------------------------------------------------------------------------
# Bisectability: patches/series applied one patch at a time on a fresh tree
# with our files, each patch checked for an author and a sign-off, applied
# without fuzz, and followed by a build of what it touches: the object of
# each .c file, the directory of each Makefile, Kconfig or mm/ header, mm/
# for a header under include/ (the series' users), and mm/pzone.o and
# drivers/base/pzone_sysfs.o once CONFIG_PZONE exists.  The tree is
# configured (base, pzone and debug fragments) again after each patch that
# touches a Kconfig file.
# The config is base, pzone and debug (KASAN selects STACKDEPOT, so every
# file the series touches is built).  CHECK_SERIES_FULL=1 builds bzImage
# after every patch instead (slower).
SERIES_DIR := $(B)/series
IDENT_RE := [^<>]+ <[^<>@ ]+@[^<>@ ]+>
SKMAKE = $(MAKE) -C $(SERIES_DIR)/src O=$(SERIES_DIR)/obj -j$(JOBS) CC="ccache gcc" HOSTCC="ccache gcc"

check-series: | $(B)/.deps
	rm -rf $(SERIES_DIR)
	mkdir -p $(SERIES_DIR)/src $(SERIES_DIR)/obj
	tar -xf $(KSRC_TARBALL) -C $(SERIES_DIR)/src --strip-components=1
	for f in $(OVERLAY); do install -D -m 0644 $$f $(SERIES_DIR)/src/$$f; done
	@s=$(SERIES_DIR)/src; o=$(SERIES_DIR)/obj; n=0; \
	frags="$(TOP)/configs/base.config $(TOP)/configs/pzone.config $(TOP)/configs/debug.config"; \
	for p in $(PATCHES); do \
		n=$$((n + 1)); pf=patches/$$p; \
		echo "  SERIES  [$$n/$(words $(PATCHES))] $$p"; \
		head -n 1 $$pf | grep -qE '^From: $(IDENT_RE)$$' || \
			{ echo "make check-series: $$p: line 1 is not 'From: Name <email>'" >&2; exit 1; }; \
		sed -n 2p $$pf | grep -qE '^Subject: \[PATCH\] .+' || \
			{ echo "make check-series: $$p: line 2 is not 'Subject: [PATCH] ...'" >&2; exit 1; }; \
		sed '/^---$$/q' $$pf | grep -qE '^Signed-off-by: $(IDENT_RE)$$' || \
			{ echo "make check-series: $$p: no Signed-off-by: Name <email>" >&2; exit 1; }; \
		patch -d $$s -p1 --fuzz=0 --no-backup-if-mismatch -s < $$pf || \
			{ echo "make check-series: $$p does not apply without fuzz" >&2; exit 1; }; \
		files=$$(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' $$pf); \
		if [ $$n = 1 ] || echo "$$files" | grep -q 'Kconfig'; then \
			$(SKMAKE) tinyconfig >/dev/null && \
			(cd $$s && scripts/kconfig/merge_config.sh -m -O $$o $$o/.config $$frags >/dev/null) && \
			$(SKMAKE) olddefconfig >/dev/null || exit 1; \
		fi; \
		targets=; \
		for f in $$files; do case $$f in \
			*.c) targets="$$targets $${f%.c}.o";; \
			include/*) targets="$$targets mm/";; \
			*/Makefile|*/Kconfig*|*.h) targets="$$targets $$(dirname $$f)/";; \
		esac; done; \
		if grep -q '^CONFIG_PZONE=y' $$o/.config; then \
			targets="$$targets mm/pzone.o"; \
			grep -q '^CONFIG_PZONE_SYSFS=y' $$o/.config && targets="$$targets drivers/base/pzone_sysfs.o"; \
		fi; \
		[ -n "$(CHECK_SERIES_FULL)" ] && targets=bzImage; \
		targets=$$(echo $$targets | tr ' ' '\n' | sort -u | tr '\n' ' '); \
		echo "  BUILD   $$targets"; \
		$(SKMAKE) $$targets > $(SERIES_DIR)/build-$$n.log 2>&1 || \
			{ tail -n 30 $(SERIES_DIR)/build-$$n.log >&2; \
			  echo "make check-series: the tree does not build after $$p (log: $(SERIES_DIR)/build-$$n.log)" >&2; exit 1; }; \
		! grep -n ': warning:' $(SERIES_DIR)/build-$$n.log >&2 || \
			{ echo "make check-series: compiler warnings after $$p" >&2; exit 1; }; \
	done
	@for f in $(TOP)/configs/base.config $(TOP)/configs/pzone.config; do \
		grep -h '^CONFIG_.*=y' $$f | while read -r opt; do \
			grep -qx "$$opt" $(SERIES_DIR)/obj/.config || \
				{ echo "make check-series: $$opt from $$f did not stick" >&2; exit 1; }; \
		done || exit 1; done
	@echo "make check-series: $(words $(PATCHES)) patches apply and build one by one"

clean:
	rm -rf $(OBJ) $(OBJ_DEBUG) $(OBJ_NOPZONE) $(B)/tools $(B)/tools-test $(SELFTESTS) $(INITRAMFS)

distclean:
	rm -rf $(B)
