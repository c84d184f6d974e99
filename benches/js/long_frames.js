// The last long animation frames since the page loaded (BENCH_DEBUG): where
// frame time went (none after a second: an empty list). Run with
// execute_async.
const callback = arguments[0];
let sent = false;
const done = frames => { if (!sent) { sent = true; callback(frames); } };
new PerformanceObserver(list => done(list.getEntries().slice(-4).map(e => ({
    start: Math.round(e.startTime), duration: Math.round(e.duration),
    render_start: Math.round(e.renderStart - e.startTime),
    style_layout_start: Math.round(e.styleAndLayoutStart - e.startTime),
    scripts: e.scripts.map(s => [s.invoker, Math.round(s.duration), Math.round(s.forcedStyleAndLayoutDuration)]),
})))).observe({type: 'long-animation-frame', buffered: true});
setTimeout(() => done([]), 1000);
