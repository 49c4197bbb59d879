// SPDX-License-Identifier: GPL-2.0-only
/* cpu_monitor: the profiler's sampling events; its samples symbolized into a report per CPU. */
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ksyms.h"
#include "log.h"
#include "stack.h"
#include "usyms.h"
#include "cpu_monitor_profile.h"

struct bpf_link *cpum_profiler_start(struct bpf_program *prog, int cpu)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.size = sizeof(attr),
		.freq = 1,
		.sample_freq = CPUM_SAMPLE_HZ,
	};
	struct bpf_link *link;
	int fd = (int)syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		die("cannot sample CPU %d (perf_event_open: %s)", cpu, strerror(errno));
	link = bpf_program__attach_perf_event(prog, fd);
	if (!link) {
		close(fd);
		die("cannot attach the profiler to CPU %d: %s", cpu, strerror(errno));
	}
	return link;
}

void cpum_profile_read(struct cpum_profile *p, struct bpf_map *samples, const struct bpf_map *stacks)
{
	int fd = bpf_map__fd(samples);
	struct cpum_sample_key key, next, *prev = NULL;
	size_t cap = 0;

	memset(p, 0, sizeof(*p));
	p->stacks = stacks;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (p->n == cap) {
			cap = cap ? 2 * cap : 256;
			p->keys = realloc(p->keys, cap * sizeof(*p->keys));
			p->counts = realloc(p->counts, cap * sizeof(*p->counts));
			if (!p->keys || !p->counts)
				die("out of memory");
		}
		p->keys[p->n] = key;
		if (bpf_map_lookup_elem(fd, &key, &p->counts[p->n]) == 0)
			p->n++;
	}
}

/* The frames' texts of one report, freed together. */
struct frame_texts {
	char **items;
	size_t n, cap;
};

static const char *keep(struct frame_texts *t, const char *text)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->items = realloc(t->items, t->cap * sizeof(*t->items));
		if (!t->items)
			die("out of memory");
	}
	t->items[t->n] = strdup(text);
	if (!t->items[t->n])
		die("out of memory");
	return t->items[t->n++];
}

/* Appends the frames of stack_id to s: names in s->frames, "name+0xoff (where)" in s->details. */
static void add_frames(struct cpum_stack *s, const struct bpf_map *stacks, int stack_id,
		       const struct usyms *u, bool kernel, struct frame_texts *t)
{
	uint64_t ips[STACK_MAX_DEPTH], off;
	int depth = stack_id >= 0 ? stack_read(stacks, stack_id, ips, STACK_MAX_DEPTH) : 0;
	char detail[STACK_FRAME_LEN + 512];

	for (int i = 0; i < depth; i++) {
		const char *name = NULL, *file = NULL;

		if (kernel) {
			const struct ksym *ks = ksyms_find(ksyms_kernel(), ips[i]);

			if (ks) {
				name = ks->name;
				off = ips[i] - ks->addr;
				file = ks->module ? ks->module : "kernel";
			}
		} else if (u) {
			uint64_t file_addr;

			name = usyms_find(u, ips[i], &off);
			file = usyms_file(u, ips[i], &file_addr);
		}
		if (name)
			snprintf(detail, sizeof(detail), "%s+0x%llx (%s)", name, (unsigned long long)off,
				 file ? file : "?");
		else
			snprintf(detail, sizeof(detail), "0x%llx (%s)", (unsigned long long)ips[i],
				 file ? file : "?");
		s->frames[s->nframes] = keep(t, name ? name : "[unknown]");
		s->details[s->nframes] = keep(t, detail);
		s->nframes++;
	}
}

bool cpum_profile_write(const struct cpum_profile *p, int cpu, const char *file, const char *date,
			double usage, int threshold, int interval)
{
	struct cpum_stack *stacks = calloc(p->n + 1, sizeof(*stacks));
	struct usyms_cache cache = { 0 };
	struct frame_texts texts = { 0 };
	int n = 0;
	FILE *f;

	if (!stacks)
		die("out of memory");
	for (size_t i = 0; i < p->n; i++) {
		const struct cpum_sample_key *k = &p->keys[i];
		struct cpum_stack *s;

		if ((int)k->cpu != cpu)
			continue;
		s = &stacks[n++];
		s->samples = p->counts[i];
		s->pid = (int)k->tgid;
		s->tid = (int)k->tid;
		memcpy(s->comm, k->comm, sizeof(s->comm));
		s->comm[sizeof(s->comm) - 1] = 0;
		s->frames = calloc(2 * STACK_MAX_DEPTH, sizeof(*s->frames));
		s->details = calloc(2 * STACK_MAX_DEPTH, sizeof(*s->details));
		if (!s->frames || !s->details)
			die("out of memory");
		add_frames(s, p->stacks, k->kstack, NULL, true, &texts);
		s->nkernel = s->nframes;
		/* A kernel thread has no user stack; a user one without it says why. */
		if (k->tgid && k->ustack < 0)
			s->ustack_err = k->ustack;
		add_frames(s, p->stacks, k->ustack, k->tgid ? usyms_cache_get(&cache, (int)k->tgid) : NULL,
			   false, &texts);
	}
	f = n ? fopen(file, "w") : NULL;
	if (f) {
		cpum_print_profile(f, cpu, date, usage, threshold, interval, stacks, n);
		if (fclose(f))
			log_warn("cannot write %s: %s", file, strerror(errno));
	} else if (n) {
		log_warn("cannot write %s: %s", file, strerror(errno));
	}
	for (int i = 0; i < n; i++) {
		free(stacks[i].frames);
		free(stacks[i].details);
	}
	for (size_t i = 0; i < texts.n; i++)
		free(texts.items[i]);
	free(texts.items);
	free(stacks);
	usyms_cache_free(&cache);
	return f != NULL;
}

void cpum_profile_clear(struct cpum_profile *p, struct bpf_map *samples, struct bpf_map *stacks)
{
	int sfd = bpf_map__fd(samples), stfd = bpf_map__fd(stacks);

	for (size_t i = 0; i < p->n; i++) {
		bpf_map_delete_elem(sfd, &p->keys[i]);
		/* Stack ids are shared by samples: a second delete of one just fails. */
		if (p->keys[i].kstack >= 0)
			bpf_map_delete_elem(stfd, &p->keys[i].kstack);
		if (p->keys[i].ustack >= 0)
			bpf_map_delete_elem(stfd, &p->keys[i].ustack);
	}
	free(p->keys);
	free(p->counts);
	memset(p, 0, sizeof(*p));
}
