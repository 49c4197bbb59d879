#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --timeout 60
# expect_clean.sh under a second name (a batch runs each name once).
exec bash "$(dirname "$0")/expect_clean.sh"
