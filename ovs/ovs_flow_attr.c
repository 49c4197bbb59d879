// SPDX-License-Identifier: GPL-2.0-only
#include <linux/netlink.h>
#include <string.h>

#include "ovs_flow_attr.h"

bool ovs_attr_next(const uint8_t *buf, size_t len, size_t *off, struct ovs_attr *a)
{
	uint16_t alen, type;

	if (*off + NLA_HDRLEN > len)
		return false;
	memcpy(&alen, buf + *off, 2);
	memcpy(&type, buf + *off + 2, 2);
	if (alen < NLA_HDRLEN || *off + alen > len)
		return false;
	a->type = type & NLA_TYPE_MASK;
	a->data = buf + *off + NLA_HDRLEN;
	a->len = alen - NLA_HDRLEN;
	*off += NLA_ALIGN(alen);
	return true;
}

uint32_t ovs_attr_u32(const struct ovs_attr *a)
{
	uint32_t v = 0;

	memcpy(&v, a->data, a->len < 4 ? a->len : 4);
	return v;
}

uint16_t ovs_attr_u16(const struct ovs_attr *a)
{
	uint16_t v = 0;

	memcpy(&v, a->data, a->len < 2 ? a->len : 2);
	return v;
}

bool ovs_attr_take(void *dst, size_t size, const struct ovs_attr *a)
{
	if (a->len != size)
		return false;
	memcpy(dst, a->data, size);
	return true;
}
