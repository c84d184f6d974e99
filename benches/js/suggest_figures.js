// The suggest case's figures, read once the model's suggestions are drawn
// (see `suggest_run` in browser.rs). Times are ms from navigation start.
const kept = window.__aaLong;
if (!kept) return { error: 'the long-task observer was not installed' };
kept.observers.forEach(([o, keep]) => o.takeRecords().forEach(keep));
const first = name => {
  const e = performance.getEntriesByName(name);
  return e.length ? e[0].startTime : null;
};
const drawn = first('aa-all-rendered');
const tagged = first('aa-model-tagged');
// The refresh that takes the model's suggestions in (the first after the
// tagging), and the highlights' paint in the frame after it.
const after = performance.getEntriesByName('aa-suggestions').map(m => m.startTime).filter(t => t > tagged);
const withModel = after.length ? after[0] : null;
const painted = arguments[0];
const between = (from, to) => kept.tasks.filter(t => t.start >= from && t.start <= to);
const longest = ts => ts.reduce((m, t) => Math.max(m, t.duration), 0);
const toTagged = between(drawn, tagged);
const toPainted = between(drawn, painted);
const ready = first('aa-ready');
// What each long task after the first screen overlapped: the app's
// measures and the scripts of long animation frames (by invoker).
const measures = performance.getEntriesByType('measure');
const overlaps = (a0, a1, b0, b1) => a0 < b1 && b0 < a1;
const explain = between(ready, painted).map(t => ({
  start: Math.round(t.start),
  before_all_rendered: t.start < drawn,
  duration: Math.round(t.duration),
  measures: measures.filter(m => overlaps(t.start, t.start + t.duration, m.startTime, m.startTime + m.duration))
    .map(m => `${m.name} ${m.duration.toFixed(1)}`),
  scripts: kept.frames.flatMap(f => f.scripts)
    .filter(s => overlaps(t.start, t.start + t.duration, s.start, s.start + s.duration))
    .map(s => `${s.invoker}${s.function ? ' ' + s.function : ''} ${Math.round(s.duration)}`),
  frames: kept.frames.filter(f => overlaps(t.start, t.start + t.duration, f.start, f.start + f.duration))
    .map(f => ({ duration: Math.round(f.duration), script_end_to_render: Math.round(f.render_start ? f.render_start - f.start : 0), style_layout: Math.round(f.style_layout_start ? f.start + f.duration - f.style_layout_start : 0) })),
}));
const highlights = {};
if (window.CSS && CSS.highlights) {
  for (const [name, h] of CSS.highlights) if (name.startsWith('aa-sg-')) highlights[name] = h.size;
}
return {
  ready,
  long_while_drawing: between(ready, drawn).length,
  longest_while_drawing: longest(between(ready, drawn)),
  drawn,
  first_suggestions: first('aa-suggestions'),
  tagged,
  with_model: withModel,
  painted,
  longest_to_tagged: longest(toTagged),
  long_to_tagged: toTagged.length,
  longest_to_painted: longest(toPainted),
  long_to_painted: toPainted.length,
  refreshes: performance.getEntriesByName('aa-suggest').map(m => m.duration),
  highlights,
  explain,
  observer_error: kept.error || null,
};
