// SPDX-License-Identifier: GPL-2.0-only
/*
 * udp_flood DST_IP PORT RATE SECONDS [SIZE]: sends RATE UDP datagrams of SIZE bytes (1; up to
 * 65507, fragmented above the path's MTU) a second to DST_IP:PORT for SECONDS (in bursts every
 * millisecond, sendmmsg), then prints how many it sent. Aimed at a closed port, each datagram is
 * one drop (no socket) on the receiving host.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define BURST_MAX 1024

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static struct mmsghdr msgs[BURST_MAX];
	static char payload[65507];
	struct iovec iov = { .iov_base = payload, .iov_len = 1 };
	struct sockaddr_in dst = { .sin_family = AF_INET };
	unsigned long long sent = 0;
	double rate, seconds, start;
	int fd;

	if (argc < 5 || argc > 6 || inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
		fprintf(stderr, "usage: udp_flood DST_IP PORT RATE SECONDS [SIZE]\n");
		return 2;
	}
	if (argc == 6)
		iov.iov_len = (size_t)atoi(argv[5]);
	if (iov.iov_len < 1 || iov.iov_len > sizeof(payload)) {
		fprintf(stderr, "udp_flood: SIZE from 1 to %zu\n", sizeof(payload));
		return 2;
	}
	dst.sin_port = htons((unsigned short)atoi(argv[2]));
	rate = atof(argv[3]);
	seconds = atof(argv[4]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	for (int i = 0; i < BURST_MAX; i++) {
		msgs[i].msg_hdr.msg_name = &dst;
		msgs[i].msg_hdr.msg_namelen = sizeof(dst);
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	start = now_s();
	for (;;) {
		double t = now_s() - start;
		unsigned long long due = (unsigned long long)(rate * (t < seconds ? t : seconds));
		struct timespec ms = { 0, 1000000 };

		while (sent < due) {
			unsigned n = due - sent > BURST_MAX ? BURST_MAX : (unsigned)(due - sent);
			int r = sendmmsg(fd, msgs, n, 0);

			if (r <= 0)
				break; /* ICMP errors (port unreachable) are reported as ECONNREFUSED: ignore */
			sent += (unsigned)r;
		}
		if (t >= seconds)
			break;
		nanosleep(&ms, NULL);
	}
	printf("%llu\n", sent);
	return 0;
}
