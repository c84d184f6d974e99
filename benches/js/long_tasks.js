// Installed before the app's scripts (the suggest case, with
// App::before_every_page): keeps every long task (≥ 50 ms) and long
// animation frame of the page in window.__aaLong, so that those of loading
// and training are all there when the benchmark reads them.
(() => {
  const kept = { tasks: [], frames: [], observers: [] };
  window.__aaLong = kept;
  const watch = (type, keep) => {
    try {
      const o = new PerformanceObserver(list => list.getEntries().forEach(keep));
      o.observe({ type, buffered: true });
      kept.observers.push([o, keep]);
    } catch (e) {
      kept.error = String(e);
    }
  };
  watch('longtask', e => kept.tasks.push({ start: e.startTime, duration: e.duration }));
  watch('long-animation-frame', e => kept.frames.push({
    start: e.startTime,
    duration: e.duration,
    render_start: e.renderStart,
    style_layout_start: e.styleAndLayoutStart,
    scripts: e.scripts.map(s => ({
      start: s.startTime,
      duration: s.duration,
      invoker: s.invoker,
      function: s.sourceFunctionName,
      forced_layout: s.forcedStyleAndLayoutDuration,
    })),
  }));
})();
