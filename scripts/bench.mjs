// The kernel table of `make bench`: each kernel natively, as wasm under Node (SIMD128 and
// scalar builds) and as independent numpy, all timed in this one run, with the ratios the
// kernels issue sets as goals. Absolute times drift ±30 % between runs on shared machines;
// compare the ratios, which come from one run.
// Usage: node scripts/bench.mjs NATIVE.jsonl SIMD_PKG/lde.js SCALAR_PKG/lde.js NUMPY.jsonl [OUT.md]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [nativeFile, simdPkg, scalarPkg, numpyFile, outFile] = process.argv.slice(2);
const lines = (f) => {
  try {
    return readFileSync(f, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
};
const byName = (rows) => new Map(rows.map((r) => [r.name, r]));
const native = byName(lines(nativeFile));
const numpy = byName(lines(numpyFile));
const require = createRequire(import.meta.url);
const simd = require(path.resolve(simdPkg));
const scalar = require(path.resolve(scalarPkg));
const now = () => performance.now();

// goals of the kernels issue: wasm/numpy where numpy spends its time in Python overhead
// (≤ 0.5) or in BLAS (≤ 1.0); wasm/native ≤ 1.5 everywhere
const numpyGoal = (name) =>
  /^(curl_linear_step|curl_tanh_epoch|rnn_lambda|rnn_eprop|hebbian\/basins)/.test(name) ? 0.5 : name.startsWith('fixed_points/rule') ? 1.0 : null;
const NATIVE_GOAL = 1.5;

const fmt = (ms) => (ms === undefined ? '—' : ms < 0.01 ? `${(ms * 1000).toFixed(2)} µs` : ms < 10 ? `${ms.toFixed(3)} ms` : `${ms.toFixed(1)} ms`);
const ratio = (a, b, goal) => {
  if (a === undefined || b === undefined) return '—';
  const r = a / b;
  return `${r.toFixed(2)}${goal === null || goal === undefined ? '' : r <= goal ? ' ✓' : ` ✗ (goal ≤ ${goal})`}`;
};

const rows = [];
for (const name of JSON.parse(simd.bench_names())) {
  const n = native.get(name)?.ms;
  const w = simd.bench(name, 300, now);
  const s = scalar.bench(name, 300, now);
  const p = numpy.get(name)?.ms;
  rows.push([name, fmt(n), fmt(w), fmt(s), fmt(p), ratio(w, n, NATIVE_GOAL), ratio(s, w), ratio(w, p, numpyGoal(name))]);
}
const head = ['kernel', 'native', 'wasm SIMD', 'wasm scalar', 'numpy', 'wasm/native', 'scalar/SIMD', 'wasm/numpy'];
const md = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
console.log(md);
if (outFile) writeFileSync(outFile, `${md}\n`);
