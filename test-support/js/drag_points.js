// Viewport points of the left edge of code point `s` and the right edge of
// code point `e - 1` in the open article, after scrolling them into view:
// [left x, left y, right x, right y], or null when a code point is not drawn.
function (s, e) {
  const runs = [...document.querySelectorAll('article [data-s]')];
  const find = (cp) => runs.find(r => +r.dataset.s <= cp && cp < +r.dataset.e);
  const utf16 = (text, n) => { let u = 0, i = 0; for (const ch of text) { if (i++ >= n) break; u += ch.length; } return u; };
  const rect = (cp) => {
    const run = find(cp); if (!run) return null;
    const t = run.firstChild, text = t.data;
    const a = utf16(text, cp - +run.dataset.s), b = utf16(text, cp - +run.dataset.s + 1);
    const r = document.createRange(); r.setStart(t, a); r.setEnd(t, b);
    return r;
  };
  const first = rect(s), last = rect(e - 1);
  if (!first || !last) return null;
  first.startContainer.parentElement.scrollIntoView({block: 'center'});
  const a = first.getClientRects()[0], b = last.getClientRects()[last.getClientRects().length - 1];
  return [a.left + 1, a.top + a.height / 2, b.right - 1, b.top + b.height / 2];
}
