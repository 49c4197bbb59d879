// SPDX-License-Identifier: GPL-2.0-only
#include "bthist.h"

#include <string.h>

#include "json.h"

uint64_t bt_hist_low(unsigned s)
{
	return s ? 1ULL << (s - 1) : 0;
}

uint64_t bt_hist_high(unsigned s)
{
	if (!s)
		return 0;
	return s >= 64 ? UINT64_MAX : (1ULL << s) - 1;
}

/* 2^power as bpftrace writes it: the power of 1024 as a suffix ("512", "1K", "16E"). */
static void power_label(unsigned power, char *buf, size_t len)
{
	static const char suffix[] = " KMGTPE";
	unsigned k = power / 10;

	if (k)
		snprintf(buf, len, "%llu%c", 1ULL << (power - 10 * k), suffix[k]);
	else
		snprintf(buf, len, "%llu", 1ULL << power);
}

const char *bt_hist_label(unsigned s, char *buf, size_t len)
{
	char lo[16], hi[16];

	if (s < 2) {
		snprintf(buf, len, "[%u]", s);
		return buf;
	}
	power_label(s - 1, lo, sizeof(lo));
	power_label(s, hi, sizeof(hi));
	snprintf(buf, len, "[%s, %s)", lo, hi);
	return buf;
}

void bt_print_hist(FILE *f, const char *name, const uint64_t *slots, unsigned n)
{
	unsigned first = n, last = 0;
	uint64_t max = 0;
	char label[40], bar[53];

	for (unsigned s = 0; s < n; s++) {
		if (!slots[s])
			continue;
		first = first < s ? first : s;
		last = s;
		max = slots[s] > max ? slots[s] : max;
	}
	if (first == n)
		return;
	fprintf(f, "@%s: \n", name);
	for (unsigned s = first; s <= last; s++) {
		unsigned width = (unsigned)(slots[s] * 52 / max);

		memset(bar, ' ', 52);
		memset(bar, '@', width);
		bar[52] = 0;
		fprintf(f, "%-16s%8llu |%s|\n", bt_hist_label(s, label, sizeof(label)),
			(unsigned long long)slots[s], bar);
	}
	fputc('\n', f);
}

void bt_hist_json(struct json *j, const char *key, const uint64_t *slots, unsigned n)
{
	json_arr(j, key);
	for (unsigned s = 0; s < n; s++) {
		if (!slots[s])
			continue;
		json_obj(j, NULL);
		json_uint(j, "low", bt_hist_low(s));
		json_uint(j, "high", bt_hist_high(s));
		json_uint(j, "count", slots[s]);
		json_end_obj(j);
	}
	json_end_arr(j);
}
