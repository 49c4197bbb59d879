/* SPDX-License-Identifier: GPL-2.0-only */
/* Small helpers every part of the suite may use. */
#pragma once

/* Number of elements of the array a (not of a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#include <stdlib.h>

/* qsort, also for an empty array whose base is NULL (which qsort itself must not be given). */
static inline void sort_array(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}
