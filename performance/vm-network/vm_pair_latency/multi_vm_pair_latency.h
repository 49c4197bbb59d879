/* SPDX-License-Identifier: GPL-2.0-only */
/* multi_vm_pair_latency: its output, for the golden tests. */
#pragma once
#include <stdio.h>

#include "bpf/vm_pair.h"

/* One event as the original's trace lines ("<seconds>: DEBUG: Latency computed: 21 us, ..."). */
void mvpl_print_event(FILE *f, const struct vm_pair_event *ev);
/* One event as a JSON object on one line. */
void mvpl_print_event_json(FILE *f, const struct vm_pair_event *ev);
