// Changes the digest's Kind filter to "commitment" as a person choosing it
// and resolves at the next animation frame after the table changed, with
// the elapsed ms. Run with execute_async (no arguments).
const callback = arguments[arguments.length - 1];
const digest = document.querySelector('.digest');
const select = document.querySelector('.digest select.f-kind');
if (!digest || !select) { callback({error: 'no digest'}); return; }
let t0 = 0;
let finished = false;
const observer = new MutationObserver(() => {
  if (finished) return;
  finished = true;
  observer.disconnect();
  requestAnimationFrame(() => callback({ms: performance.now() - t0}));
});
observer.observe(document.querySelector('main'), {childList: true, subtree: true, characterData: true});
t0 = performance.now();
select.value = 'commitment';
select.dispatchEvent(new Event('change', {bubbles: true}));
setTimeout(() => { if (!finished) { finished = true; observer.disconnect(); callback({error: 'no change'}); } }, 10000);
