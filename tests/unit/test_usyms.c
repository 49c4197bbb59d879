// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/usyms.h: this test program's own functions and its C library, by ELF file and by pid. */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "unit_helpers.h"
#include "usyms.h"
#include "util.h"

/* 64 bytes of padding: the offsets below stay inside the function's symbol size. */
__attribute__((noinline)) int usyms_fixture_function(int x)
{
	__asm__ volatile(".skip 64, 0x90");
	return x * 3 + 1;
}

START_TEST(test_elf_file_symbols)
{
	const struct elf_syms *es = elf_syms_load("/proc/self/exe");
	uint64_t addr, off = 99;

	ck_assert_ptr_nonnull(es);
	addr = elf_syms_addr(es, "usyms_fixture_function");
	ck_assert_uint_ne(addr, 0);
	ck_assert_str_eq(elf_syms_find(es, addr + 2, &off), "usyms_fixture_function");
	ck_assert_uint_eq(off, 2);
	ck_assert_uint_eq(elf_syms_addr(es, "no_such_function_here"), 0);
	/* Read once: the second load is the cached table. */
	ck_assert_ptr_eq(elf_syms_load("/proc/self/exe"), es);
	ck_assert_ptr_null(elf_syms_load("/nonexistent/file"));
	ck_assert_ptr_null(elf_syms_load("/proc/self/status")); /* not an ELF file */
}
END_TEST

START_TEST(test_process_addresses)
{
	struct usyms *u = usyms_load(getpid());
	uint64_t here = (uint64_t)(uintptr_t)&usyms_fixture_function, off = 99, file_addr = 0;
	const char *name;
	char buf[128];

	ck_assert_ptr_nonnull(u);
	/* A position-independent executable: the process address is translated to the file's. */
	ck_assert_str_eq(usyms_find(u, here + 5, &off), "usyms_fixture_function");
	ck_assert_uint_eq(off, 5);
	ck_assert_ptr_nonnull(usyms_file(u, here, &file_addr));
	ck_assert_uint_eq(file_addr,
			  elf_syms_addr(elf_syms_load("/proc/self/exe"), "usyms_fixture_function"));
	/* A C library function, resolved in the shared library's own symbols. */
	name = usyms_find(u, (uint64_t)(uintptr_t)&pthread_rwlock_wrlock, &off);
	ck_assert_ptr_nonnull(name);
	ck_assert_msg(strstr(name, "pthread_rwlock_wrlock"), "resolved as %s", name);
	ck_assert_uint_eq(off, 0);
	/* The styles of the tools: BCC (name, +0xhex) and bpftrace (+decimal, 0x<hex> unresolved). */
	ck_assert_str_eq(usyms_format(u, here + 26, KSYM_NAME, buf, sizeof(buf)), "usyms_fixture_function");
	ck_assert_str_eq(usyms_format(u, here + 26, KSYM_HEX, buf, sizeof(buf)),
			 "usyms_fixture_function+0x1a");
	ck_assert_str_eq(usyms_format(u, here + 26, KSYM_DEC, buf, sizeof(buf)), "usyms_fixture_function+26");
	ck_assert_str_eq(usyms_format(u, 0x10, KSYM_NAME, buf, sizeof(buf)), "[unknown]");
	ck_assert_str_eq(usyms_format(u, 0x10, KSYM_DEC, buf, sizeof(buf)), "0x10");
	ck_assert_str_eq(usyms_format(NULL, 0x7f00, KSYM_HEX, buf, sizeof(buf)), "[unknown]");
	usyms_free(u);
}
END_TEST

START_TEST(test_file_defining)
{
	struct usyms *u = usyms_load(getpid());
	const char *lib = usyms_file_defining(u, "pthread_rwlock_wrlock");

	/* The C library this program runs with (libc.so.6 from glibc 2.34, else libpthread). */
	ck_assert_ptr_nonnull(lib);
	ck_assert_uint_ne(elf_syms_addr(elf_syms_load(lib), "pthread_rwlock_wrlock"), 0);
	ck_assert_ptr_null(usyms_file_defining(u, "no_such_function_here"));
	usyms_free(u);
}
END_TEST

START_TEST(test_cache_and_gone_process)
{
	struct usyms_cache c = { 0 };

	ck_assert_ptr_null(usyms_load(-1));
	ck_assert_ptr_nonnull(usyms_cache_get(&c, getpid()));
	ck_assert_ptr_eq(usyms_cache_get(&c, getpid()), usyms_cache_get(&c, getpid()));
	ck_assert_ptr_null(usyms_cache_get(&c, -1)); /* asked once, remembered as gone */
	ck_assert_uint_eq(c.n, 2);
	usyms_cache_free(&c);
	ck_assert_uint_eq(c.n, 0);
	ck_assert_int_eq(usyms_fixture_function(1), 4);
}
END_TEST

int main(void)
{
	const TTest *tests[] = { test_elf_file_symbols, test_process_addresses, test_file_defining,
				 test_cache_and_gone_process };

	return unit_run(unit_suite("usyms", "usyms", tests, ARRAY_SIZE(tests)));
}
