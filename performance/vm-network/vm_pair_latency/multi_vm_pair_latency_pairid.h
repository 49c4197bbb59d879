/* SPDX-License-Identifier: GPL-2.0-only */
/* multi_vm_pair_latency_pairid: its output, for the golden tests. */
#pragma once
#include <stdio.h>

#include "bpf/vm_pair.h"

/* One latency as the original's trace line ("<seconds>: PAIR_LAT pair_id=100 lat=23 us"). */
void mvpp_print_event(FILE *f, const struct vm_pair_event *ev);
/* One latency as a JSON object on one line. */
void mvpp_print_event_json(FILE *f, const struct vm_pair_event *ev);
