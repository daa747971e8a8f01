// The worker pool: the main thread's scheduler for the lab's jobs. It compiles the wasm module
// once and posts it to every worker, hands out batches of jobs sized to about TARGET_MS of work
// (measured per stage), merges nothing itself (outputs go to the session, which puts them in
// job order), and cancels work whose stage link is no longer current. No shared memory and no
// wasm threads: it works on a plain static host and in a cross-origin iframe.

const TARGET_MS = 30;
const MAX_BATCH = 64;
// batches queued per worker: the next one is already there when the current one ends, so a
// worker never waits for the main thread's reply. Only short batches (measured under
// QUEUE_MS) are queued behind another: a long job queued behind a long job stays there while
// another worker may sit idle (the Hebbian lab's comparison stage, seven jobs of 0.2-1 s, ran
// 2.7 s on one worker and 1.0 s on the other with every batch queued two deep).
const DEPTH = 2;
const QUEUE_MS = 120;

export class Pool {
  /** Starts `size` module workers on the compiled `module`; rejects if workers cannot run
   *  here (e.g. file://). */
  static async create(size, module) {
    const pool = new Pool(module, size);
    await pool.ready;
    return pool;
  }

  constructor(module, size) {
    this.size = size;
    this.workers = [];
    this.inflight = new Map(); // batch id -> {worker, stage, link, jobs, key, t0}
    this.taken = new Set(); // `${stage}|${link}|${index}` in flight
    this.cost = new Map(); // `${stage}|${link}` -> mean ms per job
    this.paused = false;
    this.next = 1;
    // when the first batch went out and the last one came back (performance.now()): the span
    // of the work itself, which `make bench` compares between pool sizes
    this.span = { first: null, last: null };
    this.onresult = () => {};
    this.onerror = () => {};
    // the session's pending jobs, fetched fresh whenever work is handed out
    this.source = () => [];
    const ready = [];
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
      const slot = { w, batches: new Set() };
      ready.push(new Promise((resolve, reject) => {
        w.onmessage = (ev) => {
          if (ev.data.type === 'ready') { w.onmessage = (e) => this.message(slot, e.data); resolve(); }
          if (ev.data.type === 'fatal') reject(new Error(ev.data.message));
        };
        w.onerror = (e) => reject(new Error(e.message || 'worker failed to start'));
      }));
      w.postMessage({ type: 'init', module });
      this.workers.push(slot);
    }
    this.ready = Promise.all(ready);
  }

  /** Mean milliseconds per job of a stage (under its link), if measured. */
  jobMs(stage, link) { return this.cost.get(`${stage}|${link}`); }

  /** Hands out work to workers with room, in the order of `pending` (the session's priority
   *  order), least loaded first. */
  schedule(pending = this.source()) {
    if (this.paused) return;
    for (let depth = 1; depth <= DEPTH; depth++) {
      for (const slot of this.workers) {
        if (slot.batches.size >= depth) continue;
        const batch = this.nextBatch(pending, depth > 1);
        if (!batch) return;
        slot.batches.add(batch.id);
        this.inflight.set(batch.id, { ...batch, worker: slot, t0: performance.now() });
        for (const j of batch.jobs) this.taken.add(`${batch.stage}|${batch.link}|${j.index}`);
        slot.w.postMessage({ type: 'run', batch: { id: batch.id, jobs: batch.jobs, streams: batch.streams } });
        this.span.first ??= performance.now();
      }
    }
  }

  /** The next batch in priority order; with `queued`, none unless it is measured as short. */
  nextBatch(pending, queued = false) {
    for (const p of pending) {
      const free = p.jobs.filter((i) => !this.taken.has(`${p.id}|${p.link}|${i}`));
      if (!free.length) continue;
      if (queued && (p.streams || !(this.jobMs(p.id, p.link) < QUEUE_MS))) return null;
      let n = 1;
      if (!p.streams) {
        const ms = this.jobMs(p.id, p.link);
        // unmeasured stages start with one job per worker; then ~TARGET_MS per message, but
        // never so large that other workers would sit idle
        if (ms !== undefined) n = Math.max(1, Math.min(MAX_BATCH, Math.round(TARGET_MS / Math.max(ms, 0.01))));
        n = Math.min(n, Math.max(1, Math.ceil(free.length / this.size)));
      }
      const jobs = free.slice(0, n).map((index) => ({ index, text: `${p.link}&stage=${p.id}&job=${index}` }));
      return { id: this.next++, stage: p.id, link: p.link, streams: p.streams, jobs };
    }
    return null;
  }

  message(slot, m) {
    const b = this.inflight.get(m.batch);
    if (!b) return; // cancelled
    if (m.type === 'partial') this.onresult(b.stage, b.link, m.index, m.bytes, false, m.fraction);
    if (m.type === 'error') this.onerror(`${b.stage} job ${m.index}: ${m.message}`);
    if (m.type === 'done') {
      for (const r of m.results) this.onresult(b.stage, b.link, r.index, r.bytes, true, 1);
      if (m.last) {
        const key = `${b.stage}|${b.link}`;
        const per = m.ms / b.jobs.length;
        const old = this.cost.get(key);
        this.cost.set(key, old === undefined ? per : 0.5 * (old + per));
        this.span.last = performance.now();
        this.release(m.batch);
        this.schedule();
      }
    }
  }

  release(id) {
    const b = this.inflight.get(id);
    if (!b) return;
    for (const j of b.jobs) this.taken.delete(`${b.stage}|${b.link}|${j.index}`);
    b.worker.batches.delete(id);
    this.inflight.delete(id);
  }

  /** Cancels every batch whose stage link is not among `current` (`${stage}|${link}` keys). */
  cancelStale(current) {
    const stale = [...this.inflight.values()].filter((b) => !current.has(`${b.stage}|${b.link}`));
    this.cancel(stale);
  }

  /** Cancels all work in flight. */
  cancelAll() { this.cancel([...this.inflight.values()]); }

  cancel(batches) {
    for (const b of batches) {
      b.worker.w.postMessage({ type: 'cancel', ids: [b.id] });
      this.release(b.id);
    }
  }

  pause(paused) {
    this.paused = paused;
    for (const s of this.workers) s.w.postMessage({ type: 'pause', paused });
  }

  busy() { return this.inflight.size > 0; }

  terminate() { for (const s of this.workers) s.w.terminate(); }
}
