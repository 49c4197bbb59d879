#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --timeout 60
# Leaves a module loaded that nobody can unload (modules_disabled cannot be undone): the
# teardown must give up and the next scenario must run in a new boot.
set -euo pipefail
modprobe sch_tbf
echo 1 >/proc/sys/kernel/modules_disabled
echo "locked sch_tbf in"
