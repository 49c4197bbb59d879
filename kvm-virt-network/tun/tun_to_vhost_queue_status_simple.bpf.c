// SPDX-License-Identifier: GPL-2.0-only
/* tun_to_vhost_queue_status_simple: the programs of tun_vhost_queue.bpf.h (the tool plans which it attaches). */
#include "tun_vhost_queue.bpf.h"
