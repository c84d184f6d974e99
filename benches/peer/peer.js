// The side-by-side peer (issue 19): @recogito/text-annotator (from npm,
// its UMD bundle) on the same workload. The page holds the article text in
// one <pre> (so the library's offsets are those of the text); the
// annotations are read from localStorage (stored before the visit, as the
// app's saved state is) in W3C form, handed to the annotator, and
// `peer-drawn` is marked at the animation frame after its highlight layer
// has them (its span renderer draws those on screen).
(() => {
  const { createTextAnnotator, W3CTextFormat } = window.RecogitoJS;
  const el = document.getElementById('content');
  const anno = createTextAnnotator(el, { adapter: W3CTextFormat('urn:bench', el) });
  window.__peer = anno;
  const saved = JSON.parse(localStorage.getItem('peer-annotations') || '[]');
  const drawn = () => {
    const layer = document.querySelector('.r6o-span-highlight-layer');
    return saved.length === 0 || (layer && layer.childElementCount > 0);
  };
  const done = () => requestAnimationFrame(() => performance.mark('peer-drawn'));
  const observer = new MutationObserver(() => {
    if (drawn()) { observer.disconnect(); done(); }
  });
  observer.observe(document.body, { subtree: true, childList: true });
  anno.setAnnotations(saved);
  performance.mark('peer-set');
  if (drawn()) { observer.disconnect(); done(); }
})();
