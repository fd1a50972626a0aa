// SPDX-License-Identifier: MIT
// edifact-tokenise.mjs FILE ROUNDS: the npm `edifact` parser (node-edifact)
// tokenising FILE ROUNDS times (segments, elements, components through its
// event API, no validation), for bench/bench_paxlst.c's side-by-side figure.
// Prints one JSON line: {"segments": N, "bytes": B, "seconds": S, "mb_s": X}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const Parser = require('edifact/parser.js');

const [file, roundsArg] = process.argv.slice(2);
const text = readFileSync(file, 'latin1');
const rounds = Number(roundsArg || 5);
let segments = 0;
const run = () => {
  const parser = new Parser();
  parser.on('opensegment', () => { segments++; });
  parser.on('component', () => {});
  parser.write(text);
  parser.end();
};
run(); // warm-up
segments = 0;
const t0 = process.hrtime.bigint();
for (let i = 0; i < rounds; i++) run();
const s = Number(process.hrtime.bigint() - t0) / 1e9;
const bytes = Buffer.byteLength(text, 'latin1');
console.log(JSON.stringify({ segments: segments / rounds, bytes, seconds: s / rounds,
  mb_s: bytes * rounds / s / 1e6 }));
