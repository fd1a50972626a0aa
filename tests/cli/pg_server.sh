#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg_server.sh: tests/cli/server.sh (every route, roles, limits, policy,
# audit chain, graceful stop) on the PostgreSQL test cluster: store, users,
# tokens and the audit log all in PostgreSQL.
FR_BACKEND=pg exec bash "$(dirname "$0")/server.sh"
