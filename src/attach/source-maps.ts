// Source maps for profiles taken by attach: frames of transpiled JavaScript mapped back to the
// .ts (or other) sources, as the agent does, with the same reader (@datadog/pprof's SourceMapper,
// loaded only when maps are looked for). By default the maps are looked for beside the process's
// main script, as the agent looks beside its application's.

import { readFileSync, readlinkSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { FrameMapper } from '../v8/frames.js';

/** mainScriptDir is the folder of the script a Node process runs, read from /proc; undefined when unknown. */
export function mainScriptDir(pid: number): string | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1);
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    // Node's options come first; those taking a separate value are rare and spelled --opt=value by habit.
    const script = args.find((a) => a !== '' && !a.startsWith('-'));
    if (!script) return undefined;
    return dirname(isAbsolute(script) ? script : resolve(cwd, script));
  } catch {
    return undefined;
  }
}

/**
 * sourceMapFrames reads the source maps found under dirs and returns a FrameMapper, or undefined
 * when there are no dirs or no maps. `/` is never searched: a walk of the whole disk is no default.
 */
export async function sourceMapFrames(dirs: readonly string[], warn: (msg: string) => void): Promise<FrameMapper | undefined> {
  const roots = dirs.filter((d) => d !== '' && resolve(d) !== '/');
  if (roots.length === 0) return undefined;
  const { SourceMapper } = await import('@datadog/pprof');
  let mapper: InstanceType<typeof SourceMapper>;
  try {
    mapper = await SourceMapper.create([...roots]);
  } catch (e) {
    warn(`reading source maps under ${roots.join(', ')}: ${(e as Error).message}`);
    return undefined;
  }
  if (mapper.infoMap.size === 0) return undefined;
  return (p) => {
    if (p.line <= 0 || p.file === '') return p;
    const m = mapper.mappingInfo({ file: p.file, line: p.line, column: p.column, name: p.name });
    if (m.file === undefined || m.file === p.file) return p;
    // V8's name is the one the function has at run time; the map's name at that spot may be any identifier.
    return { name: p.name, file: m.file, line: m.line ?? p.line, column: m.column ?? 0 };
  };
}
