// The compare case (issue 18), run in the page with the Compare dialog
// open: fetches the two files the benchmark wrote into the build folder,
// chooses both in the dialog's file input at once (as the file chooser
// would), presses Compare as soon as both are read, and resolves two
// frames after the report is in the DOM: the time from choosing the files
// to the report painted, and every long task (≥ 50 ms) in that window.
const [a, b, done] = arguments;
(async () => {
  try {
    const texts = await Promise.all([a, b].map(u => fetch(u).then(r => r.text())));
    const input = document.querySelector('input.compare-file');
    const dt = new DataTransfer();
    dt.items.add(new File([texts[0]], 'annotator-a.json', { type: 'application/json' }));
    dt.items.add(new File([texts[1]], 'annotator-b.json', { type: 'application/json' }));
    const frame = () => new Promise(r => requestAnimationFrame(r));
    await frame();
    const t0 = performance.now();
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    while (document.querySelectorAll('.compare-dialog .side').length < 2) {
      if (performance.now() - t0 > 60000) throw new Error('the files were not read');
      await frame();
    }
    const read = performance.now();
    document.querySelector('button.run-compare').click();
    while (!document.querySelector('.compare-report')) {
      if (performance.now() - t0 > 60000) throw new Error('no report');
      await frame();
    }
    await frame();
    await frame();
    const t1 = performance.now();
    const long = ((window.__aaLong || {}).tasks || [])
      .filter(t => t.start + t.duration > t0 && t.start < t1)
      .map(t => [Math.round(t.start - t0), Math.round(t.duration)]);
    const m = performance.getEntriesByName('aa-compare');
    done({
      ms: t1 - t0,
      read_ms: read - t0,
      compare_ms: m.length ? m[m.length - 1].duration : null,
      long_tasks: long,
      differences: Number(document.querySelector('.article-report .summary')?.dataset.disagreements),
      steps: performance.getEntriesByType('measure')
        .filter(m => m.name.startsWith('aa-compare-'))
        .map(m => [m.name.slice(11), Math.round(m.startTime - t0), Math.round(m.duration)]),
      exact_f1: document.querySelector('.compare-report td[data-figure=f1_exact] .value')?.textContent,
    });
  } catch (e) {
    done({ error: String(e) });
  }
})();
