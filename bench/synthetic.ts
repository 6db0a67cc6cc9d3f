// A deterministic generator of Go-heap-shaped profiles for the benchmark.
//
// Real heap profiles large enough to stress the tool are not something we can ship, so this builds
// one directly as the columnar model. What matters for speed is the shape, not the names: many
// distinct functions and locations, deep stacks that share prefixes (so graphs merge heavily),
// a skewed distribution of hot frames (so top/trim have real work), inlined frames, and varint
// widths close to a real profile's (so the decoder sees realistic bytes). Everything comes from a
// seeded PRNG so that the same arguments always give the same bytes.

import type { Profile } from '../src/profile/model.js';

/** Shape are the table sizes; the defaults give about 96 bytes of protobuf per sample. */
export interface Shape {
  readonly functions: number;
  readonly locations: number;
  /** Number of shared stack prefixes ("entry paths": goroutine roots down to a handler). */
  readonly entryPaths: number;
  /** How many of the stdlib allocator functions to use (at most all 16); tiny profiles use few. */
  readonly allocators: number;
}

export const defaultShape: Shape = { functions: 50_000, locations: 100_000, entryPaths: 600, allocators: 16 };

/** mulberry32 is a small, fast 32-bit PRNG; good enough for shaping data, and reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * zipf draws a rank in 0..n-1 with P(rank ≤ r) ≈ ln(r+1)/ln(n+1), i.e. Zipf with exponent 1:
 * the inverse of that CDF needs no table, and exponent 1 is the usual shape of "a few hot frames".
 */
function zipf(rand: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(rand() * Math.log(n + 1))) - 1);
}

// The runtime/stdlib frames every Go service shows: goroutine root chains (root first), and the
// allocators that end most heap stacks.
const rootChains = [
  ['runtime.goexit', 'runtime.main', 'main.main'],
  ['runtime.goexit', 'net/http.(*conn).serve', 'net/http.serverHandler.ServeHTTP', 'net/http.HandlerFunc.ServeHTTP'],
  ['runtime.goexit', 'google.golang.org/grpc.(*Server).serveStreams.func1.2', 'google.golang.org/grpc.(*Server).handleStream'],
  ['runtime.goexit', 'github.com/IBM/sarama.(*consumerGroupSession).consume'],
];
const roots = [...new Set(rootChains.flat())];
const allocators = [
  'bytes.growSlice',
  'strings.(*Builder).grow',
  'encoding/json.(*decodeState).literalStore',
  'encoding/json.Marshal',
  'reflect.unsafe_New',
  'reflect.MakeSlice',
  'runtime.malg',
  'bufio.NewReaderSize',
  'bufio.NewWriterSize',
  'compress/flate.NewWriter',
  'google.golang.org/protobuf/internal/impl.consumeBytes',
  'google.golang.org/protobuf/proto.MarshalOptions.marshal',
  'fmt.Sprintf',
  'strconv.appendQuotedWith',
  'sync.(*Pool).Get',
  'context.WithCancel',
];
const verbs = ['Get', 'Put', 'Handle', 'Encode', 'Decode', 'Marshal', 'Process', 'Load', 'Store', 'Flush', 'Read', 'Write', 'Apply', 'Validate', 'Merge', 'Scan'];
const nouns = ['Request', 'Batch', 'Record', 'Span', 'Entry', 'Chunk', 'Index', 'Cache', 'Session', 'Frame', 'Client', 'Store'];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Go's allocation size classes (a subset), in bytes; large objects are drawn separately. */
const sizeClasses = [8, 16, 24, 32, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 512, 640, 768, 1024, 1280, 1536, 2048, 3072, 4096, 6144, 8192, 10240, 16384, 32768];

/** syntheticProfile builds a heap profile of nSamples samples; same arguments, same profile. */
export function syntheticProfile(nSamples: number, seed: number, shape: Shape = defaultShape): Profile {
  const rand = mulberry32(seed);
  const allocs = allocators.slice(0, Math.max(1, shape.allocators));
  const nFn = Math.max(shape.functions, roots.length + allocs.length + 1);
  const nLoc = Math.max(shape.locations, nFn);
  const strings: string[] = [''];
  const str = (s: string): number => strings.push(s) - 1;

  // Functions: the fixed runtime/stdlib ones, then services' methods, every name distinct because
  // it spells out its (service, package, type, method) tuple.
  const fnName = new Uint32Array(nFn);
  const fnFile = new Uint32Array(nFn);
  const fnStart = new Float64Array(nFn);
  const fixed = [...roots, ...allocs];
  const stdFiles = new Map<string, number>();
  for (let f = 0; f < fixed.length; f++) {
    const name = fixed[f]!;
    const pkg = name.slice(0, name.indexOf('.', name.lastIndexOf('/') + 1));
    let file = stdFiles.get(pkg);
    // Standard library under GOROOT, third-party modules (a dot in the first element) in the cache.
    const root = pkg.split('/')[0]!.includes('.') ? '/home/build/go/pkg/mod' : '/usr/local/go/src';
    if (file === undefined) stdFiles.set(pkg, (file = str(`${root}/${pkg}/${pkg.split('/').pop()}.go`)));
    fnName[f] = str(name);
    fnFile[f] = file;
    fnStart[f] = 20 + Math.floor(rand() * 900);
  }
  let fileIdx = 0;
  for (let f = fixed.length, k = 0; f < nFn; f++, k++) {
    // k = ((svc*25 + pkg)*12 + type)*5 + method; method 4 is a closure of method 3.
    const m = k % 5;
    const t = Math.floor(k / 5) % 12;
    const pk = Math.floor(k / 60) % 25;
    const svc = Math.floor(k / 1500);
    const dir = `github.com/acme/svc${pad2(svc)}/pkg${pad2(pk)}`;
    const typ = `${nouns[t]!}${t}`;
    if (m === 0) fileIdx = str(`/home/build/go/src/${dir}/${typ.toLowerCase()}.go`);
    const meth = `${verbs[(k * 7 + svc) % verbs.length]!}${pad2(m === 4 ? 3 : m)}`;
    fnName[f] = str(`${dir}.(*${typ}).${meth}${m === 4 ? '.func1' : ''}`);
    fnFile[f] = fileIdx;
    fnStart[f] = 20 + Math.floor(rand() * 900);
  }
  const fnId = Float64Array.from({ length: nFn }, (_, i) => i + 1);

  // Locations: location i is a call site in function i % nFn (so every function has about
  // nLoc/nFn sites); some 15% carry 1–2 inlined callees before that frame, leaf first.
  const lineStart = new Uint32Array(nLoc + 1);
  const lineFn: number[] = [];
  const lineNo: number[] = [];
  const address = new BigUint64Array(nLoc);
  const textStart = 0x400000;
  for (let i = 0; i < nLoc; i++) {
    lineStart[i] = lineFn.length;
    const outer = i % nFn;
    for (let k = rand() < 0.15 ? (rand() < 0.3 ? 2 : 1) : 0; k > 0; k--) {
      const callee = fixed.length + zipf(rand, nFn - fixed.length);
      lineFn.push(callee);
      lineNo.push(fnStart[callee]! + 1 + Math.floor(rand() * 30));
    }
    lineFn.push(outer);
    lineNo.push(fnStart[outer]! + 1 + Math.floor(rand() * 120));
    address[i] = BigInt(textStart + 0x1000 + i * 24 + Math.floor(rand() * 16));
  }
  lineStart[nLoc] = lineFn.length;
  const textEnd = textStart + 0x1000 + nLoc * 24 + 0x1000;

  // Hotness: a random permutation maps Zipf ranks to locations so that hot frames get arbitrary
  // ids, as in Go's profiles (bucket-hash order), not conveniently short varints.
  const perm = Uint32Array.from({ length: nLoc }, (_, i) => i);
  for (let i = nLoc - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const isSpecial = (loc: number): boolean => loc % nFn < fixed.length;
  const hot = (): number => {
    for (;;) {
      const loc = perm[zipf(rand, nLoc)]!;
      if (!isSpecial(loc)) return loc;
    }
  };
  // The call graph: each location has 4 callees (the first most likely), so walks from shared
  // prefixes fan out into a tree with hot subtrees instead of independent random stacks.
  const callees = Uint32Array.from({ length: nLoc * 4 }, () => hot());
  // A location of a fixed function (root or allocator): one of its call sites.
  const siteOf = (f: number): number => f + nFn * Math.floor(rand() * Math.floor(nLoc / nFn));

  // Entry paths: a root chain, then a few service frames; root first here (reversed later).
  const paths: number[][] = [];
  for (let e = 0; e < shape.entryPaths; e++) {
    // Servers dominate: most paths start under net/http or gRPC.
    const r = rand();
    const chain = rootChains[r < 0.5 ? 1 : r < 0.8 ? 2 : r < 0.9 ? 0 : 3]!;
    const path = chain.map((name) => siteOf(roots.indexOf(name)));
    for (let k = 2 + Math.floor(rand() * 8); k > 0; k--) path.push(hot());
    paths.push(path);
  }

  // Samples: depth first (to size the arrays exactly), then walk each stack.
  const depth = new Uint8Array(nSamples);
  const stackStart = new Uint32Array(nSamples + 1);
  for (let i = 0; i < nSamples; i++) {
    // The mean of two uniforms: 8..48 but mostly around 28, as real stacks cluster.
    depth[i] = 8 + Math.floor((rand() + rand()) * 20.5);
    stackStart[i + 1] = stackStart[i]! + depth[i]!;
  }
  const stacks = new Uint32Array(stackStart[nSamples]!);
  const values = new Float64Array(nSamples * 4);
  const walk: number[] = [];
  for (let i = 0; i < nSamples; i++) {
    const path = paths[zipf(rand, paths.length)]!;
    const d = depth[i]!;
    walk.length = 0;
    for (let k = 0; k < path.length && k < d - 1; k++) walk.push(path[k]!);
    let cur = walk[walk.length - 1]!;
    while (walk.length < d - 1) {
      const r = rand();
      cur = callees[cur * 4 + (r < 0.55 ? 0 : r < 0.8 ? 1 : r < 0.93 ? 2 : 3)]!;
      walk.push(cur);
    }
    // Half the leaves are stdlib allocators, half are service code allocating directly.
    const leaf = rand() < 0.5 ? siteOf(roots.length + zipf(rand, allocs.length)) : callees[cur * 4 + 3]!;
    const base = stackStart[i]!;
    stacks[base] = leaf;
    for (let k = 0; k < d - 1; k++) stacks[base + 1 + k] = walk[d - 2 - k]!;

    // Values, as Go reports them: each record stands for k sampled allocations of one size,
    // scaled by the 512 KiB sampling rate to ~512 KiB/size objects apiece; a small part of
    // them is still live, and most records have nothing live at all.
    const size = leaf % 97 === 0 ? 40960 * (1 + (leaf % 48)) : sizeClasses[(leaf * 2654435761) % sizeClasses.length]!;
    const k = Math.max(1, Math.floor(Math.exp(rand() * rand() * 6)));
    const objects = Math.max(k, Math.round((k * 524288) / size));
    const live = rand() < 0.75 ? 0 : Math.floor(objects * rand() ** 2 * 0.02);
    values.set([objects, objects * size, live, live * size], i * 4);
  }

  return {
    strings,
    sampleTypes: [
      { type: 'alloc_objects', unit: 'count' },
      { type: 'alloc_space', unit: 'bytes' },
      { type: 'inuse_objects', unit: 'count' },
      { type: 'inuse_space', unit: 'bytes' },
    ],
    defaultSampleType: '',
    samples: { length: nSamples, stackStart, locations: stacks, values },
    mappings: [
      {
        id: 1,
        memoryStart: BigInt(textStart),
        memoryLimit: BigInt(textEnd),
        fileOffset: 0n,
        file: '/usr/local/bin/acme-gateway',
        buildId: '',
        hasFunctions: true,
        hasFilenames: true,
        hasLineNumbers: true,
        hasInlineFrames: true,
      },
    ],
    locations: {
      length: nLoc,
      id: Float64Array.from({ length: nLoc }, (_, i) => i + 1),
      mapping: new Int32Array(nLoc),
      address,
      isFolded: new Uint8Array(nLoc),
      lineStart,
      lineFunction: Int32Array.from(lineFn),
      lineNumber: Float64Array.from(lineNo),
      lineColumn: new Float64Array(lineFn.length),
    },
    functions: { length: nFn, id: fnId, name: fnName, systemName: fnName, filename: fnFile, startLine: fnStart },
    dropFrames: '',
    keepFrames: '',
    timeNanos: 1_700_000_000_000_000_000, // exactly representable as a double, like a real timestamp
    durationNanos: 0,
    periodType: { type: 'space', unit: 'bytes' },
    period: 524288,
    comments: [],
    docUrl: '',
  };
}
