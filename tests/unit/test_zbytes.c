// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/zbytes.h: gzip streams inflated back to their bytes, damaged ones
 * refused with the reason, and a tool's embedded BPF object (cmake/BpfEmbed.cmake) inflated
 * to the ELF object it was made from.
 */
#include <check.h>
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "futex.skel.h"
#include "unit_helpers.h"
#include "util.h"
#include "zbytes.h"

#define DATA_LEN 100000

/* Bytes that compress but not to nothing: a counter mixed with a pseudo-random stream. */
static unsigned char *sample_data(size_t len)
{
	unsigned char *d = malloc(len);
	uint32_t x = 12345;

	ck_assert_ptr_nonnull(d);
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		d[i] = (unsigned char)(i % 7 ? i / 64 : x >> 16);
	}
	return d;
}

/* data gzip-compressed as cmake/BpfEmbed.cmake does (level 9, gzip container). */
static unsigned char *gzip(const unsigned char *data, size_t len, size_t *zlen)
{
	z_stream s = { 0 };
	size_t cap = len + len / 100 + 64;
	unsigned char *z = malloc(cap);

	ck_assert_ptr_nonnull(z);
	ck_assert_int_eq(deflateInit2(&s, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	s.next_in = (Bytef *)data;
	s.avail_in = (uInt)len;
	s.next_out = z;
	s.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&s, Z_FINISH), Z_STREAM_END);
	*zlen = s.total_out;
	deflateEnd(&s);
	return z;
}

struct sample {
	unsigned char *data, *z;
	size_t zlen;
};

static struct sample sample_new(void)
{
	struct sample s = { sample_data(DATA_LEN), NULL, 0 };

	s.z = gzip(s.data, DATA_LEN, &s.zlen);
	ck_assert_uint_lt(s.zlen, DATA_LEN / 2);
	return s;
}

static void sample_free(struct sample *s)
{
	free(s->data);
	free(s->z);
}

/* Inflating z must fail with an error that contains want. */
static void assert_refused(const unsigned char *z, size_t zlen, const char *want)
{
	char err[160] = "";
	size_t len = 1;
	void *out = zbytes_inflate(z, zlen, &len, err, sizeof(err));

	ck_assert_ptr_null(out);
	ck_assert_uint_eq(len, 0);
	ck_assert_msg(strstr(err, want), "error \"%s\" does not say \"%s\"", err, want);
}

START_TEST(test_round_trip)
{
	struct sample s = sample_new();
	char err[160] = "";
	size_t len = 0;
	unsigned char *out = zbytes_inflate(s.z, s.zlen, &len, err, sizeof(err));

	ck_assert_msg(out != NULL, "inflate failed: %s", err);
	ck_assert_uint_eq(len, DATA_LEN);
	ck_assert_int_eq(memcmp(out, s.data, DATA_LEN), 0);
	ck_assert_uint_eq(zbytes_size(s.z, s.zlen), DATA_LEN);
	free(out);
	sample_free(&s);
}
END_TEST

START_TEST(test_one_byte)
{
	unsigned char one = 'x', *out;
	size_t zlen, len = 0;
	unsigned char *z = gzip(&one, 1, &zlen);
	char err[160];

	out = zbytes_inflate(z, zlen, &len, err, sizeof(err));
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(out[0], 'x');
	free(out);
	free(z);
}
END_TEST

START_TEST(test_not_gzip)
{
	struct sample s = sample_new();

	/* An ELF object as it was embedded before: not compressed. */
	assert_refused(s.data, DATA_LEN, "not a gzip stream (no gzip header)");
	s.z[2] = 7; /* the compression method: 8 is DEFLATE */
	assert_refused(s.z, s.zlen, "corrupt gzip stream (unknown compression method)");
	s.z[0] ^= 0xff;
	assert_refused(s.z, s.zlen, "not a gzip stream (no gzip header)");
	assert_refused((const unsigned char *)"\x1f\x8b", 2, "not a gzip stream");
	ck_assert_uint_eq(zbytes_size("\x1f\x8b", 2), 0);
	sample_free(&s);
}
END_TEST

START_TEST(test_corrupt_data)
{
	struct sample s = sample_new();

	/* A flipped bit in the middle: invalid DEFLATE data or a CRC mismatch, never the bytes. */
	s.z[s.zlen / 2] ^= 0x10;
	assert_refused(s.z, s.zlen, "corrupt gzip stream");
	sample_free(&s);
}
END_TEST

START_TEST(test_wrong_crc)
{
	struct sample s = sample_new();

	s.z[s.zlen - 8] ^= 1; /* the trailer's CRC-32 */
	assert_refused(s.z, s.zlen, "incorrect data check");
	sample_free(&s);
}
END_TEST

static void set_trailer_size(unsigned char *z, size_t zlen, uint32_t size)
{
	for (int i = 0; i < 4; i++)
		z[zlen - 4 + i] = (unsigned char)(size >> (8 * i));
}

START_TEST(test_wrong_size)
{
	struct sample s = sample_new();

	set_trailer_size(s.z, s.zlen, DATA_LEN - 2);
	assert_refused(s.z, s.zlen, "longer than its trailer says");
	set_trailer_size(s.z, s.zlen, DATA_LEN - 1);
	assert_refused(s.z, s.zlen, "incorrect length check");
	set_trailer_size(s.z, s.zlen, DATA_LEN + 1);
	assert_refused(s.z, s.zlen, "incorrect length check");
	set_trailer_size(s.z, s.zlen, 0);
	assert_refused(s.z, s.zlen, "impossible size");
	/* More than DEFLATE can hold in that many bytes: refused before allocating it. */
	set_trailer_size(s.z, s.zlen, UINT32_MAX);
	assert_refused(s.z, s.zlen, "impossible size");
	sample_free(&s);
}
END_TEST

START_TEST(test_truncated)
{
	struct sample s = sample_new();
	unsigned char *cut = malloc(s.zlen);

	/* The stream's first half, followed by its trailer: the data ends before the stream does. */
	ck_assert_ptr_nonnull(cut);
	memcpy(cut, s.z, s.zlen / 2);
	memcpy(cut + s.zlen / 2, s.z + s.zlen - 8, 8);
	assert_refused(cut, s.zlen / 2 + 8, "truncated gzip stream");
	free(cut);
	sample_free(&s);
}
END_TEST

START_TEST(test_trailing_bytes)
{
	struct sample s = sample_new();
	unsigned char *longer = malloc(s.zlen + 16);

	ck_assert_ptr_nonnull(longer);
	memcpy(longer, s.z, s.zlen);
	memcpy(longer + s.zlen, s.z + s.zlen - 8, 8);
	memcpy(longer + s.zlen + 8, s.z + s.zlen - 8, 8); /* its trailer again: a plausible size */
	assert_refused(longer, s.zlen + 16, "other bytes after the gzip stream");
	free(longer);
	sample_free(&s);
}
END_TEST

/* The skeletons of the build embed their objects compressed: futex's inflate to BPF ELF objects. */
START_TEST(test_embedded_object)
{
	const void *(*variants[])(size_t *) = { futex_bpf__elf_bytes, futex_bpf_legacy__elf_bytes };

	for (size_t i = 0; i < ARRAY_SIZE(variants); i++) {
		size_t zlen = 0, len = 0;
		const unsigned char *z = variants[i](&zlen);
		char err[160] = "";
		unsigned char *elf = zbytes_inflate(z, zlen, &len, err, sizeof(err));

		ck_assert_msg(elf != NULL, "variant %zu: %s", i, err);
		ck_assert_uint_eq(len, zbytes_size(z, zlen));
		ck_assert_uint_gt(len, 2 * zlen); /* compressed, not stored */
		ck_assert_uint_ge(len, sizeof(Elf64_Ehdr));
		ck_assert_int_eq(memcmp(elf, ELFMAG, SELFMAG), 0);
		ck_assert_int_eq(((const Elf64_Ehdr *)elf)->e_machine, EM_BPF);
		free(elf);
	}
}
END_TEST

int main(void)
{
	const TTest *tests[] = { test_round_trip,   test_one_byte,       test_not_gzip,
				 test_corrupt_data, test_wrong_crc,      test_wrong_size,
				 test_truncated,    test_trailing_bytes, test_embedded_object };

	return unit_run(unit_suite("zbytes", "core", tests, ARRAY_SIZE(tests)));
}
