// "Add one" on the peer: adds an annotation over the first word of the
// text through the library's API and resolves at the animation frame after
// its highlight layer changed, with the elapsed ms (the method).
const [callback] = arguments;
const anno = window.__peer;
const text = document.getElementById('content').textContent;
const m = /\S+/.exec(text);
const layer = document.querySelector('.r6o-span-highlight-layer');
let finished = false;
const finish = (r) => { if (!finished) { finished = true; observer.disconnect(); callback(r); } };
const observer = new MutationObserver(() => {
  requestAnimationFrame(() => finish({ ms: performance.now() - t0 }));
});
if (layer) observer.observe(layer, { subtree: true, childList: true, attributes: true });
const t0 = performance.now();
anno.addAnnotation({
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  id: 'urn:uuid:00000000-0000-4000-8000-000000000001',
  type: 'Annotation',
  body: [{ type: 'TextualBody', purpose: 'tagging', value: 'entity' }],
  target: {
    source: 'urn:bench',
    selector: [
      { type: 'TextQuoteSelector', exact: m[0] },
      { type: 'TextPositionSelector', start: m.index, end: m.index + m[0].length },
    ],
  },
});
setTimeout(() => finish({ error: 'no highlight change in 5 s' }), 5000);
