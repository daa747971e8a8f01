// Prints each kernel's native and wasm (Node) time and the wasm/native ratio.
// Usage: node scripts/bench.mjs <native.jsonl> <pkg/lde.js built with --target nodejs>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [nativeFile, pkg] = process.argv.slice(2);
const native = new Map(readFileSync(nativeFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).map((r) => [r.name, r]));
const require = createRequire(import.meta.url);
const wasm = require(path.resolve(pkg));
const names = JSON.parse(wasm.bench_names());
const now = () => performance.now();
const fmt = (ms) => (ms < 0.01 ? `${(ms * 1000).toFixed(2)} µs` : ms < 10 ? `${ms.toFixed(3)} ms` : `${ms.toFixed(1)} ms`);
console.log(`${'kernel'.padEnd(34)} ${'native'.padStart(12)} ${'wasm (Node)'.padStart(12)} ${'wasm/native'.padStart(11)}  what`);
for (const name of names) {
  const n = native.get(name);
  const w = wasm.bench(name, 300, now);
  const ratio = n ? (w / n.ms).toFixed(2) : '—';
  console.log(`${name.padEnd(34)} ${(n ? fmt(n.ms) : '—').padStart(12)} ${fmt(w).padStart(12)} ${String(ratio).padStart(11)}  ${n ? n.what : ''}`);
}
