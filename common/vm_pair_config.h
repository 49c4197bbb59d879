/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VM pair configuration files (--config): each line two libvirt domain UUIDs, resolved to the
 * domains' tap devices through libvirt's live domain XML, or two device names.
 */
#pragma once
#include "bpf/vm_pair.h"

#define VM_PAIR_VM_MAX_DEVS 16

/* The tap devices of one VM of a pair (one device when the line named a device). */
struct vm_pair_vm {
	int ndevs;
	char devs[VM_PAIR_VM_MAX_DEVS][VM_PAIR_DEV_LEN];
};

struct vm_pair_line {
	struct vm_pair_vm vm[2];
};

/* Where libvirt keeps the live XML of running QEMU domains ($BPFNET_LIBVIRT_RUN overrides). */
const char *vm_pair_libvirt_dir(void);

/*
 * Reads up to max pairs of the file at path (blank lines and # comments skipped), resolving
 * UUIDs through the <uuid> and <interface><target dev=.../> of the XML files in libvirt_dir.
 * Exits 1 with one line naming the file and line for a malformed line, or the UUID that
 * resolves to no domain or to a domain without tap devices. Returns the count.
 */
int vm_pair_config_read(const char *path, const char *libvirt_dir, struct vm_pair_line *out, int max);

/*
 * Splits a device list option (names separated by commas and/or blanks) into out; a name too
 * long or more than max of them is a usage error of the option whose destination is dest.
 * Returns the count.
 */
int vm_pair_split_devs(const char *text, const void *dest, char (*out)[VM_PAIR_DEV_LEN], int max);

/* A pair of --pairs: the device the host transmits to, the one it receives from, their id. */
struct vm_pair_id {
	char tx_dev[VM_PAIR_DEV_LEN];
	char rx_dev[VM_PAIR_DEV_LEN];
	__u32 id;
};

/*
 * Parses --pairs "devX,devY=ID;...", devX the host transmits to, devY the one it receives from,
 * into out. A segment without "=" or two devices, or with a name too long, is skipped with a
 * "WARNING: ..." line on stdout, as the original did; an ID that is no integer in 0..2^32-1, or
 * more than max pairs, is a usage error of the option whose destination is dest.
 */
int vm_pair_parse_pair_ids(const char *text, const void *dest, struct vm_pair_id *out, int max);
