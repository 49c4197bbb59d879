/* SPDX-License-Identifier: GPL-2.0-only */
/* Small helpers every part of the suite may use. */
#pragma once

/* Number of elements of the array a (not of a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
