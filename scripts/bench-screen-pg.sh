#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench-screen-pg.sh [BUILD_DIR] [ENTRIES] [PG_QUERIES]: frontera's screening
# side by side with PostgreSQL pg_trgm on the same generated list and queries.
# Runs bench/bench_screen (frontera's own figures) with --export, initdb's a
# throw-away PostgreSQL 15 cluster on a unix socket in a temp dir (as user
# postgres when run as root), loads the list, builds a GIN trigram index on the
# normalised name and runs the first PG_QUERIES queries with similarity search
# (name % query ORDER BY similarity DESC LIMIT 5), timed inside the server, then
# reports p50/p99 latency and recall (the expected entry among the 5 results)
# for both. Defaults: build-screen, 1000000 entries, 1000 queries.
set -euo pipefail
build=${1:-build-screen}
n=${2:-1000000}
pq=${3:-1000}
pgbin=/usr/lib/postgresql/15/bin
tmp=$(mktemp -d /tmp/bench-screen-pg.XXXXXX)
chmod 755 "$tmp"
cleanup() {
  if [ -f "$tmp/pg/postmaster.pid" ]; then as_pg "$pgbin/pg_ctl -D $tmp/pg -m immediate stop" >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
trap cleanup EXIT

echo "== frontera ($build/bench/bench_screen $n)"
"$build/bench/bench_screen" "$n" --export "$tmp"
chmod 644 "$tmp"/*.csv

echo "== PostgreSQL pg_trgm (same list, first $pq queries)"
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
as_pg "$pgbin/initdb -D $tmp/pg -A trust -U postgres >/dev/null"
as_pg "$pgbin/pg_ctl -D $tmp/pg -o \"-c listen_addresses='' -k $tmp -p 5499 -c shared_buffers=256MB -c work_mem=64MB\" -l $tmp/pg.log -w start >/dev/null"
psql() { "$pgbin/psql" -X -q -h "$tmp" -p 5499 -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
[ -x "$pgbin/psql" ] || psql() { /usr/bin/psql -X -q -h "$tmp" -p 5499 -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
t0=$(date +%s.%N)
psql <<SQL
CREATE EXTENSION pg_trgm;
CREATE TABLE wl (id text, list text, name text, aliases text, birth_date text, nationality text, documents text, reason text);
\copy wl FROM '$tmp/list.csv' CSV HEADER
ALTER TABLE wl ADD COLUMN nname text;
UPDATE wl SET nname = upper(regexp_replace(name, '[^[:alpha:]]+', ' ', 'g'));
CREATE INDEX wl_trgm ON wl USING gin (nname gin_trgm_ops);
ANALYZE wl;
CREATE TABLE q (q int, name text, expect text);
\copy q FROM '$tmp/queries.csv' CSV HEADER
SQL
t1=$(date +%s.%N)
echo "  load + GIN index build: $(echo "$t1 - $t0" | bc) s"
psql -t -A <<SQL
CREATE TEMP TABLE res (q int, us double precision, found boolean, listed boolean);
DO \$\$
DECLARE r record; t0 timestamptz; ids text[]; qn text;
BEGIN
  FOR r IN SELECT * FROM q ORDER BY q LIMIT $pq LOOP
    qn := upper(regexp_replace(r.name, '[^[:alpha:]]+', ' ', 'g'));
    t0 := clock_timestamp();
    SELECT array_agg(id) INTO ids FROM (SELECT id FROM wl WHERE nname % qn ORDER BY similarity(nname, qn) DESC LIMIT 5) s;
    INSERT INTO res VALUES (r.q, extract(epoch FROM clock_timestamp() - t0) * 1e6,
                            r.expect = ANY(coalesce(ids, '{}')), r.expect <> '-1');
  END LOOP;
END \$\$;
SELECT format('  pg_trgm latency (%s queries): p50 %s us, p99 %s us; recall of listed persons (top 5): %s',
  count(*), round(percentile_cont(0.5) WITHIN GROUP (ORDER BY us)::numeric, 1),
  round(percentile_cont(0.99) WITHIN GROUP (ORDER BY us)::numeric, 1),
  round(avg(CASE WHEN found THEN 1 ELSE 0 END) FILTER (WHERE listed)::numeric, 4)) FROM res;
SQL
