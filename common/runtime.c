// SPDX-License-Identifier: GPL-2.0-only
#include "runtime.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "argparse.h"
#include "bpfload.h"
#include "log.h"
#include "output.h"
#include "util.h"

static const char *name;
static volatile sig_atomic_t exiting;

const char *tool_name(void)
{
	return name ? name : "bpfnet";
}

static bool path_exists(const char *p)
{
	return access(p, F_OK) == 0;
}

static uint64_t cap_effective(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long caps = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			break;
	fclose(f);
	return caps;
}

static void check_privileges(void)
{
	enum { CAP_SYS_ADMIN_ = 21, CAP_PERFMON_ = 38, CAP_BPF_ = 39 };
	uint64_t caps = cap_effective();
	bool admin = caps & (1ULL << CAP_SYS_ADMIN_);
	bool bpf_perfmon = (caps & (1ULL << CAP_BPF_)) && (caps & (1ULL << CAP_PERFMON_));

	if (!admin && !bpf_perfmon)
		die("%s must be run as root (it needs CAP_SYS_ADMIN, or CAP_BPF and CAP_PERFMON)",
		    tool_name());
}

/* libbpf prefers /sys/kernel/debug/tracing when it exists, else /sys/kernel/tracing. */
static void ensure_tracefs(void)
{
	if (path_exists("/sys/kernel/debug/tracing/events") || path_exists("/sys/kernel/tracing/events"))
		return;
	if (path_exists("/sys/kernel/debug/tracing"))
		mount("tracefs", "/sys/kernel/debug/tracing", "tracefs", 0, NULL);
	else if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) && errno != EBUSY)
		log_warn("cannot mount tracefs on /sys/kernel/tracing (%s): tracepoints will not attach",
			 strerror(errno));
}

void tool_init(const char *tool)
{
	name = tool;
	output_init();
	check_privileges();
	bpfload_init();
	ensure_tracefs();
	tool_elapsed();
}

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

void tool_install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

bool tool_exiting(void)
{
	return exiting;
}

bool tool_sleep(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };

	while (!exiting) {
		if (nanosleep(&ts, &ts) == 0)
			return true;
		if (errno != EINTR)
			return true;
	}
	return false;
}

void tool_wait_done(double duration_s)
{
	double end = tool_elapsed() + duration_s;

	while (!tool_exiting() && (!duration_s || tool_elapsed() < end))
		tool_sleep(duration_s ? end - tool_elapsed() : 3600);
}

void tool_ready(void)
{
	const char *path = g_common.ready_file;
	int fd;

	fflush(stdout);
	if (!path)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		log_warn("cannot write ready file %s: %s", path, strerror(errno));
		return;
	}
	dprintf(fd, "%d\n", (int)getpid());
	close(fd);
}

double tool_elapsed(void)
{
	static struct timespec start;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!start.tv_sec && !start.tv_nsec)
		start = now;
	return (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
}

bool kernel_has_btf(void)
{
	return path_exists("/sys/kernel/btf/vmlinux");
}

const char *kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0])
		uname(&u);
	return u.release;
}

bool kernel_version_below(int major, int minor)
{
	return release_below(kernel_release(), major, minor);
}

bool release_below(const char *release, int major, int minor)
{
	int ma = 0, mi = 0;

	if (sscanf(release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma < major || (ma == major && mi < minor);
}

bool tracepoint_exists(const char *category, const char *tp)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[256];

	for (size_t i = 0; i < ARRAY_SIZE(roots); i++) {
		snprintf(path, sizeof(path), "%s/events/%s/%s/id", roots[i], category, tp);
		if (path_exists(path))
			return true;
	}
	return false;
}

bool kernel_has_kprobe_pmu(void)
{
	return path_exists("/sys/bus/event_source/devices/kprobe/type");
}

bool kernel_has_kprobes(void)
{
	return kernel_has_kprobe_pmu() || path_exists("/sys/kernel/tracing/kprobe_events") ||
	       path_exists("/sys/kernel/debug/tracing/kprobe_events");
}

/*
 * Whether the module is built into this kernel: modules.builtin lists "kernel/.../<name>.ko"
 * (a built-in module without parameters has no /sys/module entry).
 */
static bool module_builtin(const char *module)
{
	char path[300], line[512], want[96];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/lib/modules/%s/modules.builtin", kernel_release());
	snprintf(want, sizeof(want), "/%s.ko", module);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\n"), w = strlen(want);

		found = n >= w && !strncmp(line + n - w, want, w);
	}
	fclose(f);
	return found;
}

bool module_loaded(const char *module)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s", module);
	return path_exists(path) || module_builtin(module);
}

void require_module(const char *module, const char *why)
{
	if (!module_loaded(module))
		die("kernel module %s is not loaded (%s); load it with `modprobe %s`", module, why, module);
}

bool env_flag(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0");
}

uint32_t netns_inum(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		die("cannot read this process's network namespace (/proc/self/ns/net): %m");
	return (uint32_t)st.st_ino;
}

const char *release_major_minor(const char *release, char *buf, size_t len)
{
	int major = 0, minor = 0;

	sscanf(release, "%d.%d", &major, &minor);
	snprintf(buf, len, "%d.%d", major, minor);
	return buf;
}

const char *os_release_id(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[256];

	snprintf(buf, len, "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "ID=", 3))
			continue;
		line[strcspn(line, "\r\n")] = 0;
		snprintf(buf, len, "%s", line + 3 + (line[3] == '"'));
		buf[strcspn(buf, "\"")] = 0;
		break;
	}
	if (f)
		fclose(f);
	return buf;
}
