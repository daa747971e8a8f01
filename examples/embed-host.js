// The host side of the explorer's postMessage API: set a parameter, read the state, and
// listen for `change` and `done`. Messages go only to the explorer's origin and are read only
// from it.
const q = new URLSearchParams(location.search);
const src = q.get('src') || 'http://127.0.0.1:8000/?lab=hebbian&net=pair&embed=1&view=pitchfork';
const frame = document.getElementById('lde');
const origin = new URL(src, location.href).origin;
const log = (line) => { document.getElementById('log').textContent += `${line}\n`; };
window.received = [];

frame.src = src;
window.addEventListener('message', (ev) => {
  if (ev.origin !== origin || !ev.data || ev.data.lde !== 1) return;
  window.received.push(ev.data);
  const m = ev.data;
  // the explorer says when it listens: then ask for its events
  if (m.type === 'ready') frame.contentWindow.postMessage({ lde: 1, type: 'subscribe', events: ['change', 'done'] }, origin);
  if (m.type === 'done') {
    const stable = (m.readouts || []).find((r) => r.label.startsWith('stable states'));
    log(`done: ${m.link}${stable ? ` (${stable.label}: ${stable.value})` : ''}`);
  } else if (m.type === 'state') log(`state: ${m.link}`);
  else log(`${m.type}: ${m.link || m.message || ''}`);
});
document.getElementById('set').addEventListener('click', () => {
  frame.contentWindow.postMessage({ lde: 1, type: 'set', params: { h: document.getElementById('h').value } }, origin);
});
document.getElementById('get').addEventListener('click', () => {
  frame.contentWindow.postMessage({ lde: 1, type: 'get', id: 'read' }, origin);
});
