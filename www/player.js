// The player of a lab's animation (a launched trajectory, the toy's flows, the fixed-point
// rules' iterates, a training run): Play/Pause, Step, a speed, and a scrubber that shows any
// tick, redrawing every animated view and the readouts there. The core holds the ticks; this
// module only says which one to show.
//
// Modes: 'play' advances `speed` ticks per 1/60 s of wall time (the same pace on a 60 Hz or a
// 120 Hz screen, and when the page wakes only 10 times a second because the animated view is
// scrolled out of sight); 'paused' holds the tick; 'follow' always
// shows the end (the state as it stands). A lab that does not play by itself (the RNN's
// training, watched live) and any page under prefers-reduced-motion start in 'follow'.
import { el } from './dom.js';

let state;
let guard;
let currentSection;
let kick;
const reduced = window.matchMedia('(prefers-reduced-motion: reduce)');
const SPEEDS = [['0.25', '¼×'], ['0.5', '½×'], ['1', '1×'], ['2', '2×'], ['4', '4×']];
const player = { mode: 'play', speed: 1, acc: 0, shown: '', at: null };
const FRAME_MS = 1000 / 60;
// a longer gap (a hidden tab, a debugger) counts as this much: the animation resumes, not jumps
const MAX_GAP_MS = 250;

/** Binds the module to the page's state and hooks. */
export function bindPlayer(hooks) {
  ({ state, guard, currentSection, kick } = hooks);
  reduced.addEventListener('change', () => { if (reduced.matches && player.mode === 'play') player.mode = 'follow'; kick(); });
}

/** After a change of parameters: the new animation starts afresh. */
export function resetPlayer() {
  const auto = guard(() => state.app.autoplay(), true);
  player.mode = reduced.matches || !auto ? 'follow' : 'play';
  player.acc = 0;
  player.at = null;
  player.shown = '';
}

const ticks = () => guard(() => state.app.ticks(), 0);
const now = () => guard(() => state.app.shown_tick(), 0);
function show(t) { guard(() => state.app.set_tick(Math.max(0, t))); }

function play() {
  if (player.mode === 'play' && now() < ticks()) { player.mode = 'paused'; } else {
    if (now() >= ticks()) show(0);
    player.mode = 'play';
    player.acc = 0;
    player.at = null;
  }
  kick();
}

function step(by) {
  player.mode = 'paused';
  show(Math.min(ticks(), now() + by));
  kick();
}

/** The player's controls (hidden until there is something to animate). */
export function playerRow(title) {
  const row = el('div', { class: 'player', role: 'group', 'aria-label': `Animation${title ? ` of ${title}` : ''}`, hidden: true },
    el('button', { type: 'button', class: 'play', text: 'Pause', title: 'Play or pause the animation', onclick: play }),
    el('button', { type: 'button', class: 'step', text: 'Step', title: 'Show the next frame', onclick: () => step(1) }),
    el('label', { class: 'speed-label' }, 'speed ',
      el('select', { class: 'speed', title: 'Frames per 1/60 s', onchange: (e) => { player.speed = Number(e.target.value); kick(); } },
        ...SPEEDS.map(([v, t]) => el('option', { value: v, text: t, selected: Number(v) === player.speed ? '' : null })))),
    el('input', {
      type: 'range', class: 'scrub', min: 0, max: 1, step: 1, value: 0, 'aria-label': 'Animation time',
      oninput: (e) => { player.mode = 'paused'; show(Number(e.target.value)); kick(); },
    }),
    el('output', { class: 'tick-label', 'aria-live': 'off' }));
  return row;
}

/**
 * One frame of the player: follows the end, advances while playing, and brings the controls
 * up to date. Returns true while it is playing and has ticks left (the page keeps animating).
 */
export function playerFrame() {
  const n = ticks();
  let t = now();
  if (player.mode === 'follow' && t !== n) { show(n); t = n; }
  if (player.mode === 'play' && t < n) {
    const at = performance.now();
    const gap = player.at === null ? FRAME_MS : Math.min(at - player.at, MAX_GAP_MS);
    player.at = at;
    player.acc += (player.speed * gap) / FRAME_MS;
    const k = Math.floor(player.acc);
    player.acc -= k;
    if (k > 0) { show(t + k); t = Math.min(n, t + k); }
  }
  const playing = player.mode === 'play' && t < n;
  if (!playing) player.at = null;
  const key = `${t}/${n}/${playing}`;
  if (key !== player.shown) { player.shown = key; render(t, n, playing); }
  return playing;
}

function render(t, n, playing) {
  const row = currentSection()?.querySelector('.player');
  if (!row) return;
  row.hidden = n === 0;
  if (n === 0) return;
  const label = guard(() => state.app.tick_label(t), '');
  const scrub = row.querySelector('.scrub');
  scrub.max = String(n);
  scrub.value = String(t);
  scrub.setAttribute('aria-valuetext', label);
  row.querySelector('.tick-label').textContent = label;
  row.querySelector('.play').textContent = playing ? 'Pause' : 'Play';
  row.querySelector('.step').disabled = t >= n;
  row.dataset.mode = player.mode;
}
