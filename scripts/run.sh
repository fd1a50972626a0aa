#!/usr/bin/env bash
# run.sh BUILD_DIR: `make run`, the main job on the embedded default (SQLite).
# Until the HTTP server exists (issue 8) the main job is a guided tour of what
# is built: a passport read at the booth, the policy in force on either side of
# Ecuador's 1 July 2024 change, the stay calculator, and the crossings ledger in
# a demo database (./frontera-demo.db), each printed with the command that ran.
set -euo pipefail
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
F="$build/frontera"
demo_db=${FRONTERA_DEMO_DB:-frontera-demo.db}
has() { "$F" --help | awk '/^Subcommands:/{on=1;next} /^$/{on=0} on{print $1}' | grep -qx "$1"; }
show() { printf '\n\033[1m$ frontera %s\033[0m\n' "$*"; "$F" "$@" || true; }

echo "frontera $("$F" --version | cut -d' ' -f2): demo of the border entry/exit system"

if has mrz; then
  spec=$(mktemp); trap 'rm -f "$spec"' EXIT
  printf '%s\n%s\n' 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<' \
                    'L898902C36UTO7408122F1204159ZE184226B<<<<<10' >"$spec"
  echo; echo "# The ICAO 9303 specimen passport, read at the booth:"
  show mrz --today 2010-01-01 "$spec"
fi
if has policy; then
  echo; echo "# Ecuador's policy for Chinese visitors, the day before and the day of the change:"
  show policy check --policy "$top/data/policy/ecu.policy" --nationality CHN --on 2024-06-30
  show policy check --policy "$top/data/policy/ecu.policy" --nationality CHN --on 2024-07-01
fi
if has stay; then
  echo; echo "# The Schengen 90/180 calculator for a frequent visitor:"
  show stay --rule rolling:90/180 --on 2024-06-01 2024-01-10..2024-02-20 2024-03-15..2024-04-30
fi
if has init && has import; then
  echo; echo "# The crossings ledger ($demo_db):"
  [ -f "$demo_db" ] || show --db "$demo_db" init
  show --db "$demo_db" import "$top/data/demo/crossings.csv"
fi
if has screen && [ -f "$top/data/demo/watchlist.csv" ]; then
  echo; echo "# Watchlist screening with a romanisation variant:"
  wl=$(mktemp -d)
  FRONTERA_WATCHLISTS="$wl" "$F" watchlist import "$top/data/demo/watchlist.csv" >/dev/null
  FRONTERA_WATCHLISTS="$wl" show screen --name "CHAN, WAI MAN"
  rm -rf "$wl"
fi
echo
echo "See README.md for the user guide; 'frontera --help' lists every subcommand."
