#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench-cold-reports.sh FRONTERA LEDGER DIR [REPS]: the reports as a user runs
# them, each a new process on the ledger with its analytics snapshot (page
# cache warm), beside DuckDB, SQLite and PostgreSQL running the same SQL
# (bench/sql) on the ledger's rows, in one run.
#   1. the snapshot is removed and `report overstays` rebuilds it (timed);
#   2. `report flows --by nationality,port,month` (2022-2024) and
#      `report overstays --by nationality` (2023-01..2024-06 as of 2024-12-31),
#      REPS times each (default 5), best kept;
#   3. the ledger's rows are exported as DIR/events.csv (seq, traveller,
#      kind, dates, port, nationality, class) and scripts/bench-reports.sh
#      loads them into each engine and runs the SQL 3 times, best kept;
#   4. a table of times and ratios (engine / frontera) and whether the rows
#      are identical.
# DIR is scratch space (several GB at 10 M events); events.csv is removed.
set -euo pipefail
fr=$1
db=$2
dir=$3
reps=${4:-5}
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
now() { date +%s.%N; }
export FRONTERA_DB=$db
flows=(report flows --from 2022-01-01 --to 2024-12-31 --by nationality,port,month --format csv)
ovs=(report overstays --from 2023-01-01 --to 2024-06-30 --as-of 2024-12-31 --by nationality
  --format csv)
timed() { # timed OUT CMD...: seconds of a new process
  local out=$1 t0
  shift
  t0=$(now)
  "$@" >"$out"
  echo "$(now) - $t0" | bc -l | sed 's/^\./0./'
}
rm -f "$db.analytics"
rebuild=$(timed "$dir/ovs.csv" "$fr" "${ovs[@]}")
snap=$(stat -c %s "$db.analytics")
events=$(sqlite3 "$db" "SELECT count(*) FROM events")
best_of() { # best_of NAME CMD...
  local name=$1
  shift
  for _ in $(seq "$reps"); do timed "$dir/$name.out" "$@"; done | sort -g | head -n 1
}
tf=$(best_of flows "$fr" "${flows[@]}")
to=$(best_of overstays "$fr" "${ovs[@]}")
# the report rows in bench/sql's layout (no header; flows without net;
# overstays without the rates)
tail -n +2 "$dir/flows.out" | cut -d, -f1-7 >"$dir/frontera_flows.csv"
tail -n +2 "$dir/overstays.out" | cut -d, -f1-5,8,9 >"$dir/frontera_overstays.csv"
t0=$(now)
sqlite3 -csv -header "$db" >"$dir/events.csv" <<'SQL'
SELECT e.id AS seq, d.traveller_id AS trav, e.kind, date(e.local_date * 86400, 'unixepoch') AS d,
       e.at_utc AS t, e.port, d.nationality AS nat, e.admission_class AS cls,
       CASE WHEN e.authorised_until IS NULL THEN NULL ELSE
         date(e.authorised_until * 86400, 'unixepoch') END AS until
FROM events e JOIN documents d ON d.id = e.document_id ORDER BY e.id;
SQL
texport=$(echo "$(now) - $t0" | bc -l | sed 's/^\./0./')
bash "$src/scripts/bench-reports.sh" "$dir" 3
same() { cmp -s "$dir/frontera_$2.sorted" "$dir/$1_$2.sorted" && echo identical || echo DIFFERENT; }
t() { awk -v e="$1" -v k="$2" '$1 == e && $2 == k { print $3 }' "$dir/times.txt"; }
printf 'ledger %s: %s events; snapshot %s bytes (%.1f bytes/event); rebuild + save %.2f s;\n' \
  "$db" "$events" "$snap" "$(echo "$snap / $events" | bc -l)" "$rebuild"
printf 'rows exported for the engines in %.1f s\n' "$texport"
printf '%-10s %10s %8s %10s %8s %10s %10s\n' engine "flows s" x "overst. s" x flows overstays
printf '%-10s %10.4f %8s %10.4f %8s %10s %10s\n' "frontera" "$tf" 1 "$to" 1 - -
for e in duckdb sqlite postgres; do
  f=$(t "$e" flows)
  o=$(t "$e" overstays)
  if [ -z "$f" ] || [ -z "$o" ]; then
    printf '%-10s skipped\n' "$e"
    continue
  fi
  printf '%-10s %10.4f %8.1f %10.4f %8.1f %10s %10s\n' "$e" "$f" "$(echo "$f / $tf" | bc -l)" \
    "$o" "$(echo "$o / $to" | bc -l)" "$(same "$e" flows)" "$(same "$e" overstays)"
done
echo "(frontera: a new process each, best of $reps; engines: best of 3 in their own session)"
