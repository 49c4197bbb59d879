/* SPDX-License-Identifier: GPL-2.0-only */
/* multi_port_gap: its output, for the golden tests. */
#pragma once
#include <stdio.h>

#include "bpf/vm_pair.h"

/* One gap as the original's trace line ("<seconds>    SEND gap>100ms: 153021 us, port=..."). */
void mpg_print_event(FILE *f, const struct vm_pair_event *ev, int threshold_ms);
