/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A virtio-net interface's virtio device ("eth0" → "virtio2") and that device's interrupts as
 * /proc/interrupts names them ("virtio2-input.0", "virtio2-output.0", "virtio2-config", or
 * "virtio2-virtqueues" / plain "virtio2" when the vectors are shared).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VIRTIO_IRQ_NAME_LEN 48

struct virtio_irq {
	int irq;
	char name[VIRTIO_IRQ_NAME_LEN]; /* the action name of the virtio device on this line */
	uint64_t count; /* interrupts so far, summed over CPUs */
	int rx_queue; /* "-input.N": N; -1 for any other vector */
};

/*
 * The virtio device of network interface ifname into dev (len bytes) from
 * /sys/class/net/<ifname>/device; false when ifname does not exist or is no virtio device.
 */
bool virtio_dev_of_iface(const char *ifname, char *dev, size_t len);
/* Whether name is a virtio device (/sys/bus/virtio/devices/<name>). */
bool virtio_dev_exists(const char *name);
/*
 * The lines of /proc/interrupts (read from f) that belong to virtio device dev, in file order,
 * at most max into irqs. Returns how many (0: none), -1 if f is not in the /proc/interrupts
 * layout.
 */
int virtio_irqs_parse(FILE *f, const char *dev, struct virtio_irq *irqs, int max);
/* virtio_irqs_parse on /proc/interrupts; -1 (errno set) when it cannot be read. */
int virtio_dev_irqs(const char *dev, struct virtio_irq *irqs, int max);
/* The action names /proc/interrupts (read from f) gives IRQ irq, into name; false if no such line. */
bool irq_action_parse(FILE *f, int irq, char *name, size_t len);
/* irq_action_parse on /proc/interrupts. */
bool irq_action_name(int irq, char *name, size_t len);
