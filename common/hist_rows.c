// SPDX-License-Identifier: GPL-2.0-only
#include "hist_rows.h"

#include "hist.h"
#include "util.h"

void print_log2_rows(FILE *f, const char *indent, const uint64_t *slots, unsigned n, const char *unit)
{
	enum { BAR = 40 };
	uint64_t max = 0;
	char label[64], bar[BAR + 1];

	for (unsigned i = 0; i < n; i++)
		if (slots[i] > max)
			max = slots[i];
	for (unsigned i = 0; i < n; i++) {
		if (!slots[i])
			continue;
		snprintf(label, sizeof(label), "%llu-%llu%s", (unsigned long long)log2_slot_low(i),
			 (unsigned long long)log2_slot_high(i), unit);
		hist_stars(bar, slots[i], max, BAR);
		fprintf(f, "%s%-12s: %6llu |%-40s|\n", indent, label, (unsigned long long)slots[i], bar);
	}
}

void print_log2_percentiles(FILE *f, const char *prefix, const uint64_t *slots, unsigned n, const char *unit)
{
	static const double pct[] = { 50, 90, 99 };

	if (!hist_total(slots, n))
		return;
	fprintf(f, "%s", prefix);
	for (unsigned i = 0; i < ARRAY_SIZE(pct); i++) {
		uint64_t high = log2_hist_percentile(slots, n, pct[i]);

		/* Slots hold whole units: "<= high" is "< high + 1" of the real value. */
		if (high == UINT64_MAX)
			fprintf(f, "%sP%.0f <= %llu%s", i ? ", " : "", pct[i], (unsigned long long)high,
				unit);
		else
			fprintf(f, "%sP%.0f < %llu%s", i ? ", " : "", pct[i], (unsigned long long)high + 1,
				unit);
	}
	fputc('\n', f);
}
