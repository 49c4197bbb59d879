/* SPDX-License-Identifier: GPL-2.0-only */
/* cpu_monitor: the BPF profiler on the target CPUs, its samples turned into a report file per CPU. */
#pragma once
#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu_monitor.h"

/* One cycle's samples, read from the kernel. */
struct cpum_profile {
	struct cpum_sample_key *keys;
	uint64_t *counts;
	size_t n;
	const struct bpf_map *stacks;
};

/* A CPU-clock sampling event at CPUM_SAMPLE_HZ on cpu, running the profiler program. */
struct bpf_link *cpum_profiler_start(struct bpf_program *prog, int cpu);
/* Reads every sample of the cycle. */
void cpum_profile_read(struct cpum_profile *p, struct bpf_map *samples, const struct bpf_map *stacks);
/*
 * Writes the report of cpu's samples to file (symbols of the kernel and of the sampled
 * processes); false when the CPU has no samples or the file cannot be written (said on stderr).
 */
bool cpum_profile_write(const struct cpum_profile *p, int cpu, const char *file, const char *date,
			double usage, int threshold, int interval);
/* Deletes the cycle's samples and their stacks from the kernel's maps and frees p. */
void cpum_profile_clear(struct cpum_profile *p, struct bpf_map *samples, struct bpf_map *stacks);
