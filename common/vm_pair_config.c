// SPDX-License-Identifier: GPL-2.0-only
/* VM pair configuration files: see vm_pair_config.h. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "argparse.h"
#include "log.h"
#include "vm_pair_config.h"

const char *vm_pair_libvirt_dir(void)
{
	const char *dir = getenv("BPFNET_LIBVIRT_RUN");

	return dir && *dir ? dir : "/run/libvirt/qemu";
}

static bool is_uuid(const char *s)
{
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return s[36] == '\0';
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

/* The value of attribute name (quoted with ' or ") in the tag starting at tag, if any. */
static bool tag_attr(const char *tag, const char *name, char *out, size_t len)
{
	const char *end = strchr(tag, '>'), *p = tag;
	size_t nlen = strlen(name), n;
	char quote;

	while ((p = strstr(p, name)) && end && p < end) {
		if (isspace((unsigned char)p[-1]) && p[nlen] == '=' &&
		    (p[nlen + 1] == '\'' || p[nlen + 1] == '"')) {
			quote = p[nlen + 1];
			p += nlen + 2;
			n = strcspn(p, quote == '\'' ? "'" : "\"");
			if (n >= len)
				n = len - 1;
			memcpy(out, p, n);
			out[n] = '\0';
			return true;
		}
		p += nlen;
	}
	return false;
}

/* The tap devices (<interface> ... <target dev=.../>) of a domain's XML. */
static void xml_taps(const char *xml, struct vm_pair_vm *vm)
{
	const char *p = xml, *end, *t;

	vm->ndevs = 0;
	while ((p = strstr(p, "<interface")) && vm->ndevs < VM_PAIR_VM_MAX_DEVS) {
		end = strstr(p, "</interface>");
		if (!end)
			break;
		t = strstr(p, "<target ");
		if (t && t < end && tag_attr(t, "dev", vm->devs[vm->ndevs], VM_PAIR_DEV_LEN))
			vm->ndevs++;
		p = end;
	}
}

/* Whether xml is the domain with this UUID (its first <uuid> element). */
static bool xml_has_uuid(const char *xml, const char *uuid)
{
	const char *p = strstr(xml, "<uuid>");

	if (!p)
		return false;
	p += strlen("<uuid>");
	while (isspace((unsigned char)*p))
		p++;
	return !strncasecmp(p, uuid, 36) && !isxdigit((unsigned char)p[36]) && p[36] != '-';
}

static void resolve_uuid(const char *uuid, const char *dir, struct vm_pair_vm *vm, const char *where)
{
	struct dirent *de;
	bool found = false;
	char path[4096];
	DIR *d = opendir(dir);

	if (!d)
		die("%s: cannot resolve domain %s: cannot read %s: %s", where, uuid, dir, strerror(errno));
	while (!found && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char *xml;

		if (n < 5 || strcmp(de->d_name + n - 4, ".xml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		xml = read_file(path);
		if (xml && xml_has_uuid(xml, uuid)) {
			found = true;
			xml_taps(xml, vm);
		}
		free(xml);
	}
	closedir(d);
	if (!found)
		die("%s: domain %s is not a running libvirt domain (no live XML in %s)", where, uuid, dir);
	if (!vm->ndevs)
		die("%s: domain %s has no tap device (no <interface> with a <target dev>)", where, uuid);
}

int vm_pair_config_read(const char *path, const char *libvirt_dir, struct vm_pair_line *out, int max)
{
	char *line = NULL, where[4200], word[2][64], extra[2];
	int n = 0, lineno = 0, words;
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		die("cannot read %s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		line[strcspn(line, "#\n")] = '\0';
		snprintf(where, sizeof(where), "%s line %d", path, lineno);
		words = sscanf(line, "%63s %63s %1s", word[0], word[1], extra);
		if (words <= 0)
			continue;
		if (words != 2)
			die("%s: expected two libvirt domain UUIDs or two device names", where);
		if (n == max)
			die("%s: at most %d pairs", where, max);
		for (int i = 0; i < 2; i++) {
			struct vm_pair_vm *vm = &out[n].vm[i];

			if (is_uuid(word[i])) {
				resolve_uuid(word[i], libvirt_dir, vm, where);
				continue;
			}
			if (strlen(word[i]) >= VM_PAIR_DEV_LEN)
				die("%s: interface name '%s' too long", where, word[i]);
			vm->ndevs = 1;
			strcpy(vm->devs[0], word[i]);
		}
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

int vm_pair_split_devs(const char *text, const void *dest, char (*out)[VM_PAIR_DEV_LEN], int max)
{
	const char *p = text;
	int n = 0;
	size_t len;

	for (;;) {
		p += strspn(p, ", \t\n");
		if (!*p)
			return n;
		len = strcspn(p, ", \t\n");
		if (len >= VM_PAIR_DEV_LEN)
			arg_fail_opt(dest, "interface name '%.*s' too long", (int)len, p);
		if (n == max)
			arg_fail_opt(dest, "at most %d devices", max);
		memcpy(out[n], p, len);
		out[n++][len] = '\0';
		p += len;
	}
}

static void trim(char *s)
{
	size_t n = strlen(s), skip = strspn(s, " \t\n");

	while (n > skip && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	memmove(s, s + skip, n - skip + 1);
}

/* One "devX,devY=ID" segment into *p; false (after a WARNING line) when it is to be skipped. */
static bool pair_segment(char *seg, const void *dest, struct vm_pair_id *p)
{
	char devs[2][VM_PAIR_DEV_LEN], text[256], *eq = strchr(seg, '='), *end, *save = NULL;
	unsigned long long id;
	int n;

	snprintf(text, sizeof(text), "%s", seg);
	if (!eq) {
		printf("WARNING: invalid pair format: %s\n", seg);
		return false;
	}
	*eq = '\0';
	trim(eq + 1);
	errno = 0;
	id = strtoull(eq + 1, &end, 10);
	if (!*(eq + 1) || *end || errno || id > 0xffffffffULL || eq[1] == '-')
		arg_fail_opt(dest, "invalid pair id: '%s'", eq + 1);
	n = 0;
	for (char *tok = strtok_r(seg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		trim(tok);
		if (!*tok)
			continue;
		if (strlen(tok) >= VM_PAIR_DEV_LEN) {
			printf("WARNING: interface name '%s' too long\n", tok);
			return false;
		}
		if (n < 2)
			strcpy(devs[n], tok);
		n++;
	}
	if (n < 2) {
		printf("WARNING: %s: %s\n", n ? "pair needs two devices" : "no device found in seg", text);
		return false;
	}
	strcpy(p->tx_dev, devs[0]);
	strcpy(p->rx_dev, devs[1]);
	p->id = (__u32)id;
	return true;
}

int vm_pair_parse_pair_ids(const char *text, const void *dest, struct vm_pair_id *out, int max)
{
	char *copy = strdup(text), *save = NULL, *seg;
	int n = 0;

	if (!copy)
		die("out of memory");
	for (seg = strtok_r(copy, ";", &save); seg; seg = strtok_r(NULL, ";", &save)) {
		trim(seg);
		if (!*seg)
			continue;
		if (n == max)
			arg_fail_opt(dest, "at most %d pairs", max);
		if (pair_segment(seg, dest, &out[n]))
			n++;
	}
	free(copy);
	return n;
}
