// Users and profiles write regular expressions in Go's RE2 syntax (drop_frames, -focus, -show…).
// JavaScript's syntax is a superset for nearly everything pprof users write; this translates the
// few RE2 spellings JavaScript lacks.

/** compileGoRegExp compiles an RE2-syntax pattern; `(?i)` prefixes and `(?P<name>` are translated. */
export function compileGoRegExp(source: string): RegExp {
  let flags = '';
  let src = source;
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const f of m[1]!) if (f === 'i' || f === 'm' || f === 's') flags += f;
  }
  src = src.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$');
  return new RegExp(src, flags);
}
