// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_bind, for src/xtcp_bind.h: when two local addresses
 * overlap for bind() across IPv4 and IPv6, as Linux's
 * inet_rcv_saddr_equal() decides (selftests/xtcp_dualstack.c compares
 * the same cases with in-tree TCP from outside).
 */
#include <kunit/test.h>
#include <net/transp_v6.h>

#include "xtcp_bind.h"

static const struct in6_addr any6 = IN6ADDR_ANY_INIT;
static const struct in6_addr lo6 = IN6ADDR_LOOPBACK_INIT;
static const struct in6_addr other6 = {
	.s6_addr = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 }
};

static struct in6_addr mapped6(__be32 a)
{
	struct in6_addr m;

	ipv6_addr_set_v4mapped(a, &m);
	return m;
}

static struct xtcp_bound v4(__be32 a)
{
	return (struct xtcp_bound){ .family = AF_INET, .addr = a };
}

/* An AF_INET6 socket on @a6; @a its IPv4 side (inet6_bind() sets it). */
static struct xtcp_bound v6(const struct in6_addr *a6, __be32 a, bool only)
{
	return (struct xtcp_bound){ .family = AF_INET6, .addr6 = a6,
				    .addr = a, .v6only = only };
}

#define LO4	htonl(INADDR_LOOPBACK)
#define OTHER4	htonl(0x0a000001)	/* 10.0.0.1 */

static void xtcp_bind_v4_test(struct kunit *test)
{
	struct xtcp_bound a = v4(LO4), b = v4(OTHER4), any = v4(0);

	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&a, &a));
	KUNIT_EXPECT_FALSE(test, xtcp_addr_overlap(&a, &b));
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&a, &any));
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&any, &b));
}

/* [::]:P without V6ONLY holds 0.0.0.0:P too; with it, only IPv6. */
static void xtcp_bind_wildcards_test(struct kunit *test)
{
	struct xtcp_bound any6s = v6(&any6, 0, false);
	struct xtcp_bound only6 = v6(&any6, 0, true);
	struct xtcp_bound any4 = v4(0), lo4 = v4(LO4);

	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&any4, &any6s));
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&any6s, &any4));
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&lo4, &any6s));
	KUNIT_EXPECT_FALSE(test, xtcp_addr_overlap(&any4, &only6));
	KUNIT_EXPECT_FALSE(test, xtcp_addr_overlap(&only6, &any4));
	KUNIT_EXPECT_FALSE(test, xtcp_addr_overlap(&only6, &lo4));
	/* Two IPv6 wildcards always clash, V6ONLY or not. */
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&only6, &any6s));
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&any6s, &only6));
}

/* A specific IPv6 address: V6ONLY (inet6_bind() sets it), IPv4 apart. */
static void xtcp_bind_specific_test(struct kunit *test)
{
	struct xtcp_bound lo = v6(&lo6, LOOPBACK4_IPV6, true);
	struct xtcp_bound other = v6(&other6, LOOPBACK4_IPV6, true);
	struct xtcp_bound any6s = v6(&any6, 0, false);
	struct xtcp_bound any4 = v4(0), lo4 = v4(LO4);

	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&lo, &lo));
	KUNIT_EXPECT_FALSE(test, xtcp_addr_overlap(&lo, &other));
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&lo, &any6s));
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&any6s, &lo));
	KUNIT_EXPECT_FALSE(test, xtcp_addr_overlap(&any4, &lo));
	KUNIT_EXPECT_FALSE(test, xtcp_addr_overlap(&lo, &any4));
	KUNIT_EXPECT_FALSE(test, xtcp_addr_overlap(&lo, &lo4));
}

/* A v4-mapped address is its IPv4 address (RFC 4291 2.5.5.2). */
static void xtcp_bind_mapped_test(struct kunit *test)
{
	struct in6_addr mlo = mapped6(LO4), many = mapped6(0);
	struct xtcp_bound m = v6(&mlo, LO4, false);
	struct xtcp_bound mwild = v6(&many, 0, false);
	struct xtcp_bound lo4 = v4(LO4), other4 = v4(OTHER4), any4 = v4(0);
	struct xtcp_bound lo = v6(&lo6, LOOPBACK4_IPV6, true);
	struct xtcp_bound any6s = v6(&any6, 0, false);

	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&m, &lo4));
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&lo4, &m));
	KUNIT_EXPECT_FALSE(test, xtcp_addr_overlap(&m, &other4));
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&m, &any4));
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&mwild, &lo4));
	KUNIT_EXPECT_FALSE(test, xtcp_addr_overlap(&m, &lo));
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&m, &any6s));
	KUNIT_EXPECT_TRUE(test, xtcp_addr_overlap(&any6s, &m));
}

static struct kunit_case xtcp_bind_cases[] = {
	KUNIT_CASE(xtcp_bind_v4_test),
	KUNIT_CASE(xtcp_bind_wildcards_test),
	KUNIT_CASE(xtcp_bind_specific_test),
	KUNIT_CASE(xtcp_bind_mapped_test),
	{}
};

static struct kunit_suite xtcp_bind_suite = {
	.name = "xtcp_bind",
	.test_cases = xtcp_bind_cases,
};

kunit_test_suite(xtcp_bind_suite);
