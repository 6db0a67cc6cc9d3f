// `proflens proto --format speedscope|folded|flamegraph.html|cpuprofile`: the profile after
// filters in another tool's format (src/export), printed or written with --output like any view.

import { Option } from 'commander';
import { UsageError } from '../src/profile/errors.js';
import { type CliIO, type SourceFlags, type ViewFlags, configFromFlags, emit, loadOptions, withProgress } from './options.js';

/** formatOption is proto's --format: pprof (the default) or an export format. */
export function formatOption(): Option {
  return new Option('--format <format>', 'write the profile as pprof protobuf (default), speedscope JSON, folded stacks, a self-contained HTML flame graph or a V8 .cpuprofile').choices([
    'pprof',
    'speedscope',
    'folded',
    'flamegraph.html',
    'cpuprofile',
  ]);
}

/** wantsExport tells whether proto's flags ask for another format than pprof's. */
export function wantsExport(flags: { format?: unknown }): boolean {
  return typeof flags.format === 'string' && flags.format !== 'pprof';
}

/** runExport loads the sources and writes them in the format asked for. */
export async function runExport(io: CliIO, sources: string[], flags: ViewFlags & SourceFlags & { format?: string } & Record<string, unknown>): Promise<void> {
  const { isExportFormat } = await import('../src/export/formats.js');
  const format = flags.format ?? '';
  if (!isExportFormat(format)) throw new UsageError(`--format: ${JSON.stringify(format)} is not one of pprof, speedscope, folded, flamegraph.html, cpuprofile`);
  if (flags.json) throw new UsageError(`--json: proto --format ${format} prints a profile, not rows`);
  const cfg = configFromFlags(flags);
  const { loadProfile } = await import('../src/driver/driver.js');
  const profile = await withProgress(io, (progress) => loadProfile(sources, { ...loadOptions(flags, io), ...progress }));
  const { exportProfile } = await import('../src/export/export.js');
  const text = await exportProfile(profile, format, cfg, sources.length === 1 ? sources[0]! : 'merged profiles', { warn: (m) => io.stderr(`${m}\n`) });
  await emit(io, { ...(flags.output !== undefined && { output: flags.output }) }, { text });
}
