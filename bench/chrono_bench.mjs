// chrono_bench.mjs -- times chrono-node's parser for summit-bench (bench/bench.c).
//
//   node bench/chrono_bench.mjs DIR CORPUS
//
// DIR holds node_modules/chrono-node (scripts/compare-chrono.sh installs it in
// ~/.cache/summit-peers).  CORPUS is the benchmark's documents, each opened by
// a line "\x1e" + its date (YYYY-MM-DD), the reference date chrono resolves
// against.  Prints one JSON object: the bytes of text, the milliseconds the
// parse took (after one warm-up document: module loading is start-up, not
// throughput) and how many dates chrono found.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [dir, file] = process.argv.slice(2);
if (!dir || !file) {
  console.error('usage: node bench/chrono_bench.mjs DIR CORPUS');
  process.exit(2);
}
const chrono = createRequire(path.resolve(dir) + '/')('chrono-node');
const docs = fs.readFileSync(file, 'utf8').split('\x1e').filter(p => p.length > 0).map(p => {
  const nl = p.indexOf('\n');
  return { instant: new Date(p.slice(0, nl) + 'T12:00:00Z'), text: p.slice(nl + 1) };
});
const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d.text, 'utf8'), 0);
chrono.en.casual.parse(docs[0].text, { instant: docs[0].instant, timezone: 'UTC' });
const t0 = performance.now();
let found = 0;
for (const d of docs) found += chrono.en.casual.parse(d.text, { instant: d.instant, timezone: 'UTC' }).length;
const ms = performance.now() - t0;
console.log(JSON.stringify({ bytes, ms, found, docs: docs.length }));
