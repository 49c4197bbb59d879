# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# libvirt_live_xml DIR NAME UUID TAP: the live XML libvirt keeps for a running QEMU domain
# (/run/libvirt/qemu/NAME.xml) with one virtio interface on the tap TAP, written as
# DIR/NAME.xml: what the VM pair tools' --config resolves a domain UUID through
# (BPFNET_LIBVIRT_RUN=DIR). Sourced by host-e2e and lab tests.
libvirt_live_xml() {
	cat >"$1/$2.xml" <<XML
<domstatus state='running' reason='booted' pid='1'>
  <domain type='kvm' id='1'>
    <name>$2</name>
    <uuid>$3</uuid>
    <devices>
      <interface type='bridge'>
        <source bridge='br0'/>
        <target dev='$4'/>
        <model type='virtio'/>
        <driver name='vhost'/>
      </interface>
    </devices>
  </domain>
</domstatus>
XML
}
