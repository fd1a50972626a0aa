#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_sync_lists.sh: tests/cli/sync_lists.sh (lists, histories and hot swap
# pulled by a border post) with the central on the PostgreSQL test cluster.
FR_BACKEND=pg exec bash "$(dirname "$0")/sync_lists.sh"
