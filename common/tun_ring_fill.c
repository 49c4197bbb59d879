// SPDX-License-Identifier: GPL-2.0-only
/* How full a tap queue's TX ptr_ring is (tun_ring_fill.h). */
#include "tun_ring_fill.h"

int tun_ring_used_pct(const struct tun_ring_state *r)
{
	int used = r->producer >= r->consumer_tail ? r->producer - r->consumer_tail
						   : r->size - r->consumer_tail + r->producer;

	if (r->size <= 0)
		return 0;
	return (int)((long long)used * 100 / r->size);
}
