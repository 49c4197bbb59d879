// SPDX-License-Identifier: GPL-2.0-only
/* tun-tx-ring-stas: the bpftrace original's per-packet lines, and the same facts as JSON. */
#include "json.h"
#include "skb_snapshot.h"
#include "tun-tx-ring-stas.h"

void ttrs_print_event(FILE *f, const struct ttrs_event *ev, const struct stack_frames *kstack,
		      const struct stack_frames *ustack)
{
	const struct tun_ring_state *r = &ev->ring;

	/* The queue pointer as the original's %d: a kernel address as a signed 64-bit number. */
	fprintf(f,
		"##### tun dev name: %s, ptr_ring_size: %d, producer: %d, consumer_head: %d, consumer_tail: "
		"%d, "
		"queue: %lld\n",
		ev->tun_dev, r->size, r->producer, r->consumer_head, r->consumer_tail, (long long)r->queue);
	fprintf(f, "tun_net_xmit probe: %s (PID: %u): dev %s, kstack: ", ev->comm, ev->pid, ev->dev);
	bt_print_kstack(f, kstack->frame, kstack->n);
	fprintf(f, ", ustack: ");
	bt_print_kstack(f, ustack->frame, ustack->n);
	fprintf(f, "\n##### end tun_net_xmit probe\n\n\n");
}

static void json_frames(struct json *j, const char *key, const struct stack_frames *sf)
{
	json_str_array(j, key, sf->frame, sf->n);
}

void ttrs_print_json(FILE *f, const struct ttrs_event *ev, const char *hms_ms,
		     const struct stack_frames *kstack, const struct stack_frames *ustack)
{
	const struct tun_ring_state *r = &ev->ring;
	char ptr[24];
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", hms_ms);
	json_uint(&j, "ktime_ns", ev->ts_ns);
	json_uint(&j, "pid", ev->pid);
	json_uint(&j, "tid", ev->tid);
	json_str(&j, "comm", ev->comm);
	json_str(&j, "dev", ev->dev);
	json_str(&j, "tun_dev", ev->tun_dev);
	json_uint(&j, "queue_mapping", ev->queue_mapping);
	json_uint(&j, "queue", ev->queue);
	json_bool(&j, "queue_attached", r->tfile != 0);
	json_int(&j, "ptr_ring_size", r->size);
	json_int(&j, "producer", r->producer);
	json_int(&j, "consumer_head", r->consumer_head);
	json_int(&j, "consumer_tail", r->consumer_tail);
	snprintf(ptr, sizeof(ptr), "0x%llx", (unsigned long long)r->queue);
	json_str(&j, "ring_queue", ptr);
	json_bool(&j, "ring_full", r->full);
	json_frames(&j, "kstack", kstack);
	json_frames(&j, "ustack", ustack);
	json_end_obj(&j);
	json_finish(&j);
}
