// duckdb-reports.mjs: the DuckDB side of bench/bench_reports.c, run by
// scripts/bench-reports.sh:
//   node duckdb-reports.mjs EVENTS.csv OUTDIR FLOWS.sql OVERSTAYS.sql REPS [PAIRING.sql PAIRED.sql]
// Loads the events into an in-memory DuckDB table, runs each report query
// REPS times, writes the last result as OUTDIR/duckdb_<report>.csv and
// prints "duckdb load|flows|overstays SECONDS" (best of REPS) on stdout.
// With PAIRING.sql and PAIRED.sql it also materialises the entry/exit
// pairing ("duckdb-paired pairing SECONDS") and runs the overstay report on
// it ("duckdb-paired overstays SECONDS", OUTDIR/duckdb-paired_overstays.csv).
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, writeFileSync } from 'node:fs';

const [csv, outdir, flowsFile, ovsFile, repsArg, pairingFile, pairedFile] = process.argv.slice(2);
const reps = Number(repsArg || 3);
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
let t0 = performance.now();
await con.run(`CREATE TABLE events AS SELECT * FROM read_csv('${csv}', header = true,
  columns = {'seq': 'BIGINT', 'trav': 'INTEGER', 'kind': 'SMALLINT', 'd': 'DATE', 't': 'BIGINT',
             'port': 'VARCHAR', 'nat': 'VARCHAR', 'cls': 'VARCHAR', 'until': 'DATE'})`);
console.log(`duckdb load ${((performance.now() - t0) / 1000).toFixed(4)}`);
async function report(engine, name, file) {
  const sql = readFileSync(file, 'utf8');
  let best = Infinity, rows = [];
  for (let i = 0; i < reps; i++) {
    t0 = performance.now();
    const reader = await con.runAndReadAll(sql);
    rows = reader.getRows();
    best = Math.min(best, performance.now() - t0);
  }
  writeFileSync(`${outdir}/${engine}_${name}.csv`,
                rows.map((r) => r.map((v) => String(v)).join(',')).join('\n') + (rows.length ? '\n' : ''));
  console.log(`${engine} ${name} ${(best / 1000).toFixed(4)}`);
}
await report('duckdb', 'flows', flowsFile);
await report('duckdb', 'overstays', ovsFile);
if (pairingFile && pairedFile) {
  t0 = performance.now();
  await con.run(readFileSync(pairingFile, 'utf8'));
  console.log(`duckdb-paired pairing ${((performance.now() - t0) / 1000).toFixed(4)}`);
  await report('duckdb-paired', 'overstays', pairedFile);
}
