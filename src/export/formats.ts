// The formats `proflens proto --format` writes besides pprof's own protobuf.

/** exportFormats are the other tools' formats a profile can be written in. */
export const exportFormats = ['speedscope', 'folded', 'flamegraph.html', 'cpuprofile'] as const;

/** ExportFormat names one of them. */
export type ExportFormat = (typeof exportFormats)[number];

/** isExportFormat tells whether a --format value names an export format. */
export function isExportFormat(f: string): f is ExportFormat {
  return (exportFormats as readonly string[]).includes(f);
}
