// drop_frames / keep_frames: a profile may name frames (allocator internals, runtime helpers)
// that pprof cuts from every stack, together with everything they call. Same rules as pprof's
// Profile.Prune: a location whose outermost matching frame is its outermost line goes entirely;
// otherwise its lines keep only the callers of that frame; a sample's stack is cut at the first
// pruned location below a user frame.

import { type GoRegexp, GoRegexpError, compileGoRegExp } from './go-regexp.js';
import type { Profile } from './model.js';
import { rebuildLines, rebuildSamples } from './rebuild.js';

const bracket = /\(anonymous namespace\)|operator\(\)|\(/g;

/** simplifyFuncName drops a C++-style argument list and the PPC leading dot from a name. */
export function simplifyFuncName(name: string): string {
  const f = name.startsWith('.') ? name.slice(1) : name;
  bracket.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = bracket.exec(f))) {
    if (m[0] === '(') return f.slice(0, m.index);
  }
  return f;
}

/**
 * removeUninteresting applies the profile's drop_frames and keep_frames, as pprof does on load.
 * Both are Go regexes, anchored at both ends. When either does not compile, pprof ignores the
 * error (its fetch discards RemoveUninteresting's result) and prunes nothing; so does proflens.
 */
export function removeUninteresting(p: Profile): Profile {
  if (p.dropFrames === '') return p;
  let drop: GoRegexp;
  let keep: GoRegexp | undefined;
  try {
    drop = compileGoRegExp(`^(${p.dropFrames})$`);
    if (p.keepFrames !== '') keep = compileGoRegExp(`^(${p.keepFrames})$`);
  } catch (e) {
    if (e instanceof GoRegexpError) return p;
    throw e;
  }
  return prune(p, (name) => drop.test(name) && !(keep && keep.test(name)));
}

/** prune cuts every frame whose simplified name matches, and what it calls, from the profile. */
export function prune(p: Profile, matches: (simplifiedName: string) => boolean): Profile {
  const { locations: loc, functions: fn, strings } = p;
  const fnMatch = new Int8Array(fn.length); // 0 unknown, 1 match, 2 no match
  const matchFn = (f: number): boolean => {
    if (fnMatch[f] === 0) {
      const name = strings[fn.name[f]!]!;
      fnMatch[f] = name !== '' && matches(simplifyFuncName(name)) ? 1 : 2;
    }
    return fnMatch[f] === 1;
  };

  // 0: untouched, 1: prune whole location, 2: prune beneath (lines trimmed).
  const state = new Uint8Array(loc.length);
  const newLineStart = new Uint32Array(loc.length); // first kept line of trimmed locations
  let anyTrimmed = false;
  for (let l = 0; l < loc.length; l++) {
    const a = loc.lineStart[l]!;
    const b = loc.lineStart[l + 1]!;
    let i = b - 1;
    for (; i >= a; i--) {
      const f = loc.lineFunction[i]!;
      if (f >= 0 && matchFn(f)) break;
    }
    if (i >= a) {
      if (i === b - 1) state[l] = 1;
      else {
        state[l] = 2;
        newLineStart[l] = i + 1;
        anyTrimmed = true;
      }
    }
  }

  const locations = anyTrimmed ? rebuildLines(loc, (l, k) => state[l] !== 2 || k >= newLineStart[l]!) : loc;

  // Scan each stack from the root; cut at the first pruned location below a user frame.
  const samples = rebuildSamples(p, (_, a, b) => {
    let foundUser = false;
    for (let i = b - 1; i >= a; i--) {
      const st = state[p.samples.locations[i]!]!;
      if (st === 0) {
        foundUser = true;
        continue;
      }
      if (foundUser) return [st === 1 ? i + 1 : i, b];
    }
    return [a, b];
  });
  return { ...p, locations, samples };
}
