// Both wasm builds (SIMD128 and scalar) and the native `lde` give the same report, bit for
// bit, for every preset of every lab. Runs under Node (the same .wasm files the page loads),
// one worker thread per build, so the two builds compute side by side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const LDE = path.resolve('target/release/lde');

/** Every (lab, preset) the catalogue lists. */
function cases() {
  const out = [];
  for (const line of execFileSync(LDE, ['labs'], { encoding: 'utf8' }).split('\n')) {
    const lab = line.match(/^([a-z_]+) — /);
    if (lab) out.push({ lab: lab[1], presets: [] });
    const p = line.match(/^\s+presets: (.*)$/);
    if (p && out.length) out[out.length - 1].presets = p[1].split(', ');
  }
  return out.flatMap(({ lab, presets }) => presets.map((preset) => ({ lab, preset })));
}

/** Reports of `list` computed by one wasm build in a worker thread. */
function wasmReports(file, list) {
  const src = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    const { pathToFileURL } = require('node:url');
    (async () => {
      const glue = await import(pathToFileURL(workerData.glue).href + '?' + workerData.file);
      glue.initSync({ module: readFileSync(workerData.wasm) });
      const out = [];
      for (const { lab, preset } of workerData.list) {
        const app = new glue.App('?lab=' + lab);
        if (!app.preset(preset)) { out.push(null); continue; }
        for (let i = 0; i < 1e6 && !JSON.parse(app.advance(1000)).done; i++);
        out.push(app.report_json());
        app.free();
      }
      parentPort.postMessage(out);
    })().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));`;
  return new Promise((resolve, reject) => {
    const w = new Worker(src, { eval: true, workerData: { glue: path.resolve('www/pkg/lde.js'), wasm: path.resolve(`www/pkg/${file}`), file, list } });
    w.once('message', (m) => (m && m.error ? reject(new Error(m.error)) : resolve(m)));
    w.once('error', reject);
  });
}

test('SIMD and scalar wasm and native lde: identical reports for every preset of every lab', { timeout: 1_800_000 }, async () => {
  execFileSync('cargo', ['build', '--quiet', '--release', '--bin', 'lde'], { stdio: 'inherit' });
  const list = cases();
  assert.ok(list.length >= 29, `the catalogue lists every lab's presets (${list.length})`);
  // the two builds really differ: one uses SIMD instructions (0xfd prefix) and one does not
  const simdBytes = readFileSync('www/pkg/lde_bg.wasm');
  const scalarBytes = readFileSync('www/pkg/lde_bg_scalar.wasm');
  assert.ok(!simdBytes.equals(scalarBytes), 'two different builds');
  const simd = wasmReports('lde_bg.wasm', list);
  const scalar = wasmReports('lde_bg_scalar.wasm', list);
  const native = list.map(({ lab, preset }) => execFileSync(LDE, ['report', lab, `preset=${preset}`, '--threads', '1'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  const [s, c] = await Promise.all([simd, scalar]);
  list.forEach(({ lab, preset }, i) => {
    assert.ok(s[i] !== null && c[i] !== null, `${lab}/${preset}: the page knows the preset`);
    const want = JSON.parse(native[i]);
    assert.deepEqual(JSON.parse(s[i]), want, `${lab}/${preset}: SIMD wasm differs from native`);
    assert.deepEqual(JSON.parse(c[i]), want, `${lab}/${preset}: scalar wasm differs from native`);
  });
});
