// The saved annotations file under localStorage key `key`, re-serialised by
// the browser (compact, characters unescaped: the app may save non-ASCII
// characters as `\u` escapes), or '' when there is none.
(key) => {
  try {
    return JSON.stringify(JSON.parse(localStorage.getItem(key))) || '';
  } catch (e) {
    return '';
  }
}
