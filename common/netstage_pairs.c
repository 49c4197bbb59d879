// SPDX-License-Identifier: GPL-2.0-only
#include "netstage_pairs.h"

#include <string.h>

#include "hist.h"

size_t netstage_pairs_collect(const uint64_t *slots, struct netstage_pair *out, size_t max)
{
	size_t n = 0;

	for (unsigned dir = 0; dir < NS_DIRS; dir++)
		for (unsigned a = 0; a < NS_MAX_POS; a++)
			for (unsigned b = 0; b < NS_MAX_POS; b++) {
				struct netstage_pair p = { (uint8_t)dir, (uint8_t)a, (uint8_t)b, 0, { 0 } };

				memcpy(p.slots, &slots[netstage_pair_index(dir, a, b, 0)], sizeof(p.slots));
				p.samples = hist_total(p.slots, NS_HIST_SLOTS);
				if (p.samples && n < max)
					out[n++] = p;
			}
	return n;
}
