# SPDX-License-Identifier: GPL-2.0
#
# xtcp: developer entry points.  The kernel build itself is in Kbuild.
#
#   make              build xtcp.ko against Debian's 6.12 headers (build/6.12)
#   make modules-all  build for 6.1, 6.12 and the debug kernel
#   make demo         the main job: build, boot a guest, load xtcp, show it
#   make check        every test, ending with "N passed, N failed"
#   make vm           interactive guest shell with xtcp loaded (KERNEL=...)
#   make bench        benchmarks against in-tree TCP, in a guest
#   make bench-tail   small transfers under 20% random loss, xtcp and TCP
#   make bench-apps   iperf3, wrk+nginx, redis-benchmark: TCP and xtcp (xtcpize)
#   make fuzz         the fuzzers with new seeds on the debug kernel (SEEDS=5)
#   make install      xtcpize and its library, xss, xtcp-fig, the bpftrace
#                     tools under PREFIX (/usr/local), and the source for
#                     DKMS in /usr/src/xtcp-VERSION (dkms add xtcp/VERSION)
#   make dkms         dkms add + build for the 6.12 headers in build/dkms
#   make checkpatch | sparse | debug-kernel | selftests | tools | clean
#
# KERNEL selects 6.12 (default), 6.1 or debug for make, vm and demo.

KERNEL ?= 6.12
# Recipes source scripts/kernels.sh, which needs bash (BASH_SOURCE).
SHELL := /bin/bash

all: modules

deps:
	@scripts/deps.sh

modules: deps
	@. scripts/kernels.sh && scripts/build.sh "$$(kernel_build_dir $(KERNEL))" build/$(KERNEL)

modules-all: deps
	@for k in 6.1 6.12 debug; do \
		. scripts/kernels.sh && scripts/build.sh "$$(kernel_build_dir $$k)" build/$$k || exit 1; \
	done

selftests: deps
	@$(MAKE) -s -C selftests

tools:
	@$(MAKE) -s -C tools/xtcpize

PREFIX ?= /usr/local
XTCP_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
install: tools
	install -D -m755 tools/xtcpize/xtcpize $(DESTDIR)$(PREFIX)/bin/xtcpize
	install -D -m644 build/tools/libxtcpize.so $(DESTDIR)$(PREFIX)/lib/xtcp/libxtcpize.so
	install -D -m755 build/tools/xtcpize-bpf $(DESTDIR)$(PREFIX)/lib/xtcp/xtcpize-bpf
	install -D -m644 build/tools/xtcpize.bpf.o $(DESTDIR)$(PREFIX)/lib/xtcp/xtcpize.bpf.o
	install -D -m755 tools/xss $(DESTDIR)$(PREFIX)/bin/xss
	install -D -m755 tools/xtcp-fig $(DESTDIR)$(PREFIX)/bin/xtcp-fig
	install -d $(DESTDIR)$(PREFIX)/share/xtcp
	install -m755 tools/*.bt $(DESTDIR)$(PREFIX)/share/xtcp/
	install -d $(DESTDIR)/usr/src/xtcp-$(XTCP_VERSION)
	cp -a Kbuild dkms.conf src include kunit $(DESTDIR)/usr/src/xtcp-$(XTCP_VERSION)/

dkms: deps
	@scripts/dkms-build.sh

debug-kernel: deps
	@scripts/debug-kernel.sh

checkpatch: deps
	@scripts/static.sh checkpatch

sparse: deps
	@scripts/static.sh sparse

vm: modules
	scripts/vm/run.sh --kernel $(KERNEL) --interactive -- \
		insmod build/$(KERNEL)/xtcp.ko

demo:
	@scripts/demo.sh $(KERNEL)

check:
	@scripts/check.sh

bench:
	@bench/run.sh $(KERNEL)

bench-tail:
	@bench/run.sh $(KERNEL) tail

bench-apps:
	@bench/run.sh $(KERNEL) apps

fuzz:
	@scripts/fuzz.sh debug $(or $(SEEDS),5)

clean:
	rm -rf build

.PHONY: all deps modules modules-all selftests tools install dkms debug-kernel checkpatch sparse \
	vm demo check bench bench-tail bench-apps fuzz clean
