// pprof's -disasm=RE: assembly annotated with samples. A profile holds no instructions: they are
// read from the profiled binary (named first, as `go tool pprof BINARY PROFILE` takes it, or found at
// the path the profile's mapping names) with Go's disassembler (`go tool objdump`), which is what
// go tool pprof itself uses. What is missing (go, the binary) is said in one line, with `list`.

import type { Command } from 'commander';
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
  const { compileArgument, loadProfile } = await import('../src/driver/driver.js');
  const re = await compileArgument(regex);
  const { disasmProfile, splitBinary } = await import('../src/binutils/disasm-profile.js');
  const { binary: given, profiles } = await splitBinary(sources);
  const cfg = configFromFlags(flags);
  const profile = await withProgress(io, (progress) => loadProfile(profiles, { ...loadOptions(flags, io), ...progress }));
  const { renderDisasm } = await import('../src/report/disasm.js');
  const data = await disasmProfile(profile, re, regex, cfg, {
    binary: given,
    env: io.env ?? process.env,
    instead: `proflens list '${regex}' shows the source lines with their samples`,
    warn: (m) => io.stderr(`${m}\n`),
  });
  await emit(io, flags, { data, text: renderDisasm(data) });
}
