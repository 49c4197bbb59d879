/* SPDX-License-Identifier: GPL-2.0-only */
/* Netlink attributes of an OVS request, read from a copy of its bytes (no libnl). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ovs_attr {
	uint16_t type; /* without NLA_F_NESTED / NLA_F_NET_BYTEORDER */
	const uint8_t *data;
	size_t len;
};

/* Walks the attributes in buf: the next one into a, false at the end or at a broken header. */
bool ovs_attr_next(const uint8_t *buf, size_t len, size_t *off, struct ovs_attr *a);
/* The payload's first 4 (2) bytes in host order; a shorter payload is zero-padded. */
uint32_t ovs_attr_u32(const struct ovs_attr *a);
uint16_t ovs_attr_u16(const struct ovs_attr *a);
/* Copies the attribute's payload into dst when it has the expected size. */
bool ovs_attr_take(void *dst, size_t size, const struct ovs_attr *a);
