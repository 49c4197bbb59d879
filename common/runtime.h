/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The process side of every tool: privilege check, kernel interfaces (tracefs), signal
 * handling, the interval/duration clock and the ready file used by tests.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Checks root/capabilities, quiets libbpf, mounts tracefs if needed. Exits 1 with a clear message. */
void tool_init(const char *tool_name);
/* The name given to tool_init (for messages and log file names). */
const char *tool_name(void);

/* Installs SIGINT/SIGTERM handlers that only set the exit flag. */
void tool_install_signals(void);
/* True once SIGINT or SIGTERM arrived. */
bool tool_exiting(void);
/* Sleeps for seconds, returning early when a signal arrives; false if interrupted. */
bool tool_sleep(double seconds);
/* Returns on Ctrl-C/SIGTERM or, if duration_s > 0, once that many seconds have passed. */
void tool_wait_done(double duration_s);
/* Writes --ready-file (once every probe is attached). */
void tool_ready(void);

/* Monotonic seconds since the first call of this function in the process. */
double tool_elapsed(void);

/* Whether the kernel of this machine exposes /sys/kernel/btf/vmlinux. */
bool kernel_has_btf(void);
/* Kernel release string ("6.1.0-47-amd64"). */
const char *kernel_release(void);
/* Whether the running kernel's version is below major.minor (by its release string). */
bool kernel_version_below(int major, int minor);
/* Whether a release string ("5.10.0-32-amd64") is of a version below major.minor. */
bool release_below(const char *release, int major, int minor);
/* Whether a tracepoint category/name exists in tracefs. */
bool tracepoint_exists(const char *category, const char *name);
/* Whether kprobes can be attached at all (kprobe PMU or tracefs kprobe_events). */
bool kernel_has_kprobes(void);
/* Whether the kprobe PMU is there (perf_event_open of kprobes, by name or address: 4.17+). */
bool kernel_has_kprobe_pmu(void);
/* Inode number of this process's network namespace (dies if /proc/self/ns/net is unreadable). */
uint32_t netns_inum(void);
/* Whether the module is loaded (/sys/module/<name>) or built into the kernel (modules.builtin). */
bool module_loaded(const char *module);
/* Dies naming the module unless it is loaded. */
void require_module(const char *module, const char *why);
/* "5.10" of a release such as "5.10.0-28-amd64" into buf ("0.0" if it has no numbers). */
const char *release_major_minor(const char *release, char *buf, size_t len);
/* The ID of an os-release file (/etc/os-release), without quotes; "unknown" without one. */
const char *os_release_id(const char *path, char *buf, size_t len);
/* Whether the environment variable is set to something other than "" or "0" (switches). */
bool env_flag(const char *name);
