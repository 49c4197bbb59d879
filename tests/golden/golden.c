// SPDX-License-Identifier: GPL-2.0-only
#include "golden.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

FILE *golden_open(char **buf, size_t *len)
{
	return open_memstream(buf, len);
}

int golden_check(FILE *f, char **buf, size_t *len, const char *name)
{
	char path[512];
	FILE *g;
	long n;
	int rc = 1;

	fclose(f);
	snprintf(path, sizeof(path), "%s/%s", GOLDEN_DIR, name);
	/* GOLDEN_UPDATE=1 rewrites the golden file: review the diff before committing it. */
	if (getenv("GOLDEN_UPDATE")) {
		g = fopen(path, "w");
		if (g) {
			fputs(*buf, g);
			fclose(g);
		}
	}
	g = fopen(path, "r");
	if (!g) {
		fprintf(stderr, "missing golden file %s\n", path);
		goto out;
	}
	fseek(g, 0, SEEK_END);
	n = ftell(g);
	rewind(g);
	char *want = malloc((size_t)n + 1);

	if (want && fread(want, 1, (size_t)n, g) == (size_t)n) {
		want[n] = 0;
		rc = strcmp(want, *buf) != 0;
		if (rc)
			fprintf(stderr, "--- expected %s\n%s--- got\n%s---\n", path, want, *buf);
	}
	free(want);
	fclose(g);
out:
	free(*buf);
	*buf = NULL;
	*len = 0;
	return rc;
}

uint32_t golden_ipv4(const char *text)
{
	uint32_t a;

	ck_assert_int_eq(inet_pton(AF_INET, text, &a), 1);
	return a;
}
