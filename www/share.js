// The share dialog: a link that reopens this state, or an <iframe> snippet that embeds the lab
// (or one of its views) in another page.
import { $ } from './dom.js';

/** `link` without the page's embed/view keys: the state alone. */
export function plainLink(link) {
  return link.split('&').filter((p) => p && !/^(embed|view)=/.test(p)).join('&');
}

/** Opens the dialog for `link` (the state's link); `embed` gives an iframe snippet, of `view` if set. */
export async function share(link, { embed = false, view = null, title = '' } = {}) {
  const url = new URL(location.href);
  url.hash = '';
  url.search = `?${plainLink(link)}${embed ? '&embed=1' : ''}${embed && view ? `&view=${view}` : ''}`;
  const height = view ? 620 : 980;
  const text = embed
    ? `<iframe src="${url.href}" width="100%" height="${height}" style="border:0" loading="lazy" allow="clipboard-write" title="Learning Dynamics Explorer: ${title}"></iframe>`
    : url.href;
  const d = $('#share-dialog');
  $('#share-title').textContent = embed ? (view ? 'Embed this view' : 'Embed this lab') : 'Link to this view';
  $('#share-label').textContent = embed ? 'HTML snippet' : 'Link';
  $('#share-text').value = text;
  $('#share-status').textContent = '';
  if (!embed) await copy(text);
  if (typeof d.showModal === 'function') d.showModal(); else d.setAttribute('open', '');
  $('#share-text').select();
}

export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    $('#share-status').textContent = 'Copied to the clipboard.';
  } catch {
    $('#share-status').textContent = 'Select the text and copy it (the clipboard is not available here).';
  }
}

export function setupShareDialog() {
  $('#share-close').addEventListener('click', () => $('#share-dialog').close());
  $('#share-copy').addEventListener('click', () => copy($('#share-text').value));
}
