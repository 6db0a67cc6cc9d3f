// pprof's -disasm=RE: assembly annotated with samples. A profile holds no instructions: they are
// read from the profiled binary (named first, as `go tool pprof BINARY PROFILE` takes it, or found at
// the path the profile's mapping names) with Go's disassembler (`go tool objdump`), which is what
// go tool pprof itself uses. What is missing (go, the binary) is said in one line, with `list`.

import type { Command } from 'commander';
import { open, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { Profile } from '../src/profile/model.js';
import { ProfileError, UsageError } from '../src/profile/errors.js';
import { executableFormat } from '../src/profile/parse.js';
import { type CliIO, type SourceFlags, type ViewFlags, addViewOptions, configFromFlags, emit, loadOptions, withProgress } from './options.js';

/** registerDisasmCommand adds `disasm <regex> [binary] <source...>`. */
export function registerDisasmCommand(program: Command, io: CliIO, run: (action: () => Promise<void>, debug: boolean) => void): void {
  const cmd = program
    .command('disasm')
    .description('go tool pprof -disasm: the instructions of matching functions with their samples (needs the profiled binary and go)')
    .argument('<regex>', 'functions to disassemble')
    .argument('<source...>', 'the profiled binary (optional, first), then profile files or URLs, or - for standard input');
  addViewOptions(cmd).action((regex: string, sources: string[], flags: ViewFlags & SourceFlags & Record<string, unknown>) => run(() => runDisasm(io, regex, sources, flags), !!flags.debug));
}

async function runDisasm(io: CliIO, regex: string, sources: string[], flags: ViewFlags & SourceFlags & Record<string, unknown>): Promise<void> {
  const { compileGoRegExp } = await import('../src/profile/go-regexp.js');
  let re;
  try {
    re = compileGoRegExp(regex);
  } catch (e) {
    throw new UsageError(`parsing argument regexp ${regex}: ${(e as Error).message}`, { cause: e });
  }
  // pprof takes the binary before the profiles.
  const given = sources.length > 1 && (await isElf(sources[0]!)) ? sources[0]! : undefined;
  const profiles = given ? sources.slice(1) : sources;
  const cfg = configFromFlags(flags);
  const { loadProfile, prepareReport } = await import('../src/driver/driver.js');
  const profile = await withProgress(io, (progress) => loadProfile(profiles, { ...loadOptions(flags, io), ...progress }));
  const binaries = mappedFiles(profile, (name) => re.test(name));
  if (binaries.length === 0) throw new ProfileError(`no matches found for regexp: ${regex}`);
  const instead = `proflens list '${regex}' shows the source lines with their samples`;
  const go = await onPath('go', io.env ?? process.env);
  if (!go) throw new ProfileError(`disasm needs the go command (go tool objdump, the disassembler go tool pprof uses) and the profiled binary, which the profile does not hold; ${instead}`);
  const missing = [];
  if (!given) for (const b of binaries) if (b === '' || !(await isFile(b))) missing.push(b === '' ? '(the profile names no binary)' : b);
  if (missing.length > 0) throw new ProfileError(`disasm needs the profiled binary to read instructions from: ${missing.join(', ')} is not there (name it before the profile); ${instead}`);
  const { disasmView, renderDisasm } = await import('../src/report/disasm.js');
  const { goDisassembler } = await import('../src/binutils/go-objdump.js');
  const rpt = await prepareReport(profile, { ...cfg, trim: false, granularity: 'addresses', noInlines: true }, { warn: (m) => io.stderr(`${m}\n`) });
  const data = await disasmView(rpt, re, (file) => given ?? file, goDisassembler(go));
  await emit(io, flags, { data, text: renderDisasm(data) });
}

/**
 * isElf tells whether a source is a local ELF file (an executable named before the profiles), by
 * the magic number the profile reader already knows executables by.
 */
async function isElf(path: string): Promise<boolean> {
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
