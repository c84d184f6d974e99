// How the page loaded (BENCH_DEBUG): the navigation, every resource and the
// app's marks, in ms since navigation start.
const n = performance.getEntriesByType('navigation')[0];
const r = performance.getEntriesByType('resource').map(e => e.name.split('/').pop().slice(0, 24) + ' ' + Math.round(e.startTime) + '-' + Math.round(e.responseEnd));
const m = name => Math.round(performance.getEntriesByName(name)[0]?.startTime ?? -1);
return `html ${Math.round(n.responseEnd)}, dom ${Math.round(n.domInteractive)}; ${r.join(', ')}; main ${m('aa-main')}, ready ${m('aa-ready')}`;
