// SPDX-License-Identifier: GPL-2.0-only
#include "virtio_dev.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool virtio_dev_of_iface(const char *ifname, char *dev, size_t len)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	if (!ifname[0] || strchr(ifname, '/'))
		return false;
	snprintf(link, sizeof(link), "/sys/class/net/%s/device", ifname);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	if (strncmp(basename(target), "virtio", 6) != 0)
		return false;
	snprintf(dev, len, "%s", basename(target));
	return true;
}

bool virtio_dev_exists(const char *name)
{
	char path[PATH_MAX];

	if (strncmp(name, "virtio", 6) != 0 || strchr(name, '/'))
		return false;
	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s", name);
	return access(path, F_OK) == 0;
}

/* The number of CPU columns of the /proc/interrupts header line; 0 if it is not one. */
static int cpu_columns(const char *header)
{
	int n = 0;

	for (const char *p = header; (p = strstr(p, "CPU")); p += 3)
		n++;
	return n;
}

/*
 * One "NN: c0 c1 ... chip hwirq-type name1, name2" line: its IRQ, the sum of its ncpu counts
 * and the start of its action names (in line, cut at the newline); false for the other rows
 * (NMI, LOC, ...) and lines without actions.
 */
static bool parse_irq_line(char *line, int ncpu, int *irq, uint64_t *count, char **actions)
{
	char *p, *end, *last;
	long num;

	num = strtol(line, &end, 10);
	if (end == line || *end != ':')
		return false;
	p = end + 1;
	*count = 0;
	for (int i = 0; i < ncpu; i++) {
		unsigned long long c = strtoull(p, &end, 10);

		if (end == p)
			return false;
		*count += c;
		p = end;
	}
	p[strcspn(p, "\n")] = '\0';
	end = p + strlen(p);
	while (end > p && end[-1] == ' ')
		*--end = '\0';
	/* The actions are the last word and the words before it that end in a comma. */
	last = end;
	while (last > p && last[-1] != ' ')
		last--;
	if (last == p || last == end)
		return false;
	for (;;) {
		char *prev_end = last, *prev;

		while (prev_end > p && prev_end[-1] == ' ')
			prev_end--;
		if (prev_end == p || prev_end[-1] != ',')
			break;
		prev = prev_end;
		while (prev > p && prev[-1] != ' ')
			prev--;
		last = prev;
	}
	*irq = (int)num;
	*actions = last;
	return true;
}

/* The RX queue of a virtio-net vector name ("virtio2-input.3" → 3), else -1. */
static int rx_queue_of(const char *name)
{
	const char *q = strstr(name, "-input.");
	char *end;
	long n;

	if (!q)
		return -1;
	n = strtol(q + 7, &end, 10);
	return end == q + 7 || *end ? -1 : (int)n;
}

/* The action of actions (", "-separated) that belongs to virtio device dev, copied to name. */
static bool dev_action(const char *actions, const char *dev, char *name, size_t len)
{
	size_t dl = strlen(dev);

	for (const char *a = actions; *a;) {
		size_t al = strcspn(a, ",");

		if (al >= dl && !strncmp(a, dev, dl) && (al == dl || a[dl] == '-')) {
			snprintf(name, len, "%.*s", (int)al, a);
			return true;
		}
		a += al;
		while (*a == ',' || *a == ' ')
			a++;
	}
	return false;
}

int virtio_irqs_parse(FILE *f, const char *dev, struct virtio_irq *irqs, int max)
{
	char line[4096], *actions;
	int ncpu, n = 0, irq;
	uint64_t count;

	if (!fgets(line, sizeof(line), f) || !(ncpu = cpu_columns(line)))
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!parse_irq_line(line, ncpu, &irq, &count, &actions) || n >= max)
			continue;
		if (!dev_action(actions, dev, irqs[n].name, sizeof(irqs[n].name)))
			continue;
		irqs[n].irq = irq;
		irqs[n].count = count;
		irqs[n].rx_queue = rx_queue_of(irqs[n].name);
		n++;
	}
	return n;
}

int virtio_dev_irqs(const char *dev, struct virtio_irq *irqs, int max)
{
	FILE *f = fopen("/proc/interrupts", "r");
	int n;

	if (!f)
		return -1;
	n = virtio_irqs_parse(f, dev, irqs, max);
	fclose(f);
	if (n < 0)
		errno = EINVAL;
	return n;
}

bool irq_action_parse(FILE *f, int irq, char *name, size_t len)
{
	char line[4096], *actions;
	int ncpu, num;
	uint64_t count;

	if (!fgets(line, sizeof(line), f) || !(ncpu = cpu_columns(line)))
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (parse_irq_line(line, ncpu, &num, &count, &actions) && num == irq) {
			snprintf(name, len, "%s", actions);
			return true;
		}
	}
	return false;
}

bool irq_action_name(int irq, char *name, size_t len)
{
	FILE *f = fopen("/proc/interrupts", "r");
	bool found;

	if (!f)
		return false;
	found = irq_action_parse(f, irq, name, len);
	fclose(f);
	return found;
}
