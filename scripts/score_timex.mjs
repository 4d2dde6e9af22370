#!/usr/bin/env node
// score_timex.mjs -- scores timex JSON Lines from several systems against the
// gold in fixtures/ and prints a comparison table (no dependencies).
//
//   node score_timex.mjs --fixtures DIR --runs DIR [--systems a,b] [--timing FILE] [--detail]
//
// For every DIR/NAME.gold.json (with DIR/NAME.txt) it reads RUNS/NAME.SYSTEM.jsonl:
// one JSON object a line, of which the lines with "kind":"timex" and integer
// "start"/"end" (0-based code point offsets, end exclusive) are scored.
//
// Scoring follows fixtures/README.md and tests/test_fixtures.c:
//   * system timexes are taken in output order; each one matches the first
//     gold timex (in gold order) not yet used whose span overlaps its span;
//   * a match on an optional gold item counts neither way;
//   * a system timex that matches no gold item is a false positive (FP);
//   * a required gold item that nothing matched is a false negative (FN);
//   * relaxed: P = TP/(TP+FP), R = TP/(TP+FN);
//   * value: a matched timex is value-correct (vTP) when its value string
//     equals the gold's; a wrong value counts as both a FP and a FN, so
//     vP = vTP/(TP+FP) and vR = vTP/(TP+FN).
// F1 is 1 when there is nothing to find and nothing was found, as in the C test.
//
// --timing FILE adds a timing table from a JSON file written by
// compare-chrono.sh.  --detail lists every FP, FN and wrong value.
import fs from 'node:fs';
import path from 'node:path';

function die(msg) {
  process.stderr.write(`score_timex: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { systems: ['chrono', 'summit'], detail: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const need = () => {
      if (i + 1 >= argv.length) die(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--fixtures') o.fixtures = need();
    else if (a === '--runs') o.runs = need();
    else if (a === '--systems') o.systems = need().split(',').filter(Boolean);
    else if (a === '--timing') o.timing = need();
    else if (a === '--detail') o.detail = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node score_timex.mjs --fixtures DIR --runs DIR [--systems a,b] [--timing FILE] [--detail]\n');
      process.exit(0);
    } else die(`unknown argument ${a}`);
  }
  if (!o.fixtures || !o.runs) die('--fixtures and --runs are required (see --help)');
  if (!o.systems.length) die('--systems is empty');
  return o;
}

function readJson(file) {
  let s;
  try {
    s = fs.readFileSync(file, 'utf8');
  } catch (e) {
    die(`cannot read ${file}: ${e.message}`);
  }
  try {
    return JSON.parse(s);
  } catch (e) {
    die(`${file} is not JSON: ${e.message}`);
  }
}

function readTimexLines(file) {
  let s;
  try {
    s = fs.readFileSync(file, 'utf8');
  } catch (e) {
    die(`cannot read ${file}: ${e.message}`);
  }
  const out = [];
  s.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let o;
    try {
      o = JSON.parse(line);
    } catch (e) {
      die(`${file}:${i + 1}: not JSON: ${e.message}`);
    }
    if (!o || o.kind !== 'timex') return;
    if (!Number.isInteger(o.start) || !Number.isInteger(o.end)) die(`${file}:${i + 1}: timex without integer start/end`);
    out.push({ start: o.start, end: o.end, text: o.text ?? '', type: o.type ?? '', value: o.value ?? null });
  });
  return out;
}

const f1 = (tp, fp, fn) => {
  if (tp === 0) return fp === 0 && fn === 0 ? 1 : 0;
  const p = tp / (tp + fp), r = tp / (tp + fn);
  return (2 * p * r) / (p + r);
};
const ratio = (a, b) => (b === 0 ? 1 : a / b); // nothing claimed / nothing to find: perfect
const zero = () => ({ tp: 0, vtp: 0, fp: 0, fn: 0, req: 0, opt: 0, optHits: 0 });
const add = (a, b) => { for (const k of Object.keys(a)) a[k] += b[k]; };

// Scores one system's timexes against one gold file.  Returns counts and a log.
function score(gold, sys, cps) {
  const g = gold.map(t => ({ ...t, optional: t.optional === true, used: false }));
  const c = zero();
  const log = [];
  c.req = g.filter(t => !t.optional).length;
  c.opt = g.length - c.req;
  const byType = {};
  for (const t of sys) {
    const hit = g.find(x => !x.used && t.start < x.end && x.start < t.end);
    const shown = cps.slice(t.start, t.end).join('');
    if (!hit) {
      c.fp++;
      log.push(`FP  ${t.start}-${t.end} "${shown}" ${t.type} ${t.value}`);
      continue;
    }
    hit.used = true;
    if (hit.optional) {
      c.optHits++;
      continue;
    }
    c.tp++;
    hit.sysValue = t.value;
    if (String(t.value) === String(hit.value)) {
      c.vtp++;
      hit.valueOk = true;
    } else log.push(`VAL ${t.start}-${t.end} "${shown}" got ${t.value} want ${hit.value} (gold "${hit.text}" ${hit.type})`);
  }
  for (const x of g) {
    if (x.optional) continue;
    const ty = x.type || '?';
    byType[ty] ??= { req: 0, rel: 0, val: 0 };
    byType[ty].req++;
    if (x.used) byType[ty].rel++;
    if (x.valueOk) byType[ty].val++;
    if (!x.used) {
      c.fn++;
      log.push(`FN  ${x.start}-${x.end} "${x.text}" ${x.type} ${x.value}`);
    }
  }
  return { c, log, byType };
}

const fmt = (x, w = 5) => x.toFixed(3).padStart(w);
const pad = (s, w) => String(s).padStart(w);
const padr = (s, w) => String(s).padEnd(w);
const short = (s, w) => (s.length <= w ? s.padEnd(w) : s.slice(0, w - 1) + '\u2026');

function row(label, sysName, c, nameW) {
  const P = ratio(c.tp, c.tp + c.fp), R = ratio(c.tp, c.tp + c.fn);
  const vP = ratio(c.vtp, c.tp + c.fp), vR = ratio(c.vtp, c.tp + c.fn);
  return `${short(label, nameW)} ${padr(sysName, 7)} ${pad(c.req, 4)} ${pad(c.tp, 4)} ${pad(c.fp, 4)} ${pad(c.fn, 4)}  ` +
    `${fmt(P)} ${fmt(R)} ${fmt(f1(c.tp, c.fp, c.fn))}  ${pad(c.vtp, 4)} ${fmt(vP)} ${fmt(vR)} ${fmt(f1(c.vtp, c.fp + c.tp - c.vtp, c.fn + c.tp - c.vtp))}`;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  let names;
  try {
    names = fs.readdirSync(o.fixtures).filter(f => f.endsWith('.gold.json')).map(f => f.slice(0, -'.gold.json'.length));
  } catch (e) {
    die(`cannot list ${o.fixtures}: ${e.message}`);
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (!names.length) die(`no *.gold.json in ${o.fixtures}`);

  const tot = Object.fromEntries(o.systems.map(s => [s, zero()]));
  const types = {}; // gold type -> {req, sys: {rel, val}}
  const warnings = [];
  const details = [];
  const rows = [];
  const nameW = 44;
  for (const name of names) {
    const gold = readJson(path.join(o.fixtures, `${name}.gold.json`));
    if (!Array.isArray(gold.timexes)) die(`${name}.gold.json has no "timexes" array`);
    const txtFile = path.join(o.fixtures, `${name}.txt`);
    let cps;
    try {
      cps = [...fs.readFileSync(txtFile, 'utf8')];
    } catch (e) {
      die(`cannot read ${txtFile}: ${e.message}`);
    }
    for (const t of gold.timexes) {
      if (t.optional === true) continue;
      const ty = t.type || '?';
      types[ty] ??= { req: 0, sys: {} };
      types[ty].req++;
    }
    for (const s of o.systems) {
      const sys = readTimexLines(path.join(o.runs, `${name}.${s}.jsonl`));
      // An offset bug would silently distort the scores: check the spans.
      for (const t of sys) {
        const got = cps.slice(t.start, t.end).join('');
        if (t.start < 0 || t.end > cps.length || t.start >= t.end || (t.text && got !== t.text))
          warnings.push(`${s} ${name}: ${t.start}-${t.end} text "${t.text}" but the file has "${got}"`);
      }
      const { c, log, byType } = score(gold.timexes, sys, cps);
      add(tot[s], c);
      rows.push(row(name, s, c, nameW));
      if (o.detail && log.length) details.push(`${name} [${s}]`, ...log.map(l => '  ' + l));
      for (const [ty, v] of Object.entries(byType)) {
        types[ty].sys[s] ??= { rel: 0, val: 0 };
        types[ty].sys[s].rel += v.rel;
        types[ty].sys[s].val += v.val;
      }
    }
    if (o.systems.length > 1) rows.push('');
  }

  const head = `${padr('fixture', nameW)} ${padr('system', 7)} ${pad('req', 4)} ${pad('TP', 4)} ${pad('FP', 4)} ${pad('FN', 4)}  ` +
    `${pad('P', 5)} ${pad('R', 5)} ${pad('F1', 5)}  ${pad('vTP', 4)} ${pad('vP', 5)} ${pad('vR', 5)} ${pad('vF1', 5)}`;
  const rule = '-'.repeat(head.length);
  console.log(`Timex scores, ${names.length} fixtures in ${o.fixtures}`);
  console.log('relaxed = span overlap (P R F1); value = overlap + same value string (vP vR vF1, a wrong value is a FP and a FN)');
  console.log('req = required gold timexes; matches on optional gold items count neither way');
  console.log(rule);
  console.log(head);
  console.log(rule);
  for (const r of rows) console.log(r);
  if (rows[rows.length - 1] !== '') console.log('');
  for (const s of o.systems) console.log(row('TOTAL (micro, all fixtures)', s, tot[s], nameW));
  console.log(rule);
  // tests/test_fixtures.c computes its tx-val column as
  // f1(tp_val, fp + (tp_rel - tp_val), fn_rel): a wrong value is a FP only.
  const ctest = c => f1(c.vtp, c.fp + c.tp - c.vtp, c.fn);
  console.log('value F1 with the formula in tests/test_fixtures.c (wrong value counted as FP only): ' +
    o.systems.map(s => `${s} ${ctest(tot[s]).toFixed(3)}`).join(', '));
  console.log('matches on optional gold items (ignored): ' + o.systems.map(s => `${s} ${tot[s].optHits}`).join(', '));

  console.log('');
  console.log('Required gold timexes by type: found (span overlap) / right value');
  console.log(`${padr('type', 9)} ${pad('req', 4)}  ` + o.systems.map(s => padr(s, 15)).join(' '));
  for (const ty of Object.keys(types).sort()) {
    const t = types[ty];
    console.log(`${padr(ty, 9)} ${pad(t.req, 4)}  ` +
      o.systems.map(s => padr(`${pad(t.sys[s]?.rel ?? 0, 3)} / ${pad(t.sys[s]?.val ?? 0, 3)}`, 15)).join(' '));
  }

  if (o.timing) printTiming(readJson(o.timing));
  if (warnings.length) {
    console.log('');
    console.log(`WARNING: ${warnings.length} system span(s) do not match the text at their offsets:`);
    for (const w of warnings.slice(0, 20)) console.log('  ' + w);
  }
  if (details.length) {
    console.log('');
    console.log('Errors per fixture (FP = no gold item, VAL = wrong value, FN = required gold item missed)');
    for (const d of details) console.log(d);
  }
}

function printTiming(t) {
  const mbs = (bytes, s) => (s > 0 ? (bytes / 1e6 / s).toFixed(3) : 'n/a');
  const sec = s => (s == null ? 'n/a' : s.toFixed(4));
  console.log('');
  console.log(`Timing: ${t.files} texts, ${t.bytes} bytes (MB = 10^6 bytes); per-process figures are the median of ${t.runs} run(s)`);
  const lines = [];
  // bytes = null: a fixed cost, no throughput
  const L = (sys, what, s, bytes = t.bytes) =>
    lines.push(`${padr(sys, 7)} ${padr(what, 62)} ${pad(sec(s), 9)} ${pad(s == null || bytes == null ? '' : mbs(bytes, s), 9)}`.trimEnd());
  console.log(`${padr('system', 7)} ${padr('measure', 62)} ${pad('seconds', 9)} ${pad('MB/s', 9)}`);
  const c = t.chrono_inproc;
  L('chrono', `wall, one node process per text (${t.files} processes)`, t.chrono_wall_s);
  if (c) {
    L('chrono', 'node startup + import chrono-node (one process)', c.startup_import_ms / 1000, null);
    L('chrono', 'in-node chrono.parse only, first pass (cold JIT)', c.cold_ms / 1000);
    L('chrono', `in-node chrono.parse only, warm (mean of ${c.passes} passes)`, c.warm_ms / 1000);
  }
  L('summit', `wall, one summit process per text (${t.files} processes)`, t.summit_wall_s);
  if (t.summit_startup_s != null) L('summit', 'process startup (2-byte input, median of 5)', t.summit_startup_s, null);
  if (t.summit_concat_s != null) {
    L('summit', 'wall, one process over all texts concatenated', t.summit_concat_s, t.concat_bytes ?? t.bytes);
    if (t.summit_startup_s != null)
      L('summit', '  same minus startup (estimate of extraction time)', Math.max(t.summit_concat_s - t.summit_startup_s, 0), t.concat_bytes ?? t.bytes);
  }
  for (const l of lines) console.log(l);
  if (c && c.results != null) console.log(`(in-node pass found ${c.results} chrono results; the CLI runs printed ${t.chrono_cli_results})`);
}

main();
