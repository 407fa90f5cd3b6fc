# pzone: derived memory zones for containers, on Debian's linux-source-6.12.
#
#   make demo        build everything, boot the guest, run the demo scenario
#   make test        build everything, run host tests, KUnit and the guest selftests
#   make vm-run SCRIPT=path [VM_FILES="f1 f2"]   run a script in the guest
#   make shell       interactive guest
#   make test-debug  the selftests on a KASAN/lockdep/DEBUG_VM/fault-injection kernel
#   make test-debug-ci  KUnit, concurrency, fault injection, relink stress on it
#   make soak        long resize torture (2000 resizes) and concurrency run
#   make check       checkpatch --strict and kernel-doc on our kernel files
#   make bench       the performance table (build/bench/)
#
# Everything is built under build/; ccache lives in ~/.cache/ccache.

SHELL := /bin/bash
TOP := $(CURDIR)
B := $(TOP)/build

KVER_PIN := 6.12.117-1~deb12u1
KSRC_TARBALL := /usr/src/linux-source-6.12.tar.xz
PACKAGES := gcc make flex bison bc libelf-dev libssl-dev cpio xz-utils gzip \
	    qemu-system-x86 busybox-static numactl ccache e2fsprogs python3 perl \
	    libc6-dev

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
VM_TIMEOUT ?= 1200
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
	test-guest test-debug test-debug-ci soak vm-run shell check bench clean distclean help

all: kernel initramfs

help:
	@sed -n '2,14p' Makefile

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

$(OBJ)/.config: $(SRC)/.prepared configs/base.config configs/pzone.config
	$(call kconfig,$(OBJ),$(TOP)/configs/base.config $(TOP)/configs/pzone.config)

$(OBJ_DEBUG)/.config: $(SRC)/.prepared configs/base.config configs/pzone.config configs/debug.config
	$(call kconfig,$(OBJ_DEBUG),$(TOP)/configs/base.config $(TOP)/configs/pzone.config $(TOP)/configs/debug.config)

kernel: $(SRC)/.overlay $(OBJ)/.config
	$(KMAKE) O=$(OBJ) bzImage

kernel-debug: $(SRC)/.overlay $(OBJ_DEBUG)/.config
	$(KMAKE) O=$(OBJ_DEBUG) bzImage

# The same kernel with CONFIG_PZONE=n, for the benchmark's overhead row.
$(OBJ_NOPZONE)/.config: $(SRC)/.prepared configs/base.config
	$(call kconfig,$(OBJ_NOPZONE),$(TOP)/configs/base.config)

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
	tests/qemu/run.sh -t $(VM_TIMEOUT) demo tests/qemu/demo.sh

vm-run: kernel initramfs
	@test -n "$(SCRIPT)" || { echo "usage: make vm-run SCRIPT=path [VM_FILES=\"f1 f2\"]" >&2; exit 2; }
	tests/qemu/run.sh -t $(VM_TIMEOUT) script $(SCRIPT) $(VM_FILES)

shell: kernel initramfs
	tests/qemu/run.sh -t 86400 shell

test-host: | $(B)/.deps
	$(MAKE) -C tools/pzonectl test OUTPUT=$(B)/tools-test

test-guest: kernel initramfs
	tests/qemu/run.sh -t $(VM_TIMEOUT) -l $(B)/test-console.log test
	tests/qemu/check-kunit.sh $(B)/test-console.log

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
# concurrency test, fault injection and the relink stress.
DEBUG_CI_TESTS := concurrency fault_inject relink_stress standby_refused_destroy
test-debug-ci: kernel-debug initramfs
	tests/qemu/run.sh -k $(BZIMAGE_DEBUG) -t 2400 \
		-a "PZONE_CONC_SECS=60 PZONE_TEST_TIMEOUT=900 RELINK_SECS=180 pztests=$(subst $(space),$(comma),$(DEBUG_CI_TESTS))" \
		-l $(B)/test-debug-ci-console.log test
	tests/qemu/check-kunit.sh $(B)/test-debug-ci-console.log

soak: kernel initramfs
	tests/qemu/run.sh -t 7200 -l $(B)/soak-console.log script tests/qemu/soak.sh

bench: kernel kernel-nopzone initramfs
	tests/bench/run.sh

check: $(SRC)/.overlay
	cd $(SRC) && perl scripts/checkpatch.pl --no-tree --strict --terse \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f \
		$(addprefix $(TOP)/,$(filter %.c %.h,$(OVERLAY)))
	cd $(SRC) && perl scripts/kernel-doc -none -Wall \
		$(addprefix $(TOP)/,$(filter %.c %.h,$(OVERLAY)))

clean:
	rm -rf $(OBJ) $(OBJ_DEBUG) $(OBJ_NOPZONE) $(B)/tools $(B)/tools-test $(SELFTESTS) $(INITRAMFS)

distclean:
	rm -rf $(B)
