// SPDX-License-Identifier: GPL-2.0-only
#include "dev_names.h"

#include <string.h>

#include "argparse.h"
#include "filter.h"

void dev_name_set_parse(struct dev_name_set *set, const char *text, const void *dest)
{
	const char *p = text;

	for (;;) {
		size_t len = strcspn(p, ",");

		if (!len || len >= DEV_NAME_LEN)
			arg_fail_opt(dest, "invalid device name '%.*s' in '%s' (1 to %d characters each)",
				     (int)len, p, arg_shown(text), DEV_NAME_LEN - 1);
		if (set->count == DEV_NAME_SET_MAX)
			arg_fail_opt(dest, "at most %d devices: '%s'", DEV_NAME_SET_MAX, arg_shown(text));
		memcpy(set->name[set->count++], p, len);
		if (!p[len])
			break;
		p += len + 1;
	}
	for (unsigned i = 0; i < set->count; i++)
		iface_name_check(dev_name_set_name(set, i));
}

const char *dev_name_set_name(const struct dev_name_set *set, unsigned i)
{
	return (const char *)set->name[i];
}
