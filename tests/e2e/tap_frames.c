// SPDX-License-Identifier: GPL-2.0-only
/*
 * tap_frames: writes chosen frames into a tap device opened with IFF_TAP | IFF_NO_PI |
 * IFF_VNET_HDR, as a VM's virtio-net would hand them to the host: IPv4 UDP or TCP frames with
 * a virtio_net_hdr of any GSO type and size (including the inconsistent "GSO size, type NONE"),
 * and ARP requests, replies and gratuitous ARP with chosen addresses. For the tests of the
 * GSO anomaly detectors and trace-abnormal-arp (and tun-abnormal-gso-type).
 *
 *   tap_frames DEV [--count N] [--hold-ms MS] [--gso none|tcp4|udp|udp_l4] [--gso-size N]
 *              [--proto udp|tcp] [--payload N] [--src-ip A] [--dst-ip A] [--sport P] [--dport P]
 *              [--src-mac M] [--dst-mac M] [--offload]
 *   tap_frames DEV --arp request|reply|gratuitous --sender-ip A [--target-ip A]
 *              [--src-mac M] [--dst-mac M] [--count N]
 *
 * The device must exist (ip tuntap add ... mode tap vnet_hdr) or is created for the run.
 * Before writing it waits (up to 5 s) until the kernel has seen the carrier come on (operstate
 * up) and, for a bridge port, until the port forwards. --gap-ms sleeps between frames;
 * --hold-ms keeps the tap open (carrier on) that long after writing, so that frames the host
 * sends into it pass tun_net_xmit. --offload takes checksum and TSO offload (TUNSETOFFLOAD, as
 * a VM's virtio-net with those features does), so that TCP GSO skbs reach tun_net_xmit whole.
 * Exits 0 when every frame was written.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define FRAME_MAX 65536
#define ETH_HLEN_ 14
#define IP_HLEN 20
#define UDP_HLEN 8
#define TCP_HLEN 20

struct settings {
	const char *dev;
	int count, hold_ms, gap_ms, gso_type, gso_size, payload, tcp, arp_op, offload;
	uint32_t src_ip, dst_ip, sender_ip, target_ip; /* network order */
	uint16_t sport, dport;
	uint8_t src_mac[6], dst_mac[6];
};

static void fail(const char *fmt, const char *what)
{
	fprintf(stderr, "tap_frames: ");
	fprintf(stderr, fmt, what);
	fputc('\n', stderr);
	exit(2);
}

static void parse_mac(const char *text, uint8_t *mac)
{
	unsigned b[6];

	if (sscanf(text, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		fail("bad MAC address '%s'", text);
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
}

static uint32_t parse_ip(const char *text)
{
	struct in_addr a;

	if (inet_pton(AF_INET, text, &a) != 1)
		fail("bad IPv4 address '%s'", text);
	return a.s_addr;
}

static int parse_choice(const char *text, const char *const *names, const int *values)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(text, names[i]))
			return values[i];
	fail("unknown choice '%s'", text);
	return 0;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static size_t build_eth(uint8_t *f, const struct settings *s, uint16_t type)
{
	memcpy(f, s->dst_mac, 6);
	memcpy(f + 6, s->src_mac, 6);
	f[12] = (uint8_t)(type >> 8);
	f[13] = (uint8_t)type;
	return ETH_HLEN_;
}

/* IPv4 + UDP/TCP; with a GSO type the L4 checksum is left partial (pseudo header only). */
static size_t build_ip(uint8_t *f, const struct settings *s, int seq, struct virtio_net_hdr *vh)
{
	size_t l4len = (s->tcp ? TCP_HLEN : UDP_HLEN) + (size_t)s->payload;
	uint8_t *ip = f + ETH_HLEN_, *l4 = ip + IP_HLEN;
	uint32_t pseudo = 0;
	uint16_t tot = (uint16_t)(IP_HLEN + l4len), c;

	memset(ip, 0, IP_HLEN + l4len);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[4] = (uint8_t)(seq >> 8);
	ip[5] = (uint8_t)seq;
	ip[8] = 64;
	ip[9] = s->tcp ? 6 : 17;
	memcpy(ip + 12, &s->src_ip, 4);
	memcpy(ip + 16, &s->dst_ip, 4);
	c = (uint16_t)~csum_fold(csum_add(0, ip, IP_HLEN));
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	l4[0] = (uint8_t)(s->sport >> 8);
	l4[1] = (uint8_t)s->sport;
	l4[2] = (uint8_t)(s->dport >> 8);
	l4[3] = (uint8_t)s->dport;
	if (s->tcp) {
		l4[7] = (uint8_t)seq; /* sequence number */
		l4[12] = 5 << 4;
		l4[13] = 0x18; /* PSH ACK */
		l4[15] = 0xff; /* window */
	} else {
		l4[4] = (uint8_t)(l4len >> 8);
		l4[5] = (uint8_t)l4len;
	}
	for (int i = 0; i < s->payload; i++)
		l4[(s->tcp ? TCP_HLEN : UDP_HLEN) + i] = (uint8_t)('a' + i % 26);
	pseudo = csum_add(0, ip + 12, 8) + ip[9] + (uint32_t)l4len;
	if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
		/* as virtio-net hands over a partial checksum: pseudo header in the field */
		c = csum_fold(pseudo);
		vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		vh->csum_start = ETH_HLEN_ + IP_HLEN;
		vh->csum_offset = s->tcp ? 16 : 6;
		vh->hdr_len = (uint16_t)(ETH_HLEN_ + IP_HLEN + (s->tcp ? TCP_HLEN : UDP_HLEN));
	} else {
		c = (uint16_t)~csum_fold(csum_add(pseudo, l4, l4len));
	}
	l4[s->tcp ? 16 : 6] = (uint8_t)(c >> 8);
	l4[s->tcp ? 17 : 7] = (uint8_t)c;
	return ETH_HLEN_ + IP_HLEN + l4len;
}

static size_t build_arp(uint8_t *f, const struct settings *s)
{
	static const uint8_t head[8] = { 0, 1, 8, 0, 6, 4, 0, 0 };
	uint8_t *a = f + ETH_HLEN_;
	bool reply = s->arp_op == 2;

	memcpy(a, head, sizeof(head));
	a[7] = reply ? 2 : 1;
	memcpy(a + 8, s->src_mac, 6);
	memcpy(a + 14, &s->sender_ip, 4);
	memset(a + 18, 0, 6);
	if (reply)
		memcpy(a + 18, s->dst_mac, 6);
	/* gratuitous (arp_op 3): a request for the sender's own address */
	memcpy(a + 24, s->arp_op == 3 ? &s->sender_ip : &s->target_ip, 4);
	return ETH_HLEN_ + 28;
}

static int open_tap(const char *dev, bool offload)
{
	struct ifreq ifr = { 0 };
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0) {
		perror("tap_frames: /dev/net/tun");
		exit(1);
	}
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		fprintf(stderr, "tap_frames: TUNSETIFF %s: %s\n", dev, strerror(errno));
		exit(1);
	}
	if (offload && ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)) {
		fprintf(stderr, "tap_frames: TUNSETOFFLOAD %s: %s\n", dev, strerror(errno));
		exit(1);
	}
	return fd;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Whether the first line of /sys/class/net/<dev>/<attr> is want (false if unreadable). */
static bool sysfs_is(const char *dev, const char *attr, const char *want)
{
	char path[128], line[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", dev, attr);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	return !strcmp(line, want);
}

/* The carrier is processed asynchronously (linkwatch): frames written before are dropped. */
static void wait_ready(const char *dev)
{
	char path[128];
	bool bridged;

	snprintf(path, sizeof(path), "/sys/class/net/%s/brport", dev);
	bridged = access(path, F_OK) == 0;
	for (int i = 0; i < 500; i++) {
		if (sysfs_is(dev, "operstate", "up") && (!bridged || sysfs_is(dev, "brport/state", "3")))
			return;
		sleep_ms(10);
	}
	fprintf(stderr, "tap_frames: %s did not come up within 5 s\n", dev);
	exit(1);
}

static void parse(int argc, char **argv, struct settings *s)
{
	static const char *const gso_names[] = { "none", "tcp4", "udp", "udp_l4", NULL };
	static const int gso_values[] = { VIRTIO_NET_HDR_GSO_NONE, VIRTIO_NET_HDR_GSO_TCPV4,
					  VIRTIO_NET_HDR_GSO_UDP, 5 /* VIRTIO_NET_HDR_GSO_UDP_L4, 6.2+ */ };
	static const char *const proto_names[] = { "udp", "tcp", NULL };
	static const int proto_values[] = { 0, 1 };
	static const char *const arp_names[] = { "request", "reply", "gratuitous", NULL };
	static const int arp_values[] = { 1, 2, 3 };
	static const struct option longopts[] = {
		{ "count", 1, 0, 'c' },     { "hold-ms", 1, 0, 'H' }, { "gso", 1, 0, 'g' },
		{ "gso-size", 1, 0, 'z' },  { "proto", 1, 0, 'p' },   { "payload", 1, 0, 'l' },
		{ "src-ip", 1, 0, 's' },    { "dst-ip", 1, 0, 'd' },  { "sport", 1, 0, 'S' },
		{ "dport", 1, 0, 'D' },     { "src-mac", 1, 0, 'm' }, { "dst-mac", 1, 0, 'M' },
		{ "gap-ms", 1, 0, 'G' },    { "arp", 1, 0, 'a' },     { "sender-ip", 1, 0, 'i' },
		{ "target-ip", 1, 0, 't' }, { "offload", 0, 0, 'o' }, { 0 },
	};
	int c;

	*s = (struct settings){ .count = 1, .payload = 100, .sport = 4000, .dport = 5000 };
	parse_mac("02:00:00:00:00:01", s->src_mac);
	parse_mac("ff:ff:ff:ff:ff:ff", s->dst_mac);
	s->src_ip = parse_ip("10.99.0.1");
	s->dst_ip = parse_ip("10.99.0.2");
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			s->count = atoi(optarg);
			break;
		case 'H':
			s->hold_ms = atoi(optarg);
			break;
		case 'G':
			s->gap_ms = atoi(optarg);
			break;
		case 'g':
			s->gso_type = parse_choice(optarg, gso_names, gso_values);
			break;
		case 'z':
			s->gso_size = atoi(optarg);
			break;
		case 'p':
			s->tcp = parse_choice(optarg, proto_names, proto_values);
			break;
		case 'l':
			s->payload = atoi(optarg);
			break;
		case 'o':
			s->offload = 1;
			break;
		case 's':
			s->src_ip = parse_ip(optarg);
			break;
		case 'd':
			s->dst_ip = parse_ip(optarg);
			break;
		case 'S':
			s->sport = (uint16_t)atoi(optarg);
			break;
		case 'D':
			s->dport = (uint16_t)atoi(optarg);
			break;
		case 'm':
			parse_mac(optarg, s->src_mac);
			break;
		case 'M':
			parse_mac(optarg, s->dst_mac);
			break;
		case 'a':
			s->arp_op = parse_choice(optarg, arp_names, arp_values);
			break;
		case 'i':
			s->sender_ip = parse_ip(optarg);
			break;
		case 't':
			s->target_ip = parse_ip(optarg);
			break;
		default:
			exit(2);
		}
	}
	if (optind != argc - 1)
		fail("%s", "usage: tap_frames DEV [options] (see the source's header)");
	s->dev = argv[optind];
	if (s->payload < 0 || s->payload > FRAME_MAX - 128 || s->count < 0)
		fail("%s", "bad --payload or --count");
}

int main(int argc, char **argv)
{
	static uint8_t buf[FRAME_MAX];
	struct virtio_net_hdr *vh = (void *)buf;
	uint8_t *frame = buf + sizeof(*vh);
	struct settings s;
	int fd;

	parse(argc, argv, &s);
	fd = open_tap(s.dev, s.offload);
	wait_ready(s.dev);
	for (int i = 0; i < s.count; i++) {
		size_t len;

		if (i && s.gap_ms)
			sleep_ms(s.gap_ms);
		memset(vh, 0, sizeof(*vh));
		vh->gso_type = (uint8_t)s.gso_type;
		vh->gso_size = (uint16_t)s.gso_size;
		if (s.arp_op)
			len = build_eth(frame, &s, 0x0806) + build_arp(frame, &s) - ETH_HLEN_;
		else
			len = build_eth(frame, &s, 0x0800) + build_ip(frame, &s, i, vh) - ETH_HLEN_;
		if (write(fd, buf, sizeof(*vh) + len) != (ssize_t)(sizeof(*vh) + len)) {
			fprintf(stderr, "tap_frames: frame %d of %d into %s: %s\n", i + 1, s.count, s.dev,
				strerror(errno));
			return 1;
		}
	}
	if (s.hold_ms)
		sleep_ms(s.hold_ms);
	close(fd);
	return 0;
}
