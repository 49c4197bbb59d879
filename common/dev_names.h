/* SPDX-License-Identifier: GPL-2.0-only */
/* Filling a struct dev_name_set (common/bpf/dev_name_set.h) from an option's text. */
#pragma once
#include "bpf/dev_name_set.h"

/*
 * Adds the comma-separated device names of text to set; a name that is empty or too long, or
 * more than DEV_NAME_SET_MAX names, is a usage error of the option whose destination is dest.
 * Warns for each name no interface of this network namespace has (it may be in another one,
 * or come later).
 */
void dev_name_set_parse(struct dev_name_set *set, const char *text, const void *dest);
/* The set's i-th name. */
const char *dev_name_set_name(const struct dev_name_set *set, unsigned i);
