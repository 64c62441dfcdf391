// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for xtcp's self-contained helpers: only glue.  Each
 * kunit/xtcp_*_kunit.c holds the suite of one subject, testing the
 * headers the module runs, unmodified.  Built only against a kernel with
 * CONFIG_KUNIT (the project's debug kernel; kunit/.kunitconfig);
 * loading the module runs the suites and prints KTAP to the kernel log.
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for xtcp");
