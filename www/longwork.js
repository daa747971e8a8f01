// Long work on the page: Pause/Resume, Cancel, the progress label with its time estimate, and
// the question a setting that would run for many minutes asks: before it starts where the core
// has a cost model, else after its first seconds, from the measured rate.
let state;
let guard;
let currentSection;
let kick;

/** Binds the module to the page's state and hooks. */
export function bindLongWork(hooks) {
  ({ state, guard, currentSection, kick } = hooks);
}

export function setPaused(p) {
  state.paused = p;
  if (!p) state.cancelled = false;
  const ask = currentSection()?.querySelector('.long-ask');
  if (!p && ask && !ask.hidden) { ask.hidden = true; state.confirmed = guard(() => state.app.link(), ''); }
  if (!p && !state.asked) { state.workStart = performance.now(); state.stageSeen = {}; }
  state.pool?.pause(p);
  const b = currentSection()?.querySelector('.status .pause');
  if (b) { b.textContent = p ? 'Resume' : 'Pause'; b.setAttribute('aria-pressed', p ? 'true' : 'false'); }
  relabel();
  kick();
}

/** Says the new state in the progress label at once, not a frame later: a click is answered
 * within the event, even when the next frame is late on a loaded machine. */
function relabel() {
  const label = currentSection()?.querySelector('.progress-label');
  const what = state.cancelled ? 'cancelled' : state.paused ? 'paused' : 'computing';
  if (label) label.textContent = label.textContent.replace(/^(computing|paused|cancelled):/, `${what}:`);
}

export function cancelWork() {
  state.cancelled = true;
  state.pool?.cancelAll();
  setPaused(true);
  state.cancelled = true;
  relabel();
  kick();
}

/** "sweep over g: 5/12 runs, ~8 s left" for the first unfinished stage. */
export function progressLabel(progress) {
  const st = progress.stages.find((s) => s.done < s.total);
  if (!st) return '';
  let text = `${st.label}: ${st.done}/${st.total} ${st.noun}`;
  if (state.pool) {
    const pending = state.pendingCache || [];
    let ms = 0;
    let known = true;
    for (const p of pending) {
      const per = state.pool.jobMs(p.id, p.link);
      if (per === undefined) { known = false; break; }
      ms += per * p.jobs.length;
    }
    if (known && pending.length) text += `, ~${Math.max(1, Math.round(ms / state.pool.size / 1000))} s left`;
  }
  return text;
}

// A setting that would run for many minutes asks first. Each unfinished stage's rate is
// measured between its first sighting and at least RATE_MS later; once PROBE_MS of work have
// passed and a rate is known, the slowest stage's time left decides: beyond ASK_S the work
// pauses until the reader says go.
const PROBE_MS = 4000;
const RATE_MS = 2000;
const ASK_S = 300;
export function checkLong(progress) {
  if (progress.done || state.paused || state.asked) return;
  const now = performance.now();
  const seen = state.stageSeen || (state.stageSeen = {});
  let worst = null;
  for (const st of progress.stages) {
    if (!(st.fraction > 0) || st.fraction >= 1) continue;
    const s0 = seen[st.id];
    if (!s0) { seen[st.id] = [now, st.fraction]; continue; }
    if (now - s0[0] < RATE_MS || st.fraction <= s0[1]) continue;
    const left = ((1 - st.fraction) * (now - s0[0])) / (st.fraction - s0[1]) / 1000;
    worst = Math.max(worst ?? 0, left);
  }
  const ms = now - state.workStart;
  if (ms < PROBE_MS || worst === null) return;
  state.asked = true;
  const link = guard(() => state.app.link(), '');
  if (state.confirmed === link || worst < ASK_S) return;
  setPaused(true);
  ask(`This setting needs about ${duration(worst)} more here (measured over its first ${Math.round(ms / 1000)} s on ${where()}). Run it to the end?`);
}

// Before any work: where the core has a cost model (the RNN's training runs), a setting it
// puts beyond ASK_S asks before it starts. The model gives native seconds; wasm runs these
// kernels about WASM_FACTOR times slower (make bench: wasm/native 1.5–3 on e-prop).
const WASM_FACTOR = 2;
export function askBefore() {
  const workers = state.pool ? state.pool.size : 1;
  const secs = guard(() => state.app.estimate(workers), 0) * WASM_FACTOR;
  const link = guard(() => state.app.link(), '');
  if (!(secs >= ASK_S) || state.confirmed === link) {
    // a question left open by the previous setting no longer applies
    const box = currentSection()?.querySelector('.long-ask');
    if (box && !box.hidden) { box.hidden = true; setPaused(false); }
    return false;
  }
  state.asked = true;
  setPaused(true);
  ask(`This setting needs about ${duration(secs)} here (estimated from its size before it starts, on ${where()}). Run it?`);
  return true;
}

const where = () => (state.pool ? `${state.pool.size} worker${state.pool.size > 1 ? 's' : ''}` : 'this page');
function duration(secs) {
  const mins = Math.round(secs / 60);
  return mins < 120 ? `${mins} minutes` : `${Math.round(mins / 60)} hours`;
}
function ask(text) {
  const box = currentSection().querySelector('.long-ask');
  box.querySelector('p').textContent = text;
  box.hidden = false;
  box.querySelector('button').focus();
}

export function answerLong(run) {
  const box = currentSection().querySelector('.long-ask');
  box.hidden = true;
  if (run) {
    state.confirmed = guard(() => state.app.link(), '');
    setPaused(false);
  } else {
    cancelWork();
  }
}
