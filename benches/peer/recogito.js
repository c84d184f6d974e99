// The second side-by-side peer: @recogito/recogito-js (from npm, its UMD
// bundle, global `Recogito`) on the same page as the first peer's: the
// article text in one <pre>, the annotations read from localStorage (stored
// before the visit) in W3C form, each with a TextQuoteSelector and a
// TextPositionSelector (UTF-16 offsets into the text: the library counts
// the `textContent` lengths of the text nodes under the content element).
//
// "All annotations drawn": recogito-js draws a highlight by wrapping the
// annotated text in <span class="r6o-annotation" data-id="…"> inside the
// content element (one span per text node the range covers, so one
// annotation may have several). `setAnnotations` hands the list to its
// Highlighter, which drops annotations without a TextPositionSelector and
// wraps the others, 100 per animation frame, bottom to top; the Promise it
// returns resolves in the frame that wraps the last batch (then it adds
// relations, of which there are none). So "drawn" is that Promise resolved,
// and `peer-drawn` is marked at the next animation frame. After the mark
// (not timed) the page counts the distinct `data-id`s of the spans and
// keeps `{expected, drawn}` in `window.__peerDrawn`: the library catches
// and only logs an annotation it cannot draw, so the benchmark checks the
// count there.
(() => {
  const el = document.getElementById('content');
  // `mode: 'pre'`: the text stays as it is (otherwise recogito-js collapses
  // runs of white space first, and the offsets would not be the text's).
  const r = Recogito.init({ content: el, mode: 'pre' });
  window.__peer = r;
  const saved = JSON.parse(localStorage.getItem('peer-annotations') || '[]');
  const expected = saved.filter((a) =>
    [].concat(a.target.selector || []).some((s) => s.type === 'TextPositionSelector'),
  ).length;
  r.setAnnotations(saved).then(() =>
    requestAnimationFrame(() => {
      performance.mark('peer-drawn');
      const ids = new Set();
      for (const s of el.querySelectorAll('.r6o-annotation')) ids.add(s.dataset.id);
      window.__peerDrawn = { expected, drawn: ids.size };
    }),
  );
  performance.mark('peer-set');
})();
