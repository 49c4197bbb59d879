// SPDX-License-Identifier: GPL-2.0-only
/* iface_netstat: per-queue packet sizes, average size and throughput of one interface. */
#include <bpf/bpf.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "argparse.h"
#include "bpfload.h"
#include "filter.h"
#include "hook.h"
#include "interval.h"
#include "json.h"
#include "log.h"
#include "output.h"
#include "percpu_delta.h"
#include "prom.h"
#include "runtime.h"
#include "timefmt.h"
#include "iface_netstat.h"
#include "iface_netstat.skel.h"

/* The kernel side's source, for --ebpf (found through the tool folder's include path). */
__asm__(".pushsection .rodata\n"
	".global iface_netstat_bpf_source\n"
	"iface_netstat_bpf_source:\n"
	".incbin \"iface_netstat.bpf.c\"\n"
	".byte 0\n"
	".popsection\n");
extern const char iface_netstat_bpf_source[];

static struct {
	const char *name;
	double interval, duration;
	bool throughput, ebpf;
	struct prom_opts prom;
} opt = { .name = "", .interval = 1 };

static const struct arg_opt options[] = {
	OPT_IFNAME("name", 'n', &opt.name, "network interface to watch", .metavar = "NAME"),
	OPT_SECONDS("interval", 'i', &opt.interval, 0,
		    "print interval in seconds, fractions allowed (default: 1)", .metavar = "INTERVAL"),
	OPT_FLAG("throughput", 't', &opt.throughput, "add BPS (bytes/s) and PPS columns"),
	OPT_FLAG("ebpf", 0, &opt.ebpf, "print the BPF program's source and exit"),
	OPT_SECONDS("duration", 0, &opt.duration, ARG_WHOLE | ARG_ZERO_OFF,
		    "stop after this many seconds (0 = until Ctrl-C)", .metavar = "SECONDS"),
	OPT_PROMETHEUS(&opt.prom),
	{ 0 },
};

static const struct arg_parser parser = {
	.prog = "iface_netstat",
	.description = "Per-queue packet counts, packet-size distribution and throughput of a network "
		       "interface, per interval",
	.epilog = "examples:\n"
		  "  iface_netstat -n eth0\n"
		  "  iface_netstat -n eth0 -i 2 -t\n"
		  "  iface_netstat --name bond0 --interval 0.5 --throughput --duration 10",
	.opts = options,
};

static const char *const size_headers[] = { "[0, 64)", "[64, 512)", "[512, 2K)", "[2K, 16K)", "[16K, 64K)" };

/* Python's str(round(x, 2)): the correctly rounded 2-decimal value in its shortest form. */
static void py_round2(double v, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, "%.2f", v);
	n = strlen(buf);
	while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = 0;
}

const char *netstat_num(double v, bool is_float, char *buf, size_t len)
{
	char num[64];

	if (v > 1000000) {
		py_round2(v / 1048576.0, num, sizeof(num));
		snprintf(buf, len, "%sM", num);
	} else if (v > 1000) {
		py_round2(v / 1024.0, num, sizeof(num));
		snprintf(buf, len, "%sK", num);
	} else if (is_float) {
		py_round2(v, buf, len);
	} else {
		snprintf(buf, len, "%.0f", v);
	}
	return buf;
}

static void stats_add(struct queue_stats *sum, const struct queue_stats *q)
{
	sum->bytes += q->bytes;
	sum->packets += q->packets;
	for (int i = 0; i < IFACE_SIZE_CLASSES; i++)
		sum->size[i] += q->size[i];
}

static struct queue_stats table_total(const struct queue_table *t)
{
	struct queue_stats total = t->other;

	for (int q = 0; q < t->n; q++)
		stats_add(&total, &t->queues[q]);
	return total;
}

/* A zero average is the integer 0 in the original; rates are always floats. */
static void print_values(FILE *f, const struct queue_stats *q, double seconds, bool throughput)
{
	char buf[64];

	if (q->packets)
		fprintf(f, "%-11s",
			netstat_num((double)q->bytes / (double)q->packets, true, buf, sizeof(buf)));
	else
		fprintf(f, "%-11s", "0");
	for (int i = 0; i < IFACE_SIZE_CLASSES; i++)
		fprintf(f, "%-11s", netstat_num((double)q->size[i], false, buf, sizeof(buf)));
	if (throughput) {
		fprintf(f, "%-11s", netstat_num((double)q->bytes / seconds, true, buf, sizeof(buf)));
		fprintf(f, "%-11s", netstat_num((double)q->packets / seconds, true, buf, sizeof(buf)));
	}
	fputc('\n', f);
}

void netstat_print_table(FILE *f, const struct queue_table *t, double seconds, bool throughput)
{
	struct queue_stats total = table_total(t);

	fprintf(f, " %-11s%-11s", "QueueID", "avg_size");
	for (int i = 0; i < IFACE_SIZE_CLASSES; i++)
		fprintf(f, "%-11s", size_headers[i]);
	if (throughput)
		fprintf(f, "%-11s%-11s", "BPS", "PPS");
	fputc('\n', f);
	for (int q = 0; q < t->n; q++) {
		fprintf(f, " %-11d", q);
		print_values(f, &t->queues[q], seconds, throughput);
	}
	fprintf(f, " %-11s", "Total");
	print_values(f, &total, seconds, throughput);
}

void netstat_print_report(FILE *f, const char *asctime_now, const struct queue_table *tx,
			  const struct queue_table *rx, double seconds, bool throughput)
{
	fprintf(f, "%s\nTX\n", asctime_now);
	netstat_print_table(f, tx, seconds, throughput);
	fprintf(f, "\nRX\n");
	netstat_print_table(f, rx, seconds, throughput);
	fprintf(f, "%.*s\n", throughput ? 95 : 77,
		"--------------------------------------------------------------------------------------------"
		"---");
}

static void json_stats(struct json *j, const struct queue_stats *q, double seconds)
{
	static const char *const keys[] = { "size_0_64", "size_64_512", "size_512_2k", "size_2k_16k",
					    "size_16k_64k" };

	json_uint(j, "packets", q->packets);
	json_uint(j, "bytes", q->bytes);
	json_double(j, "avg_size", q->packets ? (double)q->bytes / (double)q->packets : 0.0);
	for (int i = 0; i < IFACE_SIZE_CLASSES; i++)
		json_uint(j, keys[i], q->size[i]);
	json_double(j, "bps", (double)q->bytes / seconds);
	json_double(j, "pps", (double)q->packets / seconds);
}

static void json_direction(struct json *j, const char *key, const struct queue_table *t, double seconds)
{
	struct queue_stats total = table_total(t);

	json_obj(j, key);
	json_arr(j, "queues");
	for (int q = 0; q < t->n; q++) {
		json_obj(j, NULL);
		json_int(j, "queue", q);
		json_stats(j, &t->queues[q], seconds);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_obj(j, "total");
	json_stats(j, &total, seconds);
	json_end_obj(j);
	json_end_obj(j);
}

void netstat_print_json(FILE *f, const char *time_now, const struct queue_table *tx,
			const struct queue_table *rx, double seconds)
{
	struct json j;

	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "time", time_now);
	json_double(&j, "seconds", seconds);
	json_direction(&j, "tx", tx, seconds);
	json_direction(&j, "rx", rx, seconds);
	json_end_obj(&j);
	json_finish(&j);
}

/* Counts rx-N and tx-N entries of /sys/class/net/<name>/queues. */
static void count_queues(const char *name, int *nrx, int *ntx)
{
	char path[128];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/class/net/%s/queues", name);
	d = opendir(path);
	if (!d)
		die("net interface %s does not exist (no %s in this network namespace)", name, path);
	*nrx = *ntx = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == 'r')
			(*nrx)++;
		else if (e->d_name[0] == 't')
			(*ntx)++;
	}
	closedir(d);
	if (*nrx > IFACE_MAX_QUEUES || *ntx > IFACE_MAX_QUEUES)
		die("number of queues over %d is not supported (%s has %d RX and %d TX queues)",
		    IFACE_MAX_QUEUES, name, *nrx, *ntx);
}

/* One direction's queue counters, read as deltas, and the table of the latest interval. */
struct direction {
	struct percpu_delta counters;
	struct queue_stats *delta;
	struct queue_table table;
};

_Static_assert(sizeof(struct queue_stats) % sizeof(uint64_t) == 0, "queue_stats is u64 counters only");

static void direction_init(struct direction *d, struct bpf_map *map, int n)
{
	percpu_delta_init_map(&d->counters, map, (uint32_t)n + 1);
	d->delta = calloc((size_t)n + 1, sizeof(*d->delta));
	if (!d->delta)
		die("out of memory");
	d->table = (struct queue_table){ .queues = d->delta, .n = n };
}

/* Reads the counters and makes the table of what changed since the previous call. */
static void direction_step(struct direction *d)
{
	memcpy(d->delta, percpu_delta_read(&d->counters), ((size_t)d->table.n + 1) * sizeof(*d->delta));
	d->table.other = d->delta[d->table.n];
}

static void direction_free(struct direction *d)
{
	percpu_delta_free(&d->counters);
	free(d->delta);
}

static const struct hook_def hook_defs[] = {
	{ "transmitted packets",
	  { { HOOK_TP_BTF, "tx_btf", "net:net_dev_start_xmit" },
	    { HOOK_TP, "tx_tracepoint", "net:net_dev_start_xmit" } } },
	{ "received packets",
	  { { HOOK_TP_BTF, "rx_btf", "net:netif_receive_skb" },
	    { HOOK_TP, "rx_tracepoint", "net:netif_receive_skb" } } },
};
const struct hook_table netstat_hook_table = { hook_defs, 2 };

struct run {
	struct direction tx, rx;
	double t_prev;
	struct prom prom;
};

/* The samples of one family: a direction's queues (then "other") from the sums since the start. */
static void prom_direction(struct prom *p, const char *dir, const struct direction *d, int field)
{
	static const char *const sizes[] = { "0_64", "64_512", "512_2k", "2k_16k", "16k_64k" };
	const struct queue_stats *sums = (const struct queue_stats *)d->counters.last;
	char queue[16];

	for (int q = 0; q <= d->table.n; q++) {
		const struct queue_stats *s = &sums[q];
		struct prom_label labels[] = {
			{ "device", opt.name }, { "direction", dir }, { "queue", queue }, { "size", NULL }
		};

		if (q < d->table.n)
			snprintf(queue, sizeof(queue), "%d", q);
		else
			snprintf(queue, sizeof(queue), "other");
		if (field == 0)
			prom_value(p, labels, 3, (double)s->packets);
		else if (field == 1)
			prom_value(p, labels, 3, (double)s->bytes);
		else
			for (int i = 0; i < IFACE_SIZE_CLASSES; i++) {
				labels[3].value = sizes[i];
				prom_value(p, labels, 4, (double)s->size[i]);
			}
	}
}

/* The metrics: packets, bytes and packets by size class since the start, per direction and queue. */
static void prom_write(struct run *r)
{
	static const char *const what[] = { "packets_total", "bytes_total", "size_class_packets_total" };
	static const char *const help[] = {
		"Packets that crossed the interface, by direction and queue (other: ids beyond its queues).",
		"Bytes (frames with their link-layer header) that crossed the interface.",
		"Packets by size class in bytes (from_to; 64 KiB and more are in none).",
	};

	prom_begin(&r->prom, tool_name());
	for (int f = 0; f < 3; f++) {
		prom_family(&r->prom, what[f], PROM_COUNTER, help[f]);
		prom_direction(&r->prom, "tx", &r->tx, f);
		prom_direction(&r->prom, "rx", &r->rx, f);
	}
	prom_commit(&r->prom, opt.prom.path);
}

static void report(void *ctx)
{
	struct run *r = ctx;
	double t_now = tool_elapsed();
	char when[64];
	time_t wall;
	struct tm tm;

	direction_step(&r->tx);
	direction_step(&r->rx);
	if (opt.prom.path)
		prom_write(r);
	if (g_common.json) {
		netstat_print_json(stdout, fmt_datetime(when, sizeof(when)), &r->tx.table, &r->rx.table,
				   t_now - r->t_prev);
	} else {
		wall = time(NULL);
		localtime_r(&wall, &tm);
		strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
		netstat_print_report(stdout, when, &r->tx.table, &r->rx.table, t_now - r->t_prev,
				     opt.throughput);
	}
	output_flush();
	r->t_prev = t_now;
}

int main(int argc, char **argv)
{
	struct iface_netstat_config cfg = { 0 };
	struct iface_netstat_bpf *skel;
	static struct run r;
	struct hook_set hooks;
	int nrx, ntx;

	args_parse(&parser, argc, argv);
	if (opt.ebpf) {
		fputs(iface_netstat_bpf_source, stdout);
		return 0;
	}
	if (!opt.name[0])
		arg_fail_opt(&opt.name, "please specify a network interface");
	prom_opts_check(&opt.prom);
	count_queues(opt.name, &nrx, &ntx);
	tool_init("iface_netstat");
	hook_set_init(&hooks, netstat_hook_table.defs, netstat_hook_table.n, 0);
	iface_set_add(&cfg.iface, opt.name);
	cfg.tx_other = (uint32_t)ntx;
	cfg.rx_other = (uint32_t)nrx;

	skel = BPFNET_OPEN(iface_netstat_bpf);
	bpf_map__set_max_entries(skel->maps.tx_queues, (uint32_t)ntx + 1);
	bpf_map__set_max_entries(skel->maps.rx_queues, (uint32_t)nrx + 1);
	hook_prepare(&hooks, skel->obj);
	bpfload_load(skel->skeleton);
	bpfload_write_config(skel->maps.config_map, &cfg, sizeof(cfg));
	direction_init(&r.tx, skel->maps.tx_queues, ntx);
	direction_init(&r.rx, skel->maps.rx_queues, nrx);

	tool_install_signals();
	hook_attach(&hooks);
	r.t_prev = tool_elapsed();
	tool_ready();

	interval_run(&(struct interval_loop){
		.interval_s = opt.interval, .duration_s = opt.duration, .report = report, .ctx = &r });

	hook_detach(&hooks);
	direction_free(&r.tx);
	direction_free(&r.rx);
	prom_free(&r.prom);
	iface_netstat_bpf__destroy(skel);
	return 0;
}
