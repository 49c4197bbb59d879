/* SPDX-License-Identifier: GPL-2.0-only */
/* How full a tap queue's TX ptr_ring is, as the tun and vhost tools print it. */
#pragma once
#include "bpf/tun_ring.h"

/*
 * The percentage of r's slots in use, produced and not yet released by the consumer
 * (producer - consumer_tail, or wrapped around), rounded down; 0 for an unsized ring.
 */
int tun_ring_used_pct(const struct tun_ring_state *r);
