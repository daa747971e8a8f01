// The postMessage API of an embedded explorer (README: "Embedding a lab"). The host page
// (the iframe's parent) sends plain objects; anything else is ignored, and nothing is ever
// evaluated. Every message carries `lde: 1`.
//
//   host → explorer
//     {lde: 1, type: 'set', params: {h: -2, gamma_w: 0.2}}   set parameters (link texts or numbers)
//     {lde: 1, type: 'get', id}                               ask for the state
//     {lde: 1, type: 'subscribe', events: ['change', 'done']} ask for events
//   explorer → host
//     {lde: 1, type: 'ready', lab, link}                      the API listens (sent to any origin)
//     {lde: 1, type: 'state', id, lab, link, readouts, report, warnings}
//     {lde: 1, type: 'change', lab, link}                     the link changed
//     {lde: 1, type: 'done', lab, link, readouts}             all work finished and drawn (also
//                                                             at once on subscribing, if it is)
//     {lde: 1, type: 'error', id, message}                    a message was refused
const EVENTS = ['change', 'done'];
const KEY = /^[a-z_][a-z0-9_]{0,31}$/;

/**
 * Starts listening when the page is framed. `hooks`: lab(), link(), readouts() (array),
 * report() (object), idle(), set(key, text) → warning ('' when accepted), applied() after a set.
 */
export function setupEmbedApi(hooks) {
  const parent = window.parent;
  if (!parent || parent === window) return { changed() {}, done() {} };
  const subs = new Map(); // origin → Set of event names
  const post = (origin, msg) => parent.postMessage({ lde: 1, ...msg }, origin);

  window.addEventListener('message', (ev) => {
    if (ev.source !== parent) return;
    const m = ev.data;
    if (!m || typeof m !== 'object' || Array.isArray(m) || m.lde !== 1 || typeof m.type !== 'string') return;
    const id = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : null;
    const refuse = (message) => post(ev.origin, { type: 'error', id, message });
    if (m.type === 'subscribe') {
      if (!Array.isArray(m.events) || !m.events.every((e) => EVENTS.includes(e))) return refuse(`events must be a list of ${EVENTS.join(', ')}`);
      subs.set(ev.origin, new Set(m.events));
      if (m.events.includes('done') && hooks.idle()) post(ev.origin, { type: 'done', lab: hooks.lab(), link: hooks.link(), readouts: hooks.readouts() });
    } else if (m.type === 'get') {
      post(ev.origin, { type: 'state', id, lab: hooks.lab(), link: hooks.link(), readouts: hooks.readouts(), report: hooks.report() });
    } else if (m.type === 'set') {
      const p = m.params;
      if (!p || typeof p !== 'object' || Array.isArray(p)) return refuse('params must be an object of key: value');
      const entries = Object.entries(p);
      if (entries.length > 64) return refuse('at most 64 parameters per message');
      const warnings = [];
      for (const [k, v] of entries) {
        if (!KEY.test(k) || !['string', 'number', 'boolean'].includes(typeof v)) { warnings.push(`${String(k).slice(0, 32)}: not a parameter key and a plain value`); continue; }
        const text = typeof v === 'boolean' ? (v ? '1' : '0') : String(v).slice(0, 200);
        const w = hooks.set(k, text);
        if (w) warnings.push(w);
      }
      hooks.applied();
      post(ev.origin, { type: 'state', id, lab: hooks.lab(), link: hooks.link(), readouts: hooks.readouts(), report: null, warnings });
    } else {
      refuse(`unknown message type (expected set, get or subscribe)`);
    }
  });

  parent.postMessage({ lde: 1, type: 'ready', lab: hooks.lab(), link: hooks.link() }, '*');
  const emit = (event, msg) => {
    for (const [origin, events] of subs) if (events.has(event)) post(origin, { type: event, ...msg });
  };
  return {
    changed: () => emit('change', { lab: hooks.lab(), link: hooks.link() }),
    done: () => emit('done', { lab: hooks.lab(), link: hooks.link(), readouts: hooks.readouts() }),
  };
}
