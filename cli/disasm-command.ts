// pprof's -disasm=RE: assembly annotated with samples. pprof reads the instructions from the
// profiled binary with objdump; a profile holds neither. proflens says clearly what is missing
// (objdump, the binary the profile's mapping names) and what it can show instead (`list`).

import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { Profile } from '../src/profile/model.js';
import { ProfileError, UsageError } from '../src/profile/errors.js';
import { type CliIO, type SourceFlags, addViewOptions, loadOptions, withProgress } from './options.js';

/** registerDisasmCommand adds `disasm <regex> <source...>`. */
export function registerDisasmCommand(program: Command, io: CliIO, run: (action: () => Promise<void>, debug: boolean) => void): void {
  const cmd = program
    .command('disasm')
    .description('go tool pprof -disasm: needs the profiled binary and objdump; says what is missing and what to run instead')
    .argument('<regex>', 'functions to disassemble')
    .argument('<source...>', 'profile files or URLs, or - for standard input');
  addViewOptions(cmd).action((regex: string, sources: string[], flags: SourceFlags & Record<string, unknown>) => run(() => runDisasm(io, regex, sources, flags), !!flags.debug));
}

async function runDisasm(io: CliIO, regex: string, sources: string[], flags: SourceFlags & Record<string, unknown>): Promise<void> {
  const { compileGoRegExp } = await import('../src/profile/go-regexp.js');
  let re;
  try {
    re = compileGoRegExp(regex);
  } catch (e) {
    throw new UsageError(`parsing argument regexp ${regex}: ${(e as Error).message}`, { cause: e });
  }
  const { loadProfile } = await import('../src/driver/driver.js');
  const profile = await withProgress(io, (progress) => loadProfile(sources, { ...loadOptions(flags, io), ...progress }));
  const binaries = mappedFiles(profile, (name) => re.test(name));
  if (binaries.length === 0) throw new ProfileError(`no matches found for regexp: ${regex}`);
  const instead = `proflens list '${regex}' shows the source lines with their samples`;
  const objdump = await onPath('objdump', io.env ?? process.env);
  const missing = [];
  for (const b of binaries) if (b === '' || !(await isFile(b))) missing.push(b === '' ? '(the profile names no binary)' : b);
  if (!objdump) throw new ProfileError(`disasm needs objdump (GNU binutils) and the profiled binary, which the profile does not hold; ${instead}`);
  if (missing.length > 0) throw new ProfileError(`disasm needs the profiled binary to read instructions from: ${missing.join(', ')} is not there; ${instead}`);
  throw new ProfileError(`proflens does not disassemble; run go tool pprof -disasm='${regex}' ${binaries[0]} ${sources.join(' ')} (objdump and ${binaries.join(', ')} are here); ${instead}`);
}

/** mappedFiles lists the files of the mappings holding functions whose name matches. */
function mappedFiles(p: Profile, matches: (name: string) => boolean): string[] {
  const files = new Set<string>();
  const loc = p.locations;
  for (let l = 0; l < loc.length; l++) {
    for (let k = loc.lineStart[l]!; k < loc.lineStart[l + 1]!; k++) {
      const f = loc.lineFunction[k]!;
      if (f < 0 || !matches(p.strings[p.functions.name[f]!]!)) continue;
      const m = loc.mapping[l]!;
      files.add(m >= 0 ? p.mappings[m]!.file : '');
    }
  }
  return [...files];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** onPath tells whether a program is in one of the folders of PATH. */
async function onPath(program: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir !== '' && (await isFile(join(dir, program)))) return true;
  return false;
}
