// A sweep's results file (`lde sweep run`/`merge` output) in the lab's own sweep views: the
// curl phase diagram, the Hebbian stable count against h, the RNN's sweeps over g. A file is picked or dropped on such a view, or
// named by the link key results=URL; the core draws it with the view's own axes and says what
// does not fit. It holds no science.
import { el } from './dom.js';

const rows = (ctx) => [...(ctx.section()?.querySelectorAll('.results-row') || [])];

function say(ctx, text, loaded) {
  for (const r of rows(ctx)) {
    r.querySelector('.results-status').textContent = text;
    r.querySelector('.results-live').hidden = !loaded;
  }
}

/** Shows `text` in every view of the lab that takes it; a file that does not fit changes nothing. */
export function openLabResults(ctx, text, name) {
  let r;
  try {
    r = JSON.parse(ctx.app().open_results(text));
  } catch (e) {
    say(ctx, `${name} was not opened: ${e.message || e}. Nothing on the page changed.`, ctx.loaded?.());
    return false;
  }
  ctx.setLoaded(true);
  say(ctx, `${name}: ${r.label}, drawn in place of the in-page sweep.`, true);
  for (const id of r.views) ctx.redraw(id);
  return true;
}

function close(ctx) {
  ctx.app().close_results();
  ctx.setLoaded(false);
  say(ctx, 'Back to the in-page sweep.', false);
  for (const id of ctx.resultsViews()) ctx.redraw(id);
}

/** The row under a view that takes results files: a file picker, a way back, a status line. */
export function resultsRow(view, ctx, fig) {
  const input = el('input', { type: 'file', id: `results-file-${view.id}`, class: 'results-file', accept: '.jsonl,.json,.txt,application/json' });
  const open = async (f) => { if (f) openLabResults(ctx, await f.text(), f.name); };
  input.addEventListener('change', () => open(input.files && input.files[0]));
  fig.addEventListener('dragover', (ev) => { ev.preventDefault(); fig.classList.add('drop'); });
  fig.addEventListener('dragleave', () => fig.classList.remove('drop'));
  fig.addEventListener('drop', (ev) => {
    ev.preventDefault();
    fig.classList.remove('drop');
    open(ev.dataTransfer && ev.dataTransfer.files[0]);
  });
  return el('div', { class: 'results-row small' },
    el('label', { for: input.id, text: 'Sweep results (lde sweep) ' }), input, ' ',
    el('button', { type: 'button', class: 'results-live', hidden: !ctx.loaded(), text: 'Show the in-page sweep', onclick: () => close(ctx) }),
    el('span', { class: 'results-status', role: 'status', 'aria-live': 'polite' }));
}
