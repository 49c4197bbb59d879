// SPDX-License-Identifier: GPL-2.0-only
#include "hist.h"

#include <stdbool.h>
#include <string.h>

#include "json.h"
#include "util.h"

uint64_t log2_slot_low(unsigned s)
{
	return s >= 64 ? UINT64_MAX : (1ULL << s) - 1;
}

uint64_t log2_slot_high(unsigned s)
{
	return s >= 63 ? UINT64_MAX : (1ULL << (s + 1)) - 2;
}

void hist_stars(char *buf, uint64_t val, uint64_t max, int width)
{
	int n = max ? (int)((double)width * (double)val / (double)max) : 0;

	if (n > width)
		n = width;
	if (n < 0)
		n = 0;
	memset(buf, '*', (size_t)n);
	buf[n] = 0;
	if (val > max && n > 0)
		buf[n - 1] = '+';
}

uint64_t hist_total(const uint64_t *slots, unsigned n)
{
	uint64_t t = 0;

	for (unsigned i = 0; i < n; i++)
		t += slots[i];
	return t;
}

static void hist_range(const uint64_t *slots, unsigned n, int *first, int *last, uint64_t *max)
{
	*first = -1;
	*last = -1;
	*max = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!slots[i])
			continue;
		if (*first < 0)
			*first = (int)i;
		*last = (int)i;
		if (slots[i] > *max)
			*max = slots[i];
	}
}

static void print_rows(FILE *f, const uint64_t *slots, unsigned n, const char *val_type,
		       uint64_t (*low)(unsigned, const void *), uint64_t (*high)(unsigned, const void *),
		       const void *arg)
{
	enum { STARS = 40 };
	int first, last;
	uint64_t max;
	char bar[STARS + 1];

	hist_range(slots, n, &first, &last, &max);
	if (last < 0)
		return;
	bool wide = high((unsigned)last, arg) > 0xFFFFFFFFULL;
	int w = wide ? 20 : 10, stars = wide ? STARS / 2 : STARS;

	if (wide)
		fprintf(f, "               %-29s : count     distribution\n", val_type);
	else
		fprintf(f, "     %-19s : count     distribution\n", val_type);
	for (int i = first; i <= last; i++) {
		hist_stars(bar, slots[i], max, stars);
		fprintf(f, "%*llu -> %-*llu : %-8llu |%-*s|\n", w, (unsigned long long)low((unsigned)i, arg),
			w, (unsigned long long)high((unsigned)i, arg), (unsigned long long)slots[i], stars,
			bar);
	}
}

static uint64_t log2_low_cb(unsigned s, const void *arg)
{
	(void)arg;
	return log2_slot_low(s);
}

static uint64_t log2_high_cb(unsigned s, const void *arg)
{
	(void)arg;
	return log2_slot_high(s);
}

void print_log2_hist(FILE *f, const uint64_t *slots, unsigned n, const char *val_type)
{
	print_rows(f, slots, n, val_type, log2_low_cb, log2_high_cb, NULL);
}

struct linear {
	uint64_t base, step;
};

static uint64_t linear_low_cb(unsigned s, const void *arg)
{
	const struct linear *l = arg;

	return l->base + (uint64_t)s * l->step;
}

static uint64_t linear_high_cb(unsigned s, const void *arg)
{
	const struct linear *l = arg;

	return l->base + ((uint64_t)s + 1) * l->step - 1;
}

void print_linear_hist(FILE *f, const uint64_t *slots, unsigned n, uint64_t base, uint64_t step,
		       const char *val_type)
{
	struct linear l = { base, step ? step : 1 };

	print_rows(f, slots, n, val_type, linear_low_cb, linear_high_cb, &l);
}

uint64_t log2_hist_percentile(const uint64_t *slots, unsigned n, double p)
{
	uint64_t total = hist_total(slots, n), cum = 0;

	if (!total)
		return 0;
	double want = (double)total * p / 100.0;

	for (unsigned i = 0; i < n; i++) {
		cum += slots[i];
		if ((double)cum >= want && slots[i])
			return log2_slot_high(i);
	}
	return log2_slot_high(n - 1);
}

void log2_hist_json(struct json *j, const char *prefix, const char *unit, const uint64_t *slots, unsigned n)
{
	static const int pct[] = { 50, 90, 99 };
	char key[64], low[32], high[32];

	snprintf(key, sizeof(key), "%sbuckets", prefix);
	snprintf(low, sizeof(low), "low_%s", unit);
	snprintf(high, sizeof(high), "high_%s", unit);
	json_arr(j, key);
	for (unsigned s = 0; s < n; s++) {
		if (!slots[s])
			continue;
		json_obj(j, NULL);
		json_uint(j, low, log2_slot_low(s));
		json_uint(j, high, log2_slot_high(s));
		json_uint(j, "count", slots[s]);
		json_end_obj(j);
	}
	json_end_arr(j);
	if (!hist_total(slots, n))
		return;
	for (unsigned i = 0; i < ARRAY_SIZE(pct); i++) {
		snprintf(key, sizeof(key), "%sp%d_%s_max", prefix, pct[i], unit);
		json_uint(j, key, log2_hist_percentile(slots, n, pct[i]));
	}
}
