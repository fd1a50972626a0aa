#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh BUILD_DIR: `make run`, the main job on the embedded store (SQLite).
# It creates a demo ledger from the synthetic ecuador-2024 scenario when there
# is none (./frontera-demo.db), makes a demo officer and a demo analyst whose
# tokens it prints, and starts the frontera server with the booth and the
# analyst dashboard. Ctrl-C stops it (graceful shutdown).
set -euo pipefail
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
F="$build/frontera"
db=${FRONTERA_DEMO_DB:-frontera-demo.db}
listen=${FRONTERA_LISTEN:-127.0.0.1:8080}
lists=${FRONTERA_DEMO_WATCHLISTS:-frontera-demo-watchlists}

# The user's language, as the program finds it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)
lang=${LANGUAGE:-${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}}
es() { case "$lang" in es*) return 0 ;; *) return 1 ;; esac; }
if [ ! -f "$db" ]; then
  if es; then
    echo "Creando el registro de demostración $db con el escenario sintético ecuador-2024 (escala 0.03)..."
  else
    echo "Creating the demo ledger $db from the synthetic ecuador-2024 scenario (scale 0.03)..."
  fi
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  "$F" synth --scenario ecuador-2024 --seed 1 --scale 0.03 --out "$tmp/demo.csv"
  "$F" --db "$db.tmp" init >/dev/null
  "$F" --db "$db.tmp" import "$tmp/demo.csv"
  mv "$db.tmp" "$db"
  rm -rf "$tmp" # now: the server below replaces this shell (exec), so the EXIT trap never runs
  trap - EXIT
fi
if [ ! -d "$lists" ]; then
  mkdir -p "$lists"
  "$F" watchlist import "$top/data/demo/watchlist.csv" --dir "$lists" >/dev/null
fi
policy=${FRONTERA_DEMO_POLICY:-frontera-demo.policy}
# The server rewrites its policy file on PUT /v1/policy: give it a copy, not the repository's.
[ -f "$policy" ] || cp "$top/data/policy/ecu.policy" "$policy"
token() { # a fresh token for a demo user (created on first run)
  "$F" --db "$db" user rotate "$1" 2>/dev/null || "$F" --db "$db" user add "$1" --role "$2"
}
officer=$(token demo-officer officer)
analyst=$(token demo-analyst analyst)
base="http://$listen"
version=$("$F" --version | cut -d' ' -f2)
# the same commands in both languages
api=$(
  cat <<EOT
    curl -s $base/healthz
    curl -s -H "Authorization: Bearer $analyst" "$base/v1/reports/flows?by=nationality&from=2024-01-01&to=2024-12-31&nationality=CHN"
    curl -s -H "Authorization: Bearer $analyst" "$base/v1/alerts"
    curl -s -H "Authorization: Bearer $officer" -H 'Content-Type: application/json' \\
      -d '{"mrz":["P<CHNZHANG<<WEI<<<<<<<<<<<<<<<<<<<<<<<<<<<<<","E123456782CHN8503149M3005017<<<<<<<<<<<<<<<8"],"port":"ECUIO","at":"2024-07-01T10:15-05:00"}' \\
      $base/v1/admissions
EOT
)
if es; then
  cat <<EOT

frontera $version arranca en $base con el registro de demostración $db.

  Tablero del analista:  $base/dashboard#token=$analyst
  Ventanilla (oficial):  $base/booth#token=$officer

  Credenciales de demostración (se muestran una vez; cada arranque las renueva):
    oficial   $officer
    analista  $analyst

  Pruebe la API:
$api

Pulse Ctrl-C para detener.
EOT
else
  cat <<EOT

frontera $version is starting on $base with the demo ledger $db.

  Analyst dashboard:  $base/dashboard#token=$analyst
  Booth (officer):    $base/booth#token=$officer

  Demo tokens (shown once per run; each run rotates them):
    officer  $officer
    analyst  $analyst

  Try the API:
$api

Press Ctrl-C to stop.
EOT
fi
exec "$F" --db "$db" serve --listen "$listen" --policy "$policy" --watchlists "$lists"
