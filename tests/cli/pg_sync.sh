#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_sync.sh: tests/cli/sync.sh (two offline border posts catching up with the
# central through kills, restarts, repeats and a skewed clock) with the
# central on the PostgreSQL test cluster, as deployed.
FR_BACKEND=pg exec bash "$(dirname "$0")/sync.sh"
