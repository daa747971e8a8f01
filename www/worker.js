// A worker of the pool: runs jobs given as text (`<stage link>&stage=<id>&job=<i>`) with its own
// wasm instance, in slices of SLICE_MS so that cancel and pause messages are seen between them.
// Batches of short jobs post one message with every output; a streaming job (a training run)
// posts its partial output every POST_MS.
import init, { JobRunner } from './pkg/lde.js';

const SLICE_MS = 25;
const POST_MS = 120;
let runner = null;
let paused = false;
const queue = []; // batches waiting: {id, jobs: [{index, text}], streams}
const cancelled = new Set(); // batch ids
let busy = false;

// a yield to the event loop that is not clamped like setTimeout
const channel = new MessageChannel();
let wake = null;
channel.port1.onmessage = () => { const w = wake; wake = null; if (w) w(); };
const yieldNow = () => new Promise((resolve) => { wake = resolve; channel.port2.postMessage(0); });

self.onmessage = async (ev) => {
  const m = ev.data;
  if (m.type === 'init') {
    try {
      await init({ module_or_path: m.module });
      runner = new JobRunner();
      self.postMessage({ type: 'ready' });
    } catch (e) {
      self.postMessage({ type: 'fatal', message: String(e && e.message ? e.message : e) });
    }
    return;
  }
  if (m.type === 'run') { queue.push(m.batch); pump(); }
  if (m.type === 'cancel') {
    for (const id of m.ids) cancelled.add(id);
    for (let i = queue.length - 1; i >= 0; i--) if (cancelled.has(queue[i].id)) queue.splice(i, 1);
  }
  if (m.type === 'pause') { paused = m.paused; if (!paused) pump(); }
};

async function pump() {
  if (busy || !runner) return;
  busy = true;
  try {
    while (queue.length) {
      while (paused) await new Promise((r) => setTimeout(r, 50));
      const batch = queue.shift();
      if (cancelled.has(batch.id)) continue;
      await runBatch(batch);
    }
  } finally {
    busy = false;
  }
}

async function runBatch(batch) {
  const results = [];
  const transfer = [];
  const t0 = performance.now();
  for (const job of batch.jobs) {
    try {
      runner.start(job.text);
    } catch (e) {
      self.postMessage({ type: 'error', batch: batch.id, index: job.index, message: String(e && e.message ? e.message : e) });
      continue;
    }
    let last = performance.now();
    for (;;) {
      const done = runner.step(SLICE_MS);
      if (cancelled.has(batch.id)) { runner.cancel(); return; }
      if (done) break;
      if (batch.streams && performance.now() - last >= POST_MS) {
        const bytes = runner.output();
        if (bytes) {
          self.postMessage({ type: 'partial', batch: batch.id, index: job.index, bytes, fraction: runner.fraction() }, [bytes.buffer]);
        }
        last = performance.now();
      }
      await yieldNow();
      while (paused) await new Promise((r) => setTimeout(r, 50));
      if (cancelled.has(batch.id)) { runner.cancel(); return; }
    }
    const bytes = runner.output();
    if (bytes) { results.push({ index: job.index, bytes }); transfer.push(bytes.buffer); }
    // streaming jobs report at once; short jobs wait for the rest of their batch
    if (batch.streams) {
      self.postMessage({ type: 'done', batch: batch.id, results: results.splice(0), ms: performance.now() - t0 }, transfer.splice(0));
    }
    await yieldNow();
    if (cancelled.has(batch.id)) return;
  }
  self.postMessage({ type: 'done', batch: batch.id, results, ms: performance.now() - t0, last: true }, transfer);
}
