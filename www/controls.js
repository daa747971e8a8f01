// One control per parameter spec: a slider with a number box, a menu, a checkbox or a text
// field of points. It holds no science: the specs come from the core.
import { el } from './dom.js';

/** A value as the control's read-out shows it (links keep their own text). */
export function fmtValue(spec, v) {
  if (spec.kind.type === 'real') {
    const x = Number(v);
    if (!Number.isFinite(x)) return v;
    if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4)) return x.toExponential(2);
    return String(Math.round(x * 1e6) / 1e6);
  }
  return v;
}

/** The control of `spec` (lab `labId`) at `value`; `onChange(text)` on every change. */
export function sliderFor(labId, spec, value, onChange) {
  const k = spec.kind;
  const id = `p-${labId}-${spec.key}`;
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
    valueOut.hidden = true;
    label.classList.add('flag');
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
