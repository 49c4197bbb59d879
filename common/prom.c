// SPDX-License-Identifier: GPL-2.0-only
/* Metrics for Prometheus: see prom.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "argparse.h"
#include "hist.h"
#include "log.h"
#include "prom.h"

enum prom_failure { FAIL_OPEN = 1, FAIL_WRITE = 2, FAIL_RENAME = 4 };

void prom_opts_check(const struct prom_opts *o)
{
	if (o->quiet && !o->path)
		arg_fail_opt(&o->quiet, "only with --prometheus-textfile (nothing would be reported)");
	if (o->quiet && !freopen("/dev/null", "w", stdout))
		die("--quiet: cannot open /dev/null: %s", strerror(errno));
}

void prom_begin(struct prom *p, const char *tool)
{
	const char *summary = strstr(tool, "_summary") ? strstr(tool, "_summary") : strstr(tool, "-summary");
	int head = summary ? (int)(summary - tool) : (int)strlen(tool);
	size_t i;

	p->text.len = 0;
	if (p->text.buf)
		p->text.buf[0] = '\0';

	snprintf(p->prefix, sizeof(p->prefix), "bpfnet_%.*s%s_", head, tool, summary ? summary + 8 : "");
	for (i = 0; p->prefix[i]; i++)
		if (p->prefix[i] == '-' || p->prefix[i] == '.')
			p->prefix[i] = '_';
}

/* HELP text: backslash and newline escaped. */
static void add_help(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			sb_add(sb, "\\\\");
		else if (*s == '\n')
			sb_add(sb, "\\n");
		else
			sb_addn(sb, s, 1);
	}
}

void prom_family(struct prom *p, const char *what, enum prom_type type, const char *help)
{
	static const char *const types[] = { "counter", "gauge", "histogram" };

	snprintf(p->family, sizeof(p->family), "%s%s", p->prefix, what);
	p->type = type;
	sb_addf(&p->text, "# HELP %s ", p->family);
	add_help(&p->text, help);
	sb_addf(&p->text, "\n# TYPE %s %s\n", p->family, types[type]);
}

/* {a="x",b="y"} with the values escaped (backslash, double quote, newline); nothing for none. */
static void add_labels(struct strbuf *sb, const struct prom_label *labels, size_t n, const char *le)
{
	if (!n && !le)
		return;
	sb_add(sb, "{");
	for (size_t i = 0; i < n; i++) {
		sb_addf(sb, "%s%s=\"", i ? "," : "", labels[i].name);
		for (const char *s = labels[i].value; *s; s++) {
			if (*s == '\\' || *s == '"')
				sb_addf(sb, "\\%c", *s);
			else if (*s == '\n')
				sb_add(sb, "\\n");
			else
				sb_addn(sb, s, 1);
		}
		sb_add(sb, "\"");
	}
	if (le)
		sb_addf(sb, "%sle=\"%s\"", n ? "," : "", le);
	sb_add(sb, "}");
}

static void add_sample(struct prom *p, const char *suffix, const struct prom_label *labels, size_t n,
		       const char *le, double value)
{
	sb_addf(&p->text, "%s%s", p->family, suffix);
	add_labels(&p->text, labels, n, le);
	sb_addf(&p->text, " %.15g\n", value);
}

void prom_value(struct prom *p, const struct prom_label *labels, size_t n, double value)
{
	add_sample(p, "", labels, n, NULL, value);
}

void prom_log2_histogram(struct prom *p, const struct prom_label *labels, size_t n, const uint64_t *slots,
			 unsigned nslots, double unit)
{
	uint64_t count = 0;
	double sum = 0;
	char le[48];

	for (unsigned s = 0; s < nslots; s++) {
		count += slots[s];
		sum += (double)slots[s] * ((double)log2_slot_low(s) + (double)log2_slot_high(s)) / 2 * unit;
		snprintf(le, sizeof(le), "%.15g", (double)log2_slot_high(s) * unit);
		add_sample(p, "_bucket", labels, n, le, (double)count);
	}
	add_sample(p, "_bucket", labels, n, "+Inf", (double)count);
	add_sample(p, "_sum", labels, n, NULL, sum);
	add_sample(p, "_count", labels, n, NULL, (double)count);
}

void prom_histogram(struct prom *p, const struct prom_label *labels, size_t n, const uint64_t *slots,
		    unsigned nslots, uint64_t (*high)(unsigned s), double unit, double sum)
{
	uint64_t count = 0;
	char le[48];

	for (unsigned s = 0; s < nslots; s++) {
		count += slots[s];
		snprintf(le, sizeof(le), "%.15g", (double)high(s) * unit);
		add_sample(p, "_bucket", labels, n, le, (double)count);
	}
	add_sample(p, "_bucket", labels, n, "+Inf", (double)count);
	add_sample(p, "_sum", labels, n, NULL, sum);
	add_sample(p, "_count", labels, n, NULL, (double)count);
}

uint64_t prom_bcc_slot_high(unsigned s)
{
	return s >= 64 ? UINT64_MAX : (1ULL << s) - 1;
}

static void fail_once(struct prom *p, unsigned kind, const char *what, const char *path)
{
	if (p->warned & kind)
		return;
	p->warned |= kind;
	log_warn("cannot %s %s: %s (metrics not updated; tracing goes on)", what, path, strerror(errno));
}

bool prom_commit(struct prom *p, const char *path)
{
	char tmp[4096];
	FILE *f;
	bool ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		fail_once(p, FAIL_OPEN, "create", tmp);
		return false;
	}
	ok = fwrite(p->text.buf ? p->text.buf : "", 1, p->text.len, f) == p->text.len;
	ok = !fflush(f) && ok;
	ok = !fclose(f) && ok;
	if (!ok) {
		fail_once(p, FAIL_WRITE, "write", tmp);
		unlink(tmp);
		return false;
	}
	if (rename(tmp, path)) {
		fail_once(p, FAIL_RENAME, "rename the metrics file to", path);
		unlink(tmp);
		return false;
	}
	return true;
}

void prom_free(struct prom *p)
{
	sb_free(&p->text);
}
