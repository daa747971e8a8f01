// Learning Dynamics Explorer: the page. It holds no science: it builds controls from the labs'
// parameter specs, keeps the link in sync, schedules the core's work in time slices, and asks
// the core to draw onto canvases.
import init, { App, catalogue } from './pkg/lde.js';
import { Pool } from './pool.js';
import { build, wasmModule } from './wasm.js';
import { setupResults } from './results.js';

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
  return e;
};

// Per animation frame: simulation work, then drawing, kept well under the 50 ms long-task line.
// The core says which views changed (take_dirty); while work is in progress a view is redrawn
// at most every REDRAW_MS (animated views every frame), and every changed view is drawn once
// more when the work is done, so no plot stays stale.
const WORK_MS = 30;       // compute-only frame
const DRAW_WORK_MS = 10;  // compute in a frame that also draws
const ANIM_WORK_MS = 8;   // compute while animating
const DRAW_MS = 10;       // drawing time per frame (one view at least)
const REDRAW_MS = 500;    // how often a changing view is redrawn while work is in progress
const state = {
  app: null, cat: [], info: null, dirty: new Set(), lastDraw: {}, animating: false,
  urlTimer: 0, broken: false, drawMs: {}, progress: null,
  pool: null, workers: 0, paused: false, cancelled: false, pageKeys: '',
};
window.lde = state; // for the end-to-end tests and the curious

function showError(msg) {
  state.broken = true;
  const box = $('#error');
  box.hidden = false;
  box.textContent = `Something went wrong in the simulation core: ${msg}. Your link is unchanged — reload the page to start again.`;
  console.error('lde:', msg);
}

// Every call into wasm goes through here: a Rust panic becomes a visible error box.
function guard(fn, fallback) {
  if (state.broken) return fallback;
  try { return fn(); } catch (e) { showError(e && e.message ? e.message : String(e)); return fallback; }
}

function fmtValue(spec, v) {
  if (spec.kind.type === 'real') {
    const x = Number(v);
    if (!Number.isFinite(x)) return v;
    if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4)) return x.toExponential(2);
    return String(Math.round(x * 1e6) / 1e6);
  }
  return v;
}

// ---------- link state ----------
function syncUrl() {
  clearTimeout(state.urlTimer);
  state.urlTimer = setTimeout(() => {
    const link = guard(() => state.app.link(), null);
    if (link !== null) history.replaceState(null, '', `?${link}${state.pageKeys}${location.hash}`);
  }, 120);
}

// ---------- controls ----------
function sliderFor(spec, value, onChange) {
  const k = spec.kind;
  const id = `p-${state.info.id}-${spec.key}`;
  const helpId = `${id}-help`;
  const valueOut = el('span', { class: 'value', id: `${id}-value`, 'aria-hidden': 'true' });
  const label = el('label', { for: id, title: spec.help }, el('span', { text: spec.label + (spec.unit ? ` (${spec.unit})` : '') }), valueOut);
  const wrap = el('div', { class: 'control', 'data-key': spec.key });
  wrap.append(label);
  const help = el('p', { class: 'help sr-only', id: helpId, text: spec.help });
  let input;
  if (k.type === 'points') {
    // start points set by clicks and the Launch buttons; editable as text "x,y;x,y"
    input = el('input', { type: 'text', id, 'aria-describedby': helpId, title: spec.help, 'data-key': spec.key,
      value, placeholder: 'none (click a plot)', spellcheck: 'false', autocomplete: 'off' });
    input.addEventListener('change', () => onChange(input.value));
    wrap.append(input);
  } else if (k.type === 'choice') {
    input = el('select', { id, 'aria-describedby': helpId, title: spec.help, 'data-key': spec.key });
    for (const o of k.options) input.append(el('option', { value: o, text: o }));
    input.value = value;
    input.addEventListener('change', () => onChange(input.value));
    wrap.append(input);
  } else if (k.type === 'flag') {
    input = el('input', { type: 'checkbox', id, 'aria-describedby': helpId, title: spec.help, 'data-key': spec.key });
    input.checked = value === '1';
    input.addEventListener('change', () => onChange(input.checked ? '1' : '0'));
    wrap.querySelector('label').prepend(input);
  } else {
    // range + number input; log specs slide over log10
    const log = k.type === 'real' && k.log;
    const toSlider = (v) => (log ? Math.log10(v) : v);
    const fromSlider = (s) => (log ? 10 ** s : s);
    const step = k.type === 'int' ? 1 : log ? 0.01 : k.step || (k.max - k.min) / 400;
    input = el('input', {
      type: 'range', id, 'aria-describedby': helpId, title: spec.help, 'data-key': spec.key,
      min: toSlider(k.min), max: toSlider(k.max), step, value: toSlider(Number(value)),
    });
    const num = el('input', {
      type: 'number', class: 'num', min: k.min, max: k.max, step: k.type === 'int' ? 1 : 'any', value,
      'aria-label': `${spec.label} value`, title: spec.help, 'data-key-num': spec.key,
    });
    input.addEventListener('input', () => {
      let v = fromSlider(Number(input.value));
      if (log) v = Number(v.toPrecision(3));
      if (k.type === 'int') v = Math.round(v);
      num.value = v;
      onChange(String(v));
    });
    num.addEventListener('change', () => onChange(num.value));
    wrap.append(input, num);
    input.setAttribute('aria-valuetext', `${fmtValue(spec, value)}${spec.unit ? ' ' + spec.unit : ''}`);
  }
  wrap.append(help);
  return wrap;
}

function refreshControls() {
  const values = JSON.parse(guard(() => state.app.values(), '{}'));
  const section = currentSection();
  for (const spec of state.info.specs) {
    const v = values[spec.key];
    const wrap = section.querySelector(`.control[data-key="${spec.key}"]`);
    if (!wrap || v === undefined) continue;
    const input = wrap.querySelector('[data-key]');
    const out = wrap.querySelector('.value');
    if (out) out.textContent = fmtValue(spec, v);
    if (spec.kind.type === 'choice') input.value = v;
    else if (spec.kind.type === 'points') { if (document.activeElement !== input) input.value = v; }
    else if (spec.kind.type === 'flag') input.checked = v === '1';
    else {
      const log = spec.kind.type === 'real' && spec.kind.log;
      if (document.activeElement !== input) input.value = log ? Math.log10(Number(v)) : v;
      const num = wrap.querySelector('.num');
      if (num && document.activeElement !== num) num.value = v;
      input.setAttribute('aria-valuetext', `${fmtValue(spec, v)}${spec.unit ? ' ' + spec.unit : ''}`);
    }
  }
  const seedOut = section.querySelector('.seed-value');
  if (seedOut) seedOut.textContent = values.seed;
}

function setParam(key, value) {
  const warning = guard(() => state.app.set(key, value), '');
  const note = currentSection().querySelector('.control-warning');
  if (warning) {
    note.hidden = false;
    note.textContent = `Ignored: ${warning}`;
  } else if (note) {
    note.hidden = true;
  }
  changed();
}

function changed() {
  refreshControls();
  state.progress = null;
  state.idle = false;
  state.cancelled = false;
  syncUrl();
  kick();
}

// ---------- section building ----------
function currentSection() {
  return document.querySelector(`section.lab[data-lab="${state.info.id}"]`);
}

function ensureSection(info) {
  let s = document.querySelector(`section.lab[data-lab="${info.id}"]`);
  if (!s) {
    s = el('section', { class: 'lab', 'data-lab': info.id, id: `lab-${info.id}`, role: 'tabpanel', 'aria-labelledby': `tab-${info.id}`, hidden: true },
      el('div', { class: 'prose chrome' }, el('h2', { text: info.title })));
    $('#main').append(s);
  }
  return s;
}

function download(name, blob) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function fileBase(view) {
  const seed = JSON.parse(guard(() => state.app.values(), '{}')).seed;
  return `lde-${state.info.id}-${view}-seed${seed}`;
}

function buildWorkbench(info) {
  const section = ensureSection(info);
  section.querySelector('.workbench')?.remove();
  const values = JSON.parse(guard(() => state.app.values(), '{}'));
  const controls = el('aside', { class: 'controls', 'aria-label': `${info.title}: controls` });
  if (info.presets.length) {
    controls.append(el('h3', { text: 'Presets' }));
    const row = el('div', { class: 'presets' });
    for (const p of info.presets) {
      row.append(el('button', {
        type: 'button', text: p.label, title: p.note, 'data-preset': p.id,
        onclick: () => {
          guard(() => state.app.preset(p.id));
          const n = section.querySelector('.preset-note');
          n.hidden = false;
          n.textContent = `${p.label}: ${p.note}`;
          changed();
        },
      }));
    }
    controls.append(row, el('p', { class: 'help preset-note', role: 'status', hidden: true }));
  }
  controls.append(el('h3', { text: 'Parameters' }));
  for (const spec of info.specs) controls.append(sliderFor(spec, values[spec.key], (v) => setParam(spec.key, v)));
  controls.append(el('p', { class: 'notice control-warning', role: 'status', hidden: true }));
  controls.append(el('p', { class: 'small' }, 'seed ', el('span', { class: 'seed-value', text: values.seed })));
  const actions = el('div', { class: 'actions' },
    el('button', { type: 'button', text: 'Reset', title: 'All parameters back to their defaults, keeping the seed', onclick: () => { guard(() => state.app.reset()); changed(); } }),
    el('button', { type: 'button', text: 'Reseed', title: 'Draw a new random seed (new initial conditions and samples)', onclick: () => {
      const a = new Uint32Array(1); crypto.getRandomValues(a); setParam('seed', String(a[0]));
    } }),
    el('button', { type: 'button', text: 'Copy link', title: 'Copy a link that reopens exactly this view', onclick: () => share(false) }),
    el('button', { type: 'button', text: 'Embed', title: 'An <iframe> snippet that embeds this lab in another page', onclick: () => share(true) }),
    el('button', { type: 'button', text: 'Parameters JSON', title: 'Download the parameters as JSON', onclick: () => {
      download(`${fileBase('params')}.json`, new Blob([guard(() => state.app.params_json(), '{}')], { type: 'application/json' }));
    } }),
  );
  controls.append(actions);

  const status = el('div', { class: 'status' },
    el('div', { class: 'progress-text', role: 'status', 'aria-live': 'polite' },
      el('progress', { max: 1, value: 0, 'aria-label': 'computation progress' }), el('span', { class: 'progress-label' })),
    el('button', { type: 'button', class: 'pause', 'aria-pressed': 'false', text: 'Pause', title: 'Pause or resume the computation', onclick: () => setPaused(!state.paused) }),
    el('button', { type: 'button', class: 'cancel', text: 'Cancel', title: 'Stop the computation (the plots keep what is done)', onclick: cancelWork }));
  const readouts = el('dl', { class: 'readouts', 'aria-label': 'Live readouts' });
  const notices = el('div', { class: 'lab-notices' });
  const plots = el('div', { class: 'plots' });
  for (const v of info.views) plots.append(buildFigure(v));
  const outputs = el('div', { class: 'outputs' }, status, readouts, notices, plots);
  section.append(el('div', { class: 'workbench' }, controls, outputs));
  state.resize?.disconnect();
  state.resize = new ResizeObserver((entries) => {
    for (const e of entries) { state.dirty.add(e.target.dataset.view); state.lastDraw[e.target.dataset.view] = 0; }
    kick();
  });
  for (const c of section.querySelectorAll('canvas')) state.resize.observe(c);
}

function buildFigure(view) {
  const canvas = el('canvas', {
    'data-view': view.id, role: 'img', 'aria-label': `${view.title}. ${view.caption}`, class: view.clickable ? 'clickable' : '',
  });
  if (view.clickable) {
    canvas.addEventListener('click', (ev) => {
      const dpr = window.devicePixelRatio || 1;
      const ok = guard(() => state.app.click(view.id, ev.offsetX * dpr, ev.offsetY * dpr), false);
      if (ok) changed();
    });
  }
  const fig = el('figure', { class: 'plot', 'data-view': view.id }, canvas, el('figcaption', {}, el('strong', { text: view.title + '. ' }), view.caption));
  if (view.clickable && view.launch) {
    // keyboard and screen-reader route to the same action as a click, starting at a point of
    // this view
    const [lx, ly] = view.launch.labels;
    const [sx, sy] = view.launch.start;
    const x = el('input', { type: 'number', step: 'any', 'aria-label': `${view.title}: start ${lx}`, value: String(sx), 'data-launch': 'x' });
    const y = el('input', { type: 'number', step: 'any', 'aria-label': `${view.title}: start ${ly}`, value: String(sy), 'data-launch': 'y', hidden: !ly });
    fig.append(el('div', { class: 'launch' }, `Start at ${lx}${ly ? `, ${ly}` : ''}`, x, y, el('button', {
      type: 'button', text: 'Launch', onclick: () => {
        const ok = guard(() => state.app.click_data(view.id, Number(x.value), Number(y.value)), false);
        if (ok) changed();
      },
    })));
  }
  const exports = el('div', { class: 'exports' },
    el('button', { type: 'button', text: 'PNG', 'aria-label': `Download ${view.title} as PNG`, onclick: () => canvas.toBlob((b) => b && download(`${fileBase(view.id)}.png`, b)) }),
    el('button', { type: 'button', text: 'SVG', 'aria-label': `Download ${view.title} as SVG`, onclick: () => {
      const r = canvas.getBoundingClientRect();
      const svg = guard(() => state.app.svg(view.id, Math.round(r.width) || 800, Math.round(r.height) || 550), null);
      if (svg) download(`${fileBase(view.id)}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
    } }),
    el('button', { type: 'button', text: 'CSV', 'aria-label': `Download the data of ${view.title} as CSV`, onclick: () => {
      const csv = guard(() => state.app.csv(view.id), null);
      if (csv) download(`${fileBase(view.id)}.csv`, new Blob([csv], { type: 'text/csv' }));
    } }),
    el('span', { class: 'timing', 'aria-hidden': 'true' }),
  );
  fig.append(exports);
  return fig;
}

async function share(embed) {
  const url = new URL(location.href);
  url.search = `?${guard(() => state.app.link(), '')}${embed ? '&embed=1' : ''}`;
  const text = embed
    ? `<iframe src="${url.href}" width="100%" height="980" style="border:0" loading="lazy" title="Learning Dynamics Explorer: ${state.info.title}"></iframe>`
    : url.href;
  const d = $('#share-dialog');
  $('#share-title').textContent = embed ? 'Embed this lab' : 'Link to this view';
  $('#share-label').textContent = embed ? 'HTML snippet' : 'Link';
  $('#share-text').value = text;
  $('#share-status').textContent = '';
  if (!embed) await copy(text);
  if (typeof d.showModal === 'function') d.showModal(); else d.setAttribute('open', '');
  $('#share-text').select();
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    $('#share-status').textContent = 'Copied to the clipboard.';
  } catch {
    $('#share-status').textContent = 'Select the text and copy it (the clipboard is not available here).';
  }
}

// ---------- long work: pause, cancel, progress ----------
function setPaused(p) {
  state.paused = p;
  if (!p) state.cancelled = false;
  state.pool?.pause(p);
  const b = currentSection()?.querySelector('.status .pause');
  if (b) { b.textContent = p ? 'Resume' : 'Pause'; b.setAttribute('aria-pressed', p ? 'true' : 'false'); }
  kick();
}

function cancelWork() {
  state.cancelled = true;
  state.pool?.cancelAll();
  setPaused(true);
  state.cancelled = true;
  kick();
}

/** "sweep over g: 5/12 runs, ~8 s left" for the first unfinished stage. */
function progressLabel(progress) {
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

function currentKeys(pending) {
  return new Set(pending.map((p) => `${p.id}|${p.link}`));
}

// ---------- drawing and scheduling ----------
function viewOf(id) { return state.info.views.find((v) => v.id === id); }

function drawView(id) {
  const canvas = currentSection()?.querySelector(`canvas[data-view="${id}"]`);
  if (!canvas) return;
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(100, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(80, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const ms = guard(() => state.app.draw(id, canvas, dpr), null);
  if (ms !== null) {
    state.drawMs[id] = ms;
    const t = canvas.parentElement.querySelector('.timing');
    if (t) t.textContent = `drawn in ${ms.toFixed(0)} ms`;
  }
}

function updatePanels(progress) {
  const section = currentSection();
  const bar = section.querySelector('.status progress');
  const label = section.querySelector('.progress-label');
  if (progress.done) { bar.value = 1; label.textContent = 'up to date'; } else {
    bar.value = progress.fraction;
    const what = state.cancelled ? 'cancelled' : state.paused ? 'paused' : 'computing';
    label.textContent = `${what}: ${progressLabel(progress)}`;
  }
  for (const b of section.querySelectorAll('.status button')) b.disabled = progress.done && !state.paused;
  const ro = JSON.parse(guard(() => state.app.readouts(), '[]'));
  const dl = section.querySelector('.readouts');
  dl.replaceChildren(...ro.map((r) => el('div', { title: r.help }, el('dt', { text: r.label }), el('dd', { text: r.value }))));
  const ns = JSON.parse(guard(() => state.app.notices(), '[]'));
  const box = section.querySelector('.lab-notices');
  box.replaceChildren(...ns.map((n) => el('p', { class: 'notice', role: 'note', text: n })));
}

let scheduled = false;
function kick() {
  if (!scheduled && !state.broken) { scheduled = true; requestAnimationFrame(frame); }
}

const DONE = '{"done":true,"fraction":1,"label":"","animating":false,"stages":[]}';

function frame() {
  scheduled = false;
  if (state.broken) return;
  if (state.fresh) {
    // A freshly built section's first layout (MathML, controls, canvases) is the costliest
    // part of a frame: give it a frame of its own instead of stacking work and drawing on it.
    state.fresh = false;
    void document.body.offsetHeight;
    kick();
    return;
  }
  const t0 = performance.now();
  let progress = state.progress;
  if (!progress || !progress.done) {
    if (state.pool) {
      // the workers compute; the main thread only hands out jobs and draws
      const pending = JSON.parse(guard(() => state.app.pending(), '[]'));
      state.pendingCache = pending;
      state.pool.cancelStale(currentKeys(pending));
      if (!state.paused && !state.cancelled) state.pool.schedule(pending);
      progress = JSON.parse(guard(() => state.app.progress(), DONE));
    } else if (state.paused || state.cancelled) {
      progress = JSON.parse(guard(() => state.app.progress(), DONE));
    } else {
      const budget = state.animating ? ANIM_WORK_MS : state.dirty.size ? DRAW_WORK_MS : WORK_MS;
      progress = JSON.parse(guard(() => state.app.advance(budget), DONE));
    }
  }
  if (progress.animating) progress.animating = guard(() => state.app.tick(), false);
  state.animating = progress.animating;
  for (const id of JSON.parse(guard(() => state.app.take_dirty(), '[]'))) state.dirty.add(id);
  const t1 = performance.now();
  for (const id of [...state.dirty]) {
    const v = viewOf(id);
    const recent = t1 - (state.lastDraw[id] || 0) < REDRAW_MS;
    if (!progress.done && recent && !(v && v.animated)) continue;
    state.dirty.delete(id);
    drawView(id);
    state.lastDraw[id] = performance.now();
    if (performance.now() - t1 > DRAW_MS) break;
  }
  updatePanels(progress);
  state.progress = progress;
  // idle: the work is done, the animation over and every changed view drawn
  state.idle = progress.done && !progress.animating && state.dirty.size === 0;
  state.lastFrameMs = performance.now() - t0;
  const waiting = !progress.done && !(state.pool ? false : state.paused || state.cancelled);
  if (waiting || progress.animating || state.dirty.size || state.pool?.busy()) kick();
}

// ---------- tabs ----------
function buildTabs() {
  const tabs = $('#tabs');
  tabs.replaceChildren();
  for (const info of state.cat) {
    const b = el('button', {
      role: 'tab', id: `tab-${info.id}`, 'aria-controls': `lab-${info.id}`, type: 'button', text: info.title, 'data-lab': info.id,
      onclick: () => selectLab(info.id, true),
    });
    b.addEventListener('keydown', (ev) => {
      const all = [...tabs.querySelectorAll('[role="tab"]')];
      const i = all.indexOf(b);
      let j = null;
      if (ev.key === 'ArrowRight') j = (i + 1) % all.length;
      if (ev.key === 'ArrowLeft') j = (i - 1 + all.length) % all.length;
      if (j !== null) { all[j].focus(); all[j].click(); ev.preventDefault(); }
    });
    tabs.append(b);
  }
}

function selectLab(id, userAction) {
  if (userAction && id !== state.app.lab()) guard(() => state.app.switch_lab(id));
  state.info = state.cat.find((c) => c.id === state.app.lab());
  for (const t of document.querySelectorAll('[role="tab"]')) {
    const on = t.dataset.lab === state.info.id;
    t.setAttribute('aria-selected', on ? 'true' : 'false');
    t.tabIndex = on ? 0 : -1;
  }
  for (const s of document.querySelectorAll('section.lab')) s.hidden = s.dataset.lab !== state.info.id;
  buildWorkbench(state.info);
  state.fresh = true;
  state.lastDraw = {};
  guard(() => state.app.mark_all());
  document.title = `${state.info.title} · Learning Dynamics Explorer`;
  changed();
}

// ---------- start ----------
/** The pool size: the link's workers=N (0: compute in the page), else the cores, at most 8. */
function poolSize() {
  const q = new URLSearchParams(location.search.length > 1 ? location.search : location.hash.slice(1));
  const w = q.get('workers');
  if (w !== null && /^\d+$/.test(w.trim())) {
    const n = Math.min(16, Number(w));
    state.pageKeys = `&workers=${n}`;
    return n;
  }
  return Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2));
}

async function startPool() {
  const n = poolSize();
  state.workers = n;
  if (n === 0) return;
  try {
    if (typeof Worker === 'undefined') throw new Error('no Worker');
    state.pool = await Pool.create(n, await wasmModule());
    state.pool.onresult = (stage, link, index, bytes, finished, fraction) => {
      const r = guard(() => state.app.absorb(stage, link, index, bytes, finished, fraction), 'ok');
      if (r !== 'ok' && r !== 'stale') workerNotice(`A result of the ${stage} stage did not fit and was dropped: ${r}`);
      kick();
    };
    state.pool.onerror = (m) => workerNotice(`A job failed in a worker: ${m}`);
    state.pool.source = () => (state.paused || state.cancelled ? [] : JSON.parse(guard(() => state.app.pending(), '[]')));
  } catch (e) {
    state.pool?.terminate();
    state.pool = null;
    workerNotice('Web Workers are not available here (for example, a page opened from file://): computing on the page itself, on one core.');
  }
}

function workerNotice(text) {
  const n = $('#worker-notice');
  if (!n) return;
  n.hidden = false;
  n.textContent = text;
}

async function main() {
  try {
    await init({ module_or_path: await wasmModule() });
    document.documentElement.dataset.wasm = build;
  } catch (e) {
    $('#loading').hidden = true;
    showError(`the WebAssembly module could not be loaded (${e.message || e})`);
    return;
  }
  $('#loading').hidden = true;
  state.cat = JSON.parse(catalogue());
  for (const info of state.cat) ensureSection(info);
  state.app = new App(location.search.length > 1 ? location.search : location.hash);
  await startPool();
  if (state.app.embed()) document.body.classList.add('embed');
  const warnings = JSON.parse(state.app.warnings());
  if (warnings.length) {
    const n = $('#link-notice');
    n.hidden = false;
    n.replaceChildren(el('strong', { text: 'Part of the link was ignored; the defaults are used for:' }), el('ul', {}, ...warnings.map((w) => el('li', { text: w }))));
  }
  buildTabs();
  setupResults();
  $('#share-close').addEventListener('click', () => $('#share-dialog').close());
  $('#share-copy').addEventListener('click', () => copy($('#share-text').value));
  selectLab(state.app.lab(), false);
  state.ready = true;
}

window.addEventListener('error', (e) => { if (String(e.message).match(/unreachable|RuntimeError|panicked/)) showError(e.message); });
window.addEventListener('unhandledrejection', (e) => showError(e.reason && e.reason.message ? e.reason.message : String(e.reason)));
main();
