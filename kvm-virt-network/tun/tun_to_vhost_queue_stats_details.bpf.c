// SPDX-License-Identifier: GPL-2.0-only
/* tun_to_vhost_queue_stats_details: the programs of tun_vhost_queue.bpf.h (the tool plans which it attaches). */
#include "tun_vhost_queue.bpf.h"
