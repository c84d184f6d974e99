// "Add one" on the second peer (recogito-js): adds an annotation over the
// first word of the text through its API (`addAnnotation`, which wraps the
// highlight's span at once) and resolves at the animation frame after the
// new annotation's <span class="r6o-annotation"> is in the DOM (found by a
// MutationObserver), with the elapsed ms.
const [callback] = arguments;
const r = window.__peer;
const el = document.getElementById('content');
const m = /\S+/.exec(el.textContent);
const id = 'urn:uuid:00000000-0000-4000-8000-000000000001';
const drawn = () => el.querySelector(`.r6o-annotation[data-id="${id}"]`) !== null;
let finished = false;
const finish = (res) => { if (!finished) { finished = true; observer.disconnect(); callback(res); } };
const observer = new MutationObserver(() => {
  if (drawn()) {
    observer.disconnect();
    requestAnimationFrame(() => finish({ ms: performance.now() - t0 }));
  }
});
observer.observe(el, { subtree: true, childList: true });
const t0 = performance.now();
r.addAnnotation({
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  id,
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
setTimeout(() => finish({ error: 'no highlight in 5 s' }), 5000);
