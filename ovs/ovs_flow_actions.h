/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once
#include "ovs_flow_attr.h"
#include "strbuf.h"

/* Appends one OVS_ACTION_ATTR_* action to sb in ovs-dpctl's syntax ("output:2", "ct(commit,zone=7)"). */
void ovs_flow_action_text(struct strbuf *sb, const struct ovs_attr *a);
