/* Unit tests of common/bpf/pkt_key.h (the BPF packet parser and filter) on byte fixtures. */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "bpf/pkt_key.h"
#include "unit_helpers.h"

#define MAC_DST 0x00, 0x11, 0x22, 0x33, 0x44, 0x55
#define MAC_SRC 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb
#define ETH(type) MAC_DST, MAC_SRC, (uint8_t)((type) >> 8), (uint8_t)((type) & 0xff)

/* Non-first fragment (offset 185 * 8) of a UDP datagram; its payload reads like 53 -> 80. */
static const uint8_t eth_ipv4_frag[] = {
	ETH(0x0800),
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x99, 0x00, 0xb9, 0x40, 0x11, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0x00, 0x35, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00,
};

/* First fragment (MF set, offset 0) of the same datagram: UDP 53 -> 80. */
static const uint8_t eth_ipv4_first_frag[] = {
	ETH(0x0800),
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x99, 0x20, 0x00, 0x40, 0x11, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0x00, 0x35, 0x00, 0x50, 0x00, 0x08, 0x00, 0x00,
};

static void snap_eth(struct pkt_snap *s, const uint8_t *bytes, size_t len)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->bytes, bytes, len);
	s->len = (uint8_t)len;
	s->at = PKT_AT_ETH;
}

START_TEST(test_first_fragment_has_ports)
{
	struct pkt_filter f = { .dport = 80 };
	struct pkt_snap s;
	struct pkt_key m;

	snap_eth(&s, eth_ipv4_first_frag, sizeof(eth_ipv4_first_frag));
	pkt_key_parse(&s, &m);
	ck_assert_uint_eq(m.family, 4);
	ck_assert_uint_eq(m.l4proto, IPPROTO_UDP);
	ck_assert_uint_eq(m.sport, 53);
	ck_assert_uint_eq(m.dport, 80);
	ck_assert(pkt_filter_match(&f, &m));
}
END_TEST

/* Its payload sits where the ports were: a port filter must not match it. */
START_TEST(test_non_first_fragment_has_no_ports)
{
	struct pkt_filter port = { .dport = 80 }, addr = { .sfamily = 4 };
	struct pkt_snap s;
	struct pkt_key m;

	snap_eth(&s, eth_ipv4_frag, sizeof(eth_ipv4_frag));
	pkt_key_parse(&s, &m);
	ck_assert_uint_eq(m.family, 4);
	ck_assert_uint_eq(m.l4proto, IPPROTO_UDP);
	ck_assert_uint_eq(m.sport, 0);
	ck_assert_uint_eq(m.dport, 0);
	ck_assert(!pkt_filter_match(&port, &m));
	addr.saddr[0] = inet_addr("10.0.0.1");
	ck_assert(pkt_filter_match(&addr, &m));	/* the addresses are there */
}
END_TEST

static Suite *pkt_key_suite(void)
{
	Suite *s = suite_create("pkt_key");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_first_fragment_has_ports);
	tcase_add_test(tc, test_non_first_fragment_has_no_ports);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(pkt_key_suite());
}
