// pprof's disasm on a loaded profile, for both the CLI's -disasm and the shell's `disasm`: find the
// binaries of the matching functions, check that `go` and those binaries are there (a profile holds
// no instructions), and annotate their instructions. What is missing is said in one line, with
// what shows the source lines instead.

import { open, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { Config } from '../driver/config.js';
import type { Profile } from '../profile/model.js';
import type { GoRegexp } from '../profile/go-regexp.js';
import { ProfileError } from '../profile/errors.js';
import { executableFormat } from '../profile/first-bytes.js';
import type { DisasmView } from '../report/disasm.js';

/** DisasmOptions say where the instructions come from and how to talk about what is missing. */
export interface DisasmOptions {
  /** The binary named before the profiles (`go tool pprof BINARY PROFILE`); else each mapping's path. */
  readonly binary?: string | undefined;
  /** The environment whose PATH holds `go`. */
  readonly env: NodeJS.ProcessEnv;
  /** What shows the source lines instead (`proflens list 're'` on the CLI, `list re` in the shell). */
  readonly instead: string;
  readonly warn?: (msg: string) => void;
}

/**
 * disasmProfile is the disasm report of the functions matching re (regex is its text, for
 * messages), with the settings of cfg overridden as pprof overrides them for disasm.
 */
export async function disasmProfile(profile: Profile, re: GoRegexp, regex: string, cfg: Config, o: DisasmOptions): Promise<DisasmView> {
  const binaries = mappedFiles(profile, (name) => re.test(name));
  if (binaries.length === 0) throw new ProfileError(`no matches found for regexp: ${regex}`);
  const go = await onPath('go', o.env);
  if (!go) throw new ProfileError(`disasm needs the go command (go tool objdump, the disassembler go tool pprof uses) and the profiled binary, which the profile does not hold; ${o.instead}`);
  const missing = [];
  if (!o.binary) for (const b of binaries) if (b === '' || !(await isFile(b))) missing.push(b === '' ? '(the profile names no binary)' : b);
  if (missing.length > 0) throw new ProfileError(`disasm needs the profiled binary to read instructions from: ${missing.join(', ')} is not there (name it before the profile); ${o.instead}`);
  const [{ prepareReport }, { disasmView }, { goDisassembler }] = await Promise.all([
    import('../driver/driver.js'),
    import('../report/disasm.js'),
    import('./go-objdump.js'),
  ]);
  // pprof's overrides for disasm (applyCommandOverrides): no trimming, one node per address.
  const rpt = await prepareReport(profile, { ...cfg, trim: false, granularity: 'addresses', noInlines: true }, { ...(o.warn && { warn: o.warn }) });
  return disasmView(rpt, re, (file) => o.binary ?? file, goDisassembler(go));
}

/**
 * isElfFile tells whether a source is a local ELF file (an executable named before the profiles),
 * by the magic number the profile reader already knows executables by.
 */
async function isElfFile(path: string): Promise<boolean> {
  try {
    const f = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await f.read(Buffer.alloc(4), 0, 4, 0);
      return executableFormat(buffer.subarray(0, bytesRead)) === 'ELF';
    } finally {
      await f.close();
    }
  } catch {
    return false;
  }
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

/** onPath finds a program in one of the folders of PATH. */
async function onPath(program: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir !== '' && (await isFile(join(dir, program)))) return join(dir, program);
  return undefined;
}

/**
 * splitBinary takes the binary pprof accepts before the profiles (`go tool pprof BINARY PROFILE`):
 * a first source that is a local ELF file, when more sources follow.
 */
export async function splitBinary(sources: readonly string[]): Promise<{ binary: string | undefined; profiles: string[] }> {
  const binary = sources.length > 1 && (await isElfFile(sources[0]!)) ? sources[0]! : undefined;
  return { binary, profiles: binary === undefined ? [...sources] : sources.slice(1) };
}
