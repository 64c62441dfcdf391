/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp's own lookup tables, one set per network namespace.
 */
#ifndef _XTCP_HASH_H
#define _XTCP_HASH_H

#include "xtcp.h"
#include "xtcp_tw.h"

void xtcp_hash_init(struct xtcp_net *xn);
void xtcp_hash_seed(void);

int xtcp_bind_port(struct sock *sk, u16 port);
void xtcp_put_port(struct sock *sk);
int xtcp_listen_hash(struct sock *sk);
int xtcp_connect_hash(struct sock *sk, u32 *isn);
void xtcp_inherit_port(struct sock *child, struct sock *parent);
void xtcp_unhash(struct sock *sk);
void xtcp_ehash_replace(struct sock *sk, struct xtcp_tw_sock *tw);

struct sock *xtcp_lookup_established(struct net *net, __be32 saddr,
				     __be16 sport, __be32 daddr, __be16 dport,
				     int dif, int sdif);
struct xtcp_tw_sock *xtcp_lookup_tw(struct net *net, __be32 saddr,
				    __be16 sport, __be32 daddr, __be16 dport,
				    int dif, int sdif);
struct sock *xtcp_lookup_listener(struct net *net, __be32 saddr,
				  __be16 sport, __be32 daddr, __be16 dport,
				  int dif, int sdif);
struct sock *xtcp6_lookup_established(struct net *net,
				      const struct in6_addr *saddr,
				      __be16 sport,
				      const struct in6_addr *daddr,
				      __be16 dport, int dif, int sdif);
struct xtcp_tw_sock *xtcp6_lookup_tw(struct net *net,
				     const struct in6_addr *saddr,
				     __be16 sport,
				     const struct in6_addr *daddr,
				     __be16 dport, int dif, int sdif);
struct sock *xtcp6_lookup_listener(struct net *net,
				   const struct in6_addr *saddr, __be16 sport,
				   const struct in6_addr *daddr, __be16 dport,
				   int dif, int sdif);
void xtcp_tw_unhash(struct xtcp_tw_sock *tw);

#endif /* _XTCP_HASH_H */
