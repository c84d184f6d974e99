// What else a person does, each timed from the event to the next animation
// frame (BENCH_DEBUG). Run with execute_async; resolves with one line.
const done = arguments[0];
const out = [];
const frame = () => new Promise(r => requestAnimationFrame(() => r()));
const time = async (name, act) => { await frame(); const t0 = performance.now(); act(); await frame(); out.push(name + ' ' + (performance.now() - t0).toFixed(1)); };
const article = document.querySelector('article');
const key = (k, shift) => article.dispatchEvent(new KeyboardEvent('keydown', {key: k, shiftKey: !!shift, bubbles: true}));
(async () => {
  getSelection().removeAllRanges();
  await time('first arrow key (finds the words)', () => key('ArrowRight'));
  await time('arrow key', () => key('ArrowRight'));
  await time('shift+arrow', () => key('ArrowRight', true));
  await time('undo (ctrl+z)', () => window.dispatchEvent(new KeyboardEvent('keydown', {key: 'z', ctrlKey: true, bubbles: true})));
  await time('redo (ctrl+y)', () => window.dispatchEvent(new KeyboardEvent('keydown', {key: 'y', ctrlKey: true, bubbles: true})));
  const hl = article.querySelector('.hl [data-s]');
  await time('click on a highlight', () => hl.dispatchEvent(new MouseEvent('click', {bubbles: true})));
  const search = document.querySelector('.search input');
  await time('type in the list search', () => { search.value = 'the'; search.dispatchEvent(new Event('input', {bubbles: true})); });
  await time('clear the search', () => { search.value = ''; search.dispatchEvent(new Event('input', {bubbles: true})); });
  done(out.join(', '));
})();
