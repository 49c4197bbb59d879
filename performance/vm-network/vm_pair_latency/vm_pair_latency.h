/* SPDX-License-Identifier: GPL-2.0-only */
/* vm_pair_latency: its output, for the golden tests. */
#pragma once
#include <stdio.h>

#include "bpf/vm_pair.h"

/* One event as the original's trace line ("<seconds>    LATENCY_DBG latency=23 us"). */
void vpl_print_event(FILE *f, const struct vm_pair_event *ev);
/* One event as a JSON object on one line. */
void vpl_print_event_json(FILE *f, const struct vm_pair_event *ev);
