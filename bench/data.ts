// The benchmark's input files: generated once into bench/data/ (git-ignored) and reused, because
// the 1M-sample profile takes a while to build and the runs should all read the same bytes.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { encodeProfileProto } from '../src/profile/encode.js';
import { type Shape, defaultShape, syntheticProfile } from './synthetic.js';

/** BenchProfile is one input of the benchmark. */
export interface BenchProfile {
  /** Short name for the table ("tiny", "100k", "1M"). */
  readonly name: string;
  readonly file: string;
  readonly samples: number;
  readonly shape: Shape;
  /** Skipped under --quick. */
  readonly large: boolean;
  /** The generator's seed, when not the default one. */
  readonly seed?: number;
}

/** baseProfile is a profile of the same shape and size from another seed: the base of a diff. */
export function baseProfile(bp: BenchProfile): BenchProfile {
  return { ...bp, name: `${bp.name}-base`, file: bp.file.replace(/\.pb\.gz$/, '-base.pb.gz'), seed: seed + 1 };
}

// dist/bench/data.js → <repo>/bench/data: the data lives beside the sources, not in dist/, so
// that a clean build does not throw away a profile that took a while to generate.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dataDir = join(repoRoot, 'bench', 'data');

/** Fixed so that every run of the benchmark, on every machine, reads identical profiles. */
const seed = 20240601;

export const benchProfiles: readonly BenchProfile[] = [
  {
    name: 'tiny',
    file: join(dataDir, 'tiny.pb.gz'),
    samples: 10,
    // About 1 KB gzipped: what start-up costs, with almost nothing to decode.
    shape: { functions: 16, locations: 20, entryPaths: 3, allocators: 2 },
    large: false,
  },
  { name: '100k', file: join(dataDir, 'heap-100k.pb.gz'), samples: 100_000, shape: defaultShape, large: false },
  { name: '1M', file: join(dataDir, 'heap-1m.pb.gz'), samples: 1_000_000, shape: defaultShape, large: true },
];

/** FileInfo reports a profile's sizes, for the report. */
export interface FileInfo {
  readonly gzipBytes: number;
  readonly rawBytes: number;
  /** Set only when the file was generated in this run. */
  readonly generatedMs?: number;
}

/**
 * ensureProfile generates a profile's file unless it is already there (or regenerate is set).
 * The bytes go to a temporary name first, so an interrupted run never leaves a truncated file
 * that later runs would take for a finished one.
 */
export function ensureProfile(bp: BenchProfile, regenerate: boolean, log: (s: string) => void): FileInfo {
  const shown = relative(process.cwd(), bp.file) || bp.file;
  if (!regenerate && existsSync(bp.file)) {
    const gz = readFileSync(bp.file);
    const rawBytes = gunzipSync(gz).length;
    log(`using ${shown}: ${formatBytes(gz.length)} gzipped, ${formatBytes(rawBytes)} raw (--regenerate to rebuild)`);
    return { gzipBytes: gz.length, rawBytes };
  }
  mkdirSync(dataDir, { recursive: true });
  log(`generating ${shown}: ${bp.samples.toLocaleString('en-US')} samples, seed ${bp.seed ?? seed} …`);
  const t0 = performance.now();
  const profile = syntheticProfile(bp.samples, bp.seed ?? seed, bp.shape);
  const t1 = performance.now();
  log(`  built model in ${ms(t1 - t0)}; encoding …`);
  const raw = encodeProfileProto(profile);
  const t2 = performance.now();
  log(`  encoded ${formatBytes(raw.length)} in ${ms(t2 - t1)}; gzipping …`);
  const gz = gzipSync(raw);
  const tmp = `${bp.file}.tmp-${process.pid}`;
  writeFileSync(tmp, gz);
  renameSync(tmp, bp.file);
  const generatedMs = performance.now() - t0;
  log(`  wrote ${formatBytes(gz.length)} gzipped (${formatBytes(raw.length)} raw) in ${ms(generatedMs)} total`);
  return { gzipBytes: gz.length, rawBytes: raw.length, generatedMs };
}

export function formatBytes(n: number): string {
  if (n < 1e4) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}

function ms(t: number): string {
  return t < 1000 ? `${t.toFixed(0)} ms` : `${(t / 1000).toFixed(1)} s`;
}
