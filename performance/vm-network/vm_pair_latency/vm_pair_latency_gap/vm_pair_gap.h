/* SPDX-License-Identifier: GPL-2.0-only */
/* vm_pair_gap: its output, for the golden tests. */
#pragma once
#include <stdio.h>

#include "bpf/vm_pair.h"

/* One gap as the original's trace line ("<seconds>    SND GAP: 1003 us, flow = a -> b"). */
void vpg_print_event(FILE *f, const struct vm_pair_event *ev);
