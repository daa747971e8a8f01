// One figure of a lab: its canvas, caption, launch row, exports, hover read-out, text
// alternative and data table. It holds no science: the core draws, describes and probes.
import { el, download } from './dom.js';
import { resultsRow } from './labresults.js';

const TABLE_ROWS = 300;   // the data table shows at most this many rows (the CSV has them all)
const ANNOUNCE_MS = 700;  // the live region speaks a read-out once the pointer rests this long

/**
 * Builds the <figure> of `view`. `ctx` gives the page's hooks: app() (the core), guard(fn, fallback),
 * fileBase(view id), changed() (after a click set parameters) and redraw(view id).
 */
export function buildFigure(view, ctx) {
  const canvas = el('canvas', {
    'data-view': view.id, role: 'img', tabindex: '0', 'aria-label': `${view.title}. ${view.caption}`,
    'aria-describedby': `probe-${view.id}`, class: view.clickable ? 'clickable' : '',
  });
  const crossX = el('div', { class: 'cross cross-x', hidden: true });
  const crossY = el('div', { class: 'cross cross-y', hidden: true });
  const tip = el('div', { class: 'probe-tip', 'aria-hidden': 'true', hidden: true });
  const live = el('p', { class: 'sr-only', id: `probe-${view.id}`, 'aria-live': 'polite' });
  const wrap = el('div', { class: 'canvas-wrap' }, canvas, crossX, crossY, tip);
  const probe = hover(view, ctx, canvas, { crossX, crossY, tip, live });

  if (view.clickable) drag(view, ctx, canvas);
  const fig = el('figure', { class: 'plot', 'data-view': view.id }, wrap, live,
    el('figcaption', {}, el('strong', { text: view.title + '. ' }), view.caption));
  if (view.clickable && view.launch) fig.append(launchRow(view, ctx));

  const table = el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': `${view.title}: data table` });
  const details = el('details', { class: 'data' }, el('summary', { text: 'Data table' }), table);
  details.addEventListener('toggle', () => { if (details.open) fillTable(view, ctx, table); });

  const exports = el('div', { class: 'exports' },
    ...[2, 4].map((k) => el('button', {
      type: 'button', text: `PNG ${k}×`, 'aria-label': `PNG ${k}×: download ${view.title} at ${k}× the screen size`,
      onclick: () => png(view, ctx, canvas, k),
    })),
    el('button', { type: 'button', text: 'SVG', 'aria-label': `SVG: download ${view.title}`, onclick: () => {
      const r = canvas.getBoundingClientRect();
      const svg = ctx.guard(() => ctx.app().svg(view.id, Math.round(r.width) || 800, Math.round(r.height) || 550), null);
      if (svg) download(`${ctx.fileBase(view.id)}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
    } }),
    el('button', { type: 'button', text: 'CSV', 'aria-label': `CSV: download the data of ${view.title}`, onclick: () => {
      const csv = ctx.guard(() => ctx.app().csv(view.id), null);
      if (csv) download(`${ctx.fileBase(view.id)}.csv`, new Blob([csv], { type: 'text/csv' }));
    } }),
    el('span', { class: 'timing', 'aria-hidden': 'true' }),
  );
  fig.append(exports, details);
  if (ctx.resultsViews().includes(view.id)) fig.insertBefore(resultsRow(view, ctx, fig), exports);
  fig.refresh = () => {
    // after each draw: the text alternative follows the data, an open table too
    const d = ctx.guard(() => ctx.app().describe(view.id), '');
    if (d) canvas.setAttribute('aria-label', d);
    if (details.open) fillTable(view, ctx, table);
    probe.again();
  };
  return fig;
}

function clickAt(view, ctx, x, y) {
  const dpr = window.devicePixelRatio || 1;
  const ok = ctx.guard(() => ctx.app().click(view.id, x * dpr, y * dpr), false);
  if (ok) ctx.changed();
}

const DRAG_MS = 60; // a drag re-applies its point at most this often

/** A press sets the view's point (a start, a launch); dragging moves it, live. */
function drag(view, ctx, canvas) {
  let down = false;
  let timer = 0;
  let at = null;
  const apply = () => { timer = 0; if (at) clickAt(view, ctx, at[0], at[1]); };
  canvas.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    down = true;
    canvas.setPointerCapture?.(ev.pointerId);
    at = [ev.offsetX, ev.offsetY];
    apply();
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (!down) return;
    at = [ev.offsetX, ev.offsetY];
    if (!timer) timer = setTimeout(apply, DRAG_MS);
  });
  const end = () => { down = false; };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
}

/** The keyboard and screen-reader route to a click: start at typed data coordinates. */
function launchRow(view, ctx) {
  const [lx, ly] = view.launch.labels;
  const [sx, sy] = view.launch.start;
  const x = el('input', { type: 'number', step: 'any', 'aria-label': `${view.title}: start ${lx}`, value: String(sx), 'data-launch': 'x' });
  const y = el('input', { type: 'number', step: 'any', 'aria-label': `${view.title}: start ${ly}`, value: String(sy), 'data-launch': 'y', hidden: !ly });
  return el('div', { class: 'launch', 'data-launch-view': view.id }, `${view.launch.prompt} ${lx}${ly ? `, ${ly}` : ''}`, x, y, el('button', {
    type: 'button', text: view.launch.button, onclick: () => {
      const ok = ctx.guard(() => ctx.app().click_data(view.id, Number(x.value), Number(y.value)), false);
      if (ok) ctx.changed();
    },
  }));
}

/** The launch inputs show the view's point in the current state (a typed value is kept while focused). */
export function syncLaunch(section, pointOf) {
  for (const row of section.querySelectorAll('[data-launch-view]')) {
    const at = JSON.parse(pointOf(row.dataset.launchView) || 'null');
    if (!Array.isArray(at)) continue;
    row.querySelectorAll('input[data-launch]').forEach((input) => {
      const v = at[input.dataset.launch === 'x' ? 0 : 1];
      if (document.activeElement !== input && Number.isFinite(v)) input.value = String(v);
    });
  }
}

/**
 * The crosshair and read-out under the pointer (or the keyboard cursor: arrows move it,
 * Enter clicks there, Escape hides it), spoken through a polite live region once it rests.
 */
function hover(view, ctx, canvas, { crossX, crossY, tip, live }) {
  let at = null;
  let raf = 0;
  let timer = 0;
  const hide = () => { at = null; crossX.hidden = crossY.hidden = tip.hidden = true; };
  const show = () => {
    raf = 0;
    if (!at) return;
    const dpr = window.devicePixelRatio || 1;
    const text = ctx.guard(() => ctx.app().probe(view.id, at[0] * dpr, at[1] * dpr), '');
    if (!text) { crossX.hidden = crossY.hidden = tip.hidden = true; return; }
    crossX.style.left = `${at[0]}px`;
    crossY.style.top = `${at[1]}px`;
    crossX.hidden = crossY.hidden = tip.hidden = false;
    tip.textContent = text;
    // the tip sits in the corner away from the cursor
    tip.classList.toggle('left', at[0] > canvas.clientWidth / 2);
    clearTimeout(timer);
    timer = setTimeout(() => { live.textContent = text; }, ANNOUNCE_MS);
  };
  const move = (x, y) => { at = [x, y]; if (!raf) raf = requestAnimationFrame(show); };
  canvas.addEventListener('pointermove', (ev) => move(ev.offsetX, ev.offsetY));
  canvas.addEventListener('pointerleave', hide);
  canvas.addEventListener('blur', hide);
  canvas.addEventListener('keydown', (ev) => {
    const step = ev.shiftKey ? 1 : 10;
    const [x, y] = at || [canvas.clientWidth / 2, canvas.clientHeight / 2];
    const keys = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (keys[ev.key]) {
      const [dx, dy] = keys[ev.key];
      move(Math.min(canvas.clientWidth, Math.max(0, x + dx)), Math.min(canvas.clientHeight, Math.max(0, y + dy)));
      ev.preventDefault();
    } else if (ev.key === 'Enter' && view.clickable && at) {
      clickAt(view, ctx, at[0], at[1]);
      ev.preventDefault();
    } else if (ev.key === 'Escape') hide();
  });
  canvas.addEventListener('focus', () => { if (!at) move(canvas.clientWidth / 2, canvas.clientHeight / 2); });
  return { again: () => { if (at && !raf) raf = requestAnimationFrame(show); } };
}

/** Fills the data table from the core's table (at most TABLE_ROWS rows). */
function fillTable(view, ctx, box) {
  const t = JSON.parse(ctx.guard(() => ctx.app().table(view.id, TABLE_ROWS), 'null'));
  if (!t) { box.replaceChildren(el('p', { text: 'No data.' })); return; }
  const cell = (v) => (v === null ? '—' : typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v));
  const table = el('table', {},
    el('caption', { text: `${view.title}: ${t.total} rows${t.total > t.rows.length ? `, the first ${t.rows.length} shown (the CSV has all)` : ''}` }),
    el('thead', {}, el('tr', {}, ...t.header.map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, ...t.rows.map((r) => el('tr', {}, ...r.map((v) => el('td', { text: cell(v) }))))));
  box.replaceChildren(table);
}

/** A PNG of the view redrawn at `k`× its CSS size (not scaled up from the screen). */
function png(view, ctx, canvas, k) {
  const c = document.createElement('canvas');
  c.width = Math.max(100, Math.round(canvas.clientWidth * k));
  c.height = Math.max(80, Math.round(canvas.clientHeight * k));
  const ok = ctx.guard(() => ctx.app().draw(view.id, c, k), null);
  ctx.redraw(view.id); // the on-screen canvas's pixel map is the one clicks use
  if (ok !== null) c.toBlob((b) => b && download(`${ctx.fileBase(view.id)}-${k}x.png`, b));
}
