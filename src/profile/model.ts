// The Profile model: profile.proto decoded into resolved, columnar tables.
//
// Profiles reach hundreds of MB and millions of samples, so there is no object per sample,
// location or line: every table is a set of parallel typed arrays indexed 0..n-1, and every
// reference (sample → location, line → function, location → mapping) is already resolved to an
// index. The proto's ids are kept only so that an encode writes back the ids it read.
//
// A Profile is never mutated after it is built: merge, prune and filter build new ones and share
// the tables they do not change.

/** ValueType names a sample value and its unit (`alloc_space`/`bytes`, `cpu`/`nanoseconds`). */
export interface ValueType {
  readonly type: string;
  readonly unit: string;
}

/** Mapping is one mapped binary or library; few per profile, so plain objects. */
export interface Mapping {
  readonly id: number;
  readonly memoryStart: bigint;
  readonly memoryLimit: bigint;
  readonly fileOffset: bigint;
  readonly file: string;
  readonly buildId: string;
  readonly hasFunctions: boolean;
  readonly hasFilenames: boolean;
  readonly hasLineNumbers: boolean;
  readonly hasInlineFrames: boolean;
}

/** FunctionTable holds every function; names are indexes into Profile.strings. */
export interface FunctionTable {
  readonly length: number;
  readonly id: Float64Array;
  readonly name: Uint32Array;
  readonly systemName: Uint32Array;
  readonly filename: Uint32Array;
  readonly startLine: Float64Array;
}

/**
 * LocationTable holds every location. Location i's lines are lineFunction/lineNumber/lineColumn
 * at lineStart[i] .. lineStart[i+1]-1, leaf (innermost inlined frame) first, as in the proto.
 */
export interface LocationTable {
  readonly length: number;
  readonly id: Float64Array;
  /** Index into Profile.mappings, or -1 when the location names no mapping. */
  readonly mapping: Int32Array;
  readonly address: BigUint64Array;
  readonly isFolded: Uint8Array;
  readonly lineStart: Uint32Array;
  /** Index into Profile.functions, or -1 when the line names no function. */
  readonly lineFunction: Int32Array;
  readonly lineNumber: Float64Array;
  readonly lineColumn: Float64Array;
}

/**
 * LabelTable holds the samples' labels: sample i's labels are entries labelStart[i] ..
 * labelStart[i+1]-1. A string label has str > 0; a numeric one has str = 0 and num/numUnit.
 */
export interface LabelTable {
  readonly start: Uint32Array;
  readonly key: Uint32Array;
  readonly str: Uint32Array;
  readonly num: Float64Array;
  readonly numUnit: Uint32Array;
}

/**
 * SampleTable holds every sample. Sample i's stack is locations[stackStart[i] .. stackStart[i+1]-1]
 * (location indexes, leaf first); its values are values[i*nTypes .. i*nTypes+nTypes-1].
 */
export interface SampleTable {
  readonly length: number;
  readonly stackStart: Uint32Array;
  readonly locations: Uint32Array;
  /** Values as numbers: exact for |v| ≤ 2^53, which every real profile stays within. */
  readonly values: Float64Array;
  /** The exact int64 values, present only when some value lies outside ±2^53. */
  readonly exactValues?: BigInt64Array;
  /** Labels, present only when some sample has one. */
  readonly labels?: LabelTable;
}

/** Profile is a decoded pprof profile. */
export interface Profile {
  /** The string table; index 0 is always "". */
  readonly strings: readonly string[];
  readonly sampleTypes: readonly ValueType[];
  readonly defaultSampleType: string;
  readonly samples: SampleTable;
  readonly mappings: readonly Mapping[];
  readonly locations: LocationTable;
  readonly functions: FunctionTable;
  readonly dropFrames: string;
  readonly keepFrames: string;
  readonly timeNanos: number;
  /** The exact time when timeNanos (a number) cannot hold it: every current time, below 1 µs. */
  readonly timeNanosExact?: bigint;
  readonly durationNanos: number;
  readonly periodType: ValueType | undefined;
  readonly period: number;
  readonly comments: readonly string[];
  readonly docUrl: string;
}

/** hasEmptyStack tells whether some sample has no location at all. */
export function hasEmptyStack(p: Profile): boolean {
  const st = p.samples.stackStart;
  for (let i = 0; i < p.samples.length; i++) if (st[i] === st[i + 1]) return true;
  return false;
}
