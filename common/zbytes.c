// SPDX-License-Identifier: GPL-2.0-only
#include "zbytes.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#define GZIP_MIN 18 /* a 10-byte header and the 8-byte trailer */
#define DEFLATE_RATIO 1032u /* DEFLATE's largest expansion: what a larger claimed size cannot be */

size_t zbytes_size(const void *z, size_t zlen)
{
	const unsigned char *t = (const unsigned char *)z + zlen - 4;

	if (zlen < GZIP_MIN)
		return 0;
	/* ISIZE: the input's size modulo 2^32, little-endian. */
	return (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
}

static void *failed(char *err, size_t errlen, size_t *len, void *buf, const char *why)
{
	snprintf(err, errlen, "%s", why);
	free(buf);
	*len = 0;
	return NULL;
}

void *zbytes_inflate(const void *z, size_t zlen, size_t *len, char *err, size_t errlen)
{
	const unsigned char *magic = z;
	size_t size = zbytes_size(z, zlen);
	z_stream s = { .next_in = (Bytef *)z, .avail_in = (uInt)zlen };
	unsigned char *buf;
	int ret;

	if (zlen < GZIP_MIN || zlen > UINT32_MAX)
		return failed(err, errlen, len, NULL, "not a gzip stream (wrong size)");
	if (magic[0] != 0x1f || magic[1] != 0x8b)
		return failed(err, errlen, len, NULL, "not a gzip stream (no gzip header)");
	if (!size || size / DEFLATE_RATIO > zlen)
		return failed(err, errlen, len, NULL, "corrupt gzip trailer (impossible size)");
	/* One byte more than the trailer says, so that data longer than that is seen. */
	buf = malloc(size + 1);
	if (!buf)
		return failed(err, errlen, len, NULL, "out of memory");
	s.next_out = buf;
	s.avail_out = (uInt)(size + 1);
	if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) /* 16: a gzip header and trailer */
		return failed(err, errlen, len, buf, "cannot initialise zlib");
	ret = inflate(&s, Z_FINISH);
	const char *msg = s.msg; /* zlib's, static */

	inflateEnd(&s);
	if (ret == Z_DATA_ERROR) {
		char why[128];

		snprintf(why, sizeof(why), "corrupt gzip stream (%s)", msg ? msg : "data error");
		return failed(err, errlen, len, buf, why);
	}
	if (ret == Z_MEM_ERROR)
		return failed(err, errlen, len, buf, "out of memory");
	if (ret != Z_STREAM_END)
		return failed(err, errlen, len, buf,
			      s.avail_out ? "truncated gzip stream"
					  : "corrupt gzip stream (longer than its trailer says)");
	if (s.avail_in)
		return failed(err, errlen, len, buf, "other bytes after the gzip stream");
	*len = s.total_out;
	return buf;
}
