// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/version.h (--version's text and JSON) and of the hidden built-ins
 * --version and --bash-completion of common/argparse.h (the completion script's exact text,
 * and bash completing with it).
 */
#include <bpf/libbpf_version.h>
#include <check.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argparse_fixture.h"
#include "util.h"
#include "version.h"

static const struct version_info sample = {
	.tool = "eth_drop",
	.suite = "1.2.3",
	.git_revision = "0123456789ab",
	.build_date = "2026-12-04",
	.libbpf_major = 1,
	.libbpf_minor = 1,
	.nobjects = 2,
	.objects = { { "eth_drop", "modern", 182044 }, { "eth_drop", "legacy", 180112 } },
};

static char *written(const struct version_info *v, bool json)
{
	struct memfile m;

	version_write(mem_open(&m), v, json);
	return mem_close(&m);
}

START_TEST(test_text)
{
	char *s = written(&sample, false);

	ck_assert_str_eq(
		s, "eth_drop (bpfnet-tools) 1.2.3\n"
		   "git revision: 0123456789ab\n"
		   "libbpf: 1.1\n"
		   "build date: 2026-12-04\n"
		   "BPF objects:\n"
		   "  eth_drop.modern.bpf.o  182044 bytes  events through the BPF ring buffer, kernel 5.8+\n"
		   "  eth_drop.legacy.bpf.o  180112 bytes  events through a perf buffer, kernel 4.19+\n");
	free(s);
}
END_TEST

START_TEST(test_text_without_objects)
{
	struct version_info v = sample;

	v.tool = "drop_monitor_controller";
	v.nobjects = 0;
	char *s = written(&v, false);

	ck_assert_str_eq(s, "drop_monitor_controller (bpfnet-tools) 1.2.3\n"
			    "git revision: 0123456789ab\n"
			    "libbpf: 1.1\n"
			    "build date: 2026-12-04\n"
			    "BPF objects: none (this tool loads no BPF object of its own)\n");
	free(s);
}
END_TEST

START_TEST(test_text_unknown_variant)
{
	struct version_info v = sample;

	v.nobjects = 1;
	v.objects[0] = (struct bpf_object_info){ "x", "arm64", 10 };
	char *s = written(&v, false);

	ck_assert_ptr_nonnull(strstr(s, "\nBPF objects:\n  x.arm64.bpf.o  10 bytes\n"));
	free(s);
}
END_TEST

START_TEST(test_json)
{
	char *s = written(&sample, true);

	ck_assert_str_eq(s, "{\"tool\":\"eth_drop\",\"version\":\"1.2.3\",\"git_revision\":\"0123456789ab\","
			    "\"libbpf\":\"1.1\",\"build_date\":\"2026-12-04\",\"bpf_objects\":["
			    "{\"name\":\"eth_drop\",\"variant\":\"modern\",\"bytes\":182044},"
			    "{\"name\":\"eth_drop\",\"variant\":\"legacy\",\"bytes\":180112}]}\n");
	free(s);
	struct version_info v = sample;

	v.nobjects = 0;
	s = written(&v, true);
	ck_assert_ptr_nonnull(strstr(s, ",\"bpf_objects\":[]}\n"));
	free(s);
}
END_TEST

static bool matches(const char *text, const char *pattern)
{
	regex_t re;

	ck_assert_int_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	bool ok = !regexec(&re, text, 0, NULL, 0);

	regfree(&re);
	return ok;
}

/* Embedded objects are gzip streams (common/zbytes.h): these end with the trailer's size. */
static const unsigned char modern_gz[18] = { [14] = 1000 & 0xff, [15] = 1000 >> 8 };
static const unsigned char legacy_gz[20] = { [16] = 900 & 0xff, [17] = 900 >> 8 };

static const void *fake_modern(size_t *size)
{
	*size = sizeof(modern_gz);
	return modern_gz;
}

static const void *fake_legacy(size_t *size)
{
	*size = sizeof(legacy_gz);
	return legacy_gz;
}

/*
 * This build's values: the project's version, a revision, a UTC date, the libbpf linked in;
 * the objects registered (once each, in order; their size, read from the compressed object's
 * trailer, asked for when printing).
 */
START_TEST(test_current_build)
{
	struct version_info v = version_current("x");

	ck_assert_str_eq(v.tool, "x");
	ck_assert_int_eq(v.nobjects, 0);
	ck_assert(matches(v.suite, "^[0-9]+\\.[0-9]+\\.[0-9]+$"));
	ck_assert_msg(matches(v.git_revision, "^([0-9a-f]{7,40}|unknown)$"), "revision %s", v.git_revision);
	ck_assert_msg(matches(v.build_date, "^20[0-9]{2}-[01][0-9]-[0-3][0-9]$"), "date %s", v.build_date);
	ck_assert_int_eq(v.libbpf_major, LIBBPF_MAJOR_VERSION);
	ck_assert_int_eq(v.libbpf_minor, LIBBPF_MINOR_VERSION);

	version_add_bpf_object("t", "modern", fake_modern);
	version_add_bpf_object("t", "legacy", fake_legacy);
	version_add_bpf_object("t", "modern", fake_legacy);
	v = version_current("x");
	ck_assert_int_eq(v.nobjects, 2);
	ck_assert_str_eq(v.objects[0].variant, "modern");
	ck_assert_uint_eq(v.objects[0].bytes, 1000);
	ck_assert_str_eq(v.objects[1].name, "t");
	ck_assert_str_eq(v.objects[1].variant, "legacy");
	ck_assert_uint_eq(v.objects[1].bytes, 900);
}
END_TEST

/* --version exits 0 before required options are checked, and ignores what else is wrong. */
START_TEST(test_version_option)
{
	struct captured r;

	RUN(&req, "req", "--version");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	ck_assert(matches(
		r.out, "^req \\(bpfnet-tools\\) [0-9.]+\ngit revision: [0-9a-z]+\nlibbpf: [0-9]+\\.[0-9]+\n"
		       "build date: [0-9-]+\nBPF objects: none \\(.*\\)\n$"));
	captured_free(&r);
	RUN(&tool, "tool", "--bogus", "--version", "--json");
	ck_assert_int_eq(r.status, 0);
	ck_assert(matches(r.out,
			  "^\\{\"tool\":\"tool\",\"version\":\"[0-9.]+\",.*\"bpf_objects\":\\[\\]\\}\n$"));
	captured_free(&r);
	/* Hidden: not in --help, and no prefix ("--vers") reaches it. */
	RUN(&tool, "tool", "--help");
	ck_assert_ptr_null(strstr(r.out, "--version"));
	ck_assert_ptr_null(strstr(r.out, "--bash-completion"));
	captured_free(&r);
	RUN(&tool, "tool", "--vers");
	TOOL_ERROR("unrecognized arguments: --vers");
	captured_free(&r);
}
END_TEST

#define REQ_COMPLETION                                                                                       \
	"# bash completion of req, written by `req --bash-completion` from its options\n"                    \
	"_bpfnet_req()\n"                                                                                    \
	"{\n"                                                                                                \
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"                           \
	"\tCOMPREPLY=()\n"                                                                                   \
	"\t# bash splits \"--opt=value\" at '=' (COMP_WORDBREAKS)\n"                                         \
	"\tif [[ $cur == = ]]; then\n"                                                                       \
	"\t\tcur=\n"                                                                                         \
	"\telif [[ $prev == = && $COMP_CWORD -gt 1 ]]; then\n"                                               \
	"\t\tprev=${COMP_WORDS[COMP_CWORD-2]}\n"                                                             \
	"\tfi\n"                                                                                             \
	"\tcase $prev in\n"                                                                                  \
	"\t-d|--dev)\n"                                                                                      \
	"\t\t# one name, or the next of a comma-separated list\n"                                            \
	"\t\tlocal head=\n"                                                                                  \
	"\t\t[[ $cur == *,* ]] && head=${cur%,*},\n"                                                         \
	"\t\tCOMPREPLY=($(compgen -P \"$head\" -W \"$(ls /sys/class/net 2>/dev/null)\" -- "                  \
	"\"${cur##*,}\"))\n"                                                                                 \
	"\t\treturn 0 ;;\n"                                                                                  \
	"\t--btf)\n"                                                                                         \
	"\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"                                                        \
	"\t\treturn 0 ;;\n"                                                                                  \
	"\t--mode)\n"                                                                                        \
	"\t\treturn 0 ;;\n"                                                                                  \
	"\tesac\n"                                                                                           \
	"\tif [[ -z $cur || $cur == -* ]]; then\n"                                                           \
	"\t\tCOMPREPLY=($(compgen -W '--help --dev --mode --json --btf --list-probes --version' -- "         \
	"\"$cur\"))\n"                                                                                       \
	"\tfi\n"                                                                                             \
	"\treturn 0\n"                                                                                       \
	"}\n"                                                                                                \
	"complete -F _bpfnet_req req\n"

START_TEST(test_completion_script)
{
	struct captured r;

	RUN(&req, "req", "--bash-completion");
	expect_printed(&r, REQ_COMPLETION);
	/* Choices after their option, short and long; hidden test switches not offered. */
	RUN(&tool, "tool", "--bash-completion");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out,
				     "\t--l4-protocol)\n\t\tCOMPREPLY=($(compgen -W 'all icmp tcp udp' -- "
				     "\"$cur\"))\n\t\treturn 0 ;;\n"));
	ck_assert_ptr_nonnull(strstr(r.out,
				     "\t-i|--interval|--offset|-n|--name|--src-ip|--src-port|-p|--ports)\n"
				     "\t\treturn 0 ;;\n"));
	ck_assert_ptr_nonnull(
		strstr(r.out, "compgen -W '--help --interval --offset --verbose --name --src-ip "
			      "--src-port --l4-protocol --ports --json --btf --list-probes --version'"));
	ck_assert_ptr_null(strstr(r.out, "secret"));
	ck_assert_ptr_null(strstr(r.out, "--ready-file"));
	captured_free(&r);
}
END_TEST

/* What bash completes with req's script for the words (the last is the one completed). */
static char *bash_complete(const char *script_path, const char *words)
{
	char cmd[1024];
	struct memfile m;
	FILE *out = mem_open(&m);
	char line[256];

	snprintf(cmd, sizeof(cmd),
		 "bash -c 'source %s; COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
		 "_bpfnet_req; printf \"%%s\\n\" \"${COMPREPLY[@]}\"; complete -p req'",
		 script_path, words);
	FILE *p = popen(cmd, "r");

	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof(line), p))
		fputs(line, out);
	ck_assert_int_eq(pclose(p), 0);
	return mem_close(&m);
}

START_TEST(test_completion_in_bash)
{
	struct captured r;
	char path[] = "/tmp/unit_version_XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	RUN(&req, "req", "--bash-completion");
	ck_assert_int_eq(write(fd, r.out, strlen(r.out)), (ssize_t)strlen(r.out));
	close(fd);
	captured_free(&r);

	char *s = bash_complete(path, "req --m");

	ck_assert_str_eq(s, "--mode\ncomplete -F _bpfnet_req req\n");
	free(s);
	s = bash_complete(path, "req --");
	ck_assert_str_eq(s, "--help\n--dev\n--mode\n--json\n--btf\n--list-probes\n--version\n"
			    "complete -F _bpfnet_req req\n");
	free(s);
	/* "lo" exists in every network namespace; "--dev=" as bash splits it; after a comma. */
	s = bash_complete(path, "req --dev l");
	ck_assert_ptr_nonnull(strstr(s, "lo\n"));
	free(s);
	s = bash_complete(path, "req --dev = l");
	ck_assert_ptr_nonnull(strstr(s, "lo\n"));
	free(s);
	s = bash_complete(path, "req -d x,l");
	ck_assert_ptr_nonnull(strstr(s, "x,lo\n"));
	free(s);
	/* A value option completes nothing, not even options. */
	s = bash_complete(path, "req --mode -");
	ck_assert_str_eq(s, "\ncomplete -F _bpfnet_req req\n");
	free(s);
	unlink(path);
}
END_TEST

int main(void)
{
	const TTest *format_tests[] = { test_text, test_text_without_objects, test_text_unknown_variant,
					test_json, test_current_build };
	const TTest *option_tests[] = { test_version_option, test_completion_script,
					test_completion_in_bash };
	Suite *s = unit_suite("version", "format", format_tests, ARRAY_SIZE(format_tests));

	unit_tcase(s, "options", option_tests, ARRAY_SIZE(option_tests));
	return argparse_unit_run(s);
}
