// The "Sweep results" section: a results file from `lde sweep` (picked, dropped or named by the
// link key results=URL) parsed and drawn by the core. It holds no science: the core reads the
// file, lists what varies and draws the chart.
import { SweepResults } from './pkg/lde.js';

const $ = (s) => document.querySelector(s);
let current = null;

function status(text) {
  $('#results-status').textContent = text;
}

function fill(select, names, preferred) {
  select.replaceChildren(...names.map((n) => Object.assign(document.createElement('option'), { value: n, textContent: n })));
  select.disabled = names.length === 0;
  const pick = names.find((n) => n === preferred) ?? names.find((n) => n !== 'seed') ?? names[0];
  if (pick !== undefined) select.value = pick;
}

function draw() {
  if (!current) return;
  const x = $('#results-x').value;
  const y = $('#results-y').value;
  const canvas = $('#results-canvas');
  const fig = $('#results-figure');
  fig.hidden = false;
  const dpr = window.devicePixelRatio || 1;
  const cs = getComputedStyle(fig);
  const inner = fig.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  const w = Math.max(240, Math.min(inner || 640, 900));
  const h = Math.round(w * 0.55);
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  try {
    current.draw(canvas, x, y, dpr);
  } catch (e) {
    status(`The chart could not be drawn: ${e.message || e}`);
    return;
  }
  const rows = current.csv(x, y).trim().split('\n').length - 1;
  canvas.setAttribute('aria-label', `${y} against ${x}, ${rows} cells`);
  $('#results-caption').textContent = `${y} against ${x}: ${rows} cells (dots) and their mean at each ${x} (line).`;
}

/** Opens a results text; a bad file gets a message and leaves the previous results alone. */
export function openResults(text, name) {
  let r;
  try {
    r = new SweepResults(text);
  } catch (e) {
    status(`${name}: ${e.message || e}`);
    return false;
  }
  current?.free();
  current = r;
  const s = JSON.parse(r.summary());
  fill($('#results-x'), s.varied, null);
  fill($('#results-y'), s.numbers, null);
  const extra = [s.errors ? `${s.errors} failed cell(s)` : '', s.skipped_lines ? `${s.skipped_lines} line(s) that are not records were skipped` : ''].filter(Boolean).join('; ');
  status(`${name}: ${s.cells} cells of the ${s.labs.join(', ')} lab${s.labs.length > 1 ? 's' : ''}; varied: ${s.varied.join(', ') || 'nothing'}.${extra ? ` ${extra}.` : ''}`);
  draw();
  return true;
}

/** `onLink(text, name)` also gets a file named by the link, for the lab's own sweep views. */
export function setupResults(onLink = () => {}) {
  const section = $('#sweep-results');
  if (!section) return;
  $('#results-x').addEventListener('change', draw);
  $('#results-y').addEventListener('change', draw);
  $('#results-file').addEventListener('change', async (ev) => {
    const f = ev.target.files && ev.target.files[0];
    if (f) openResults(await f.text(), f.name);
  });
  section.addEventListener('dragover', (ev) => { ev.preventDefault(); section.classList.add('drop'); });
  section.addEventListener('dragleave', () => section.classList.remove('drop'));
  section.addEventListener('drop', async (ev) => {
    ev.preventDefault();
    section.classList.remove('drop');
    const f = ev.dataTransfer && ev.dataTransfer.files[0];
    if (f) openResults(await f.text(), f.name);
  });
  const url = new URLSearchParams(location.search).get('results');
  if (url) {
    let u;
    try {
      u = new URL(url, location.href);
    } catch {
      status(`results=${url} is not a URL`);
      return;
    }
    fetch(u).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((t) => {
        const name = u.pathname.split('/').pop() || 'results';
        openResults(t, name);
        onLink(t, name);
      })
      .catch((e) => status(`The results at ${url} could not be read (${e.message || e}); only files on this site can be linked.`));
  }
  window.addEventListener('resize', () => { if (current) draw(); });
}
