// Reading a V8 heap snapshot (`.heapsnapshot`, what v8.writeHeapSnapshot, DevTools and
// `node --heapsnapshot-signal` write) without JSON.parse of the whole file: a snapshot of 1 GB
// would take many GB as JS objects. The file is read in chunks; the big number arrays (`nodes`,
// `edges`, `locations`) go straight into Uint32Arrays, one per field, `strings` into one string[],
// and only the small `snapshot` header is handed to JSON.parse. Everything else (trace_tree,
// samples, …) is skipped without being kept.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ProfileError } from '../profile/errors.js';
import { type ColumnKind, Columns, type NumberScan, scanNumbers, stopDone, stopRange } from './heapsnapshot-columns.js';

/** SnapshotMeta is the part of `snapshot.meta` proflens uses: field and type names, in the file's order. */
export interface SnapshotMeta {
  readonly nodeFields: readonly string[];
  /** The names of the values of the node field `type`. */
  readonly nodeTypes: readonly string[];
  readonly edgeFields: readonly string[];
  /** The names of the values of the edge field `type`. */
  readonly edgeTypes: readonly string[];
  readonly locationFields: readonly string[];
}

/** NodeColumns are the node fields proflens uses, one array per field, indexed by node ordinal. */
export interface NodeColumns {
  readonly type: Uint8Array;
  readonly name: Uint32Array;
  readonly id: Uint32Array;
  readonly selfSize: Uint32Array;
  /**
   * Each node's first edge ordinal, nodeCount + 1 long (the last is edgeCount): the file's
   * edge_count field, summed in place as it is read.
   */
  readonly firstEdge: Uint32Array;
  /** DOM state (0 unknown, 1 attached, 2 detached) of embedder objects, when the file has the field. */
  readonly detachedness?: Uint8Array;
}

/** EdgeColumns are the edge fields, one array per field, indexed by edge ordinal. */
export interface EdgeColumns {
  readonly type: Uint8Array;
  readonly nameOrIndex: Uint32Array;
  /** The target's node ordinal (the file holds its position in "nodes"; divided on reading). */
  readonly toNode: Uint32Array;
}

/** LocationColumns say where objects' constructors (and closures) were defined, one array per field. */
export interface LocationColumns {
  /** The node ordinal (the file holds its position in "nodes"). */
  readonly node: Uint32Array;
  readonly scriptId: Uint32Array;
  /** 0-based, as V8 counts. */
  readonly line: Uint32Array;
  readonly column: Uint32Array;
}

/**
 * RawHeapSnapshot is a snapshot's arrays, checked for consistency. The file's interleaved
 * `nodes` and `edges` are read into one array per field (the same memory, no copy to make
 * later); node fields proflens does not use (trace_node_id, detachedness) are not kept.
 */
export interface RawHeapSnapshot {
  readonly meta: SnapshotMeta;
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly nodes: NodeColumns;
  /** A node's edges follow its predecessors' edges. */
  readonly edges: EdgeColumns;
  readonly strings: readonly string[];
  /** Empty when the file has no "locations". */
  readonly locations: LocationColumns;
  /** The node ordinal of the root: `snapshot.root_index` / node fields, else 0. */
  readonly rootOrdinal: number;
}

/** ReadSnapshotOptions bound the reading; tests use small chunks to cross every boundary. */
export interface ReadSnapshotOptions {
  readonly chunkSize?: number;
}

const chunkDefault = 1 << 20;
/** The `snapshot` header is a few kB; anything far larger is not a heap snapshot. */
const headerLimit = 1 << 20;

const [QUOTE, BACKSLASH, COMMA, COLON, LBRACE, RBRACE, LBRACKET, RBRACKET] = [34, 92, 44, 58, 123, 125, 91, 93];

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * ChunkReader hands out the bytes of a file one chunk at a time; `buf[pos..end)` is what is left
 * of the current chunk. The parser below works on the chunk directly and calls refill at its end.
 */
class ChunkReader {
  buf: Buffer;
  pos = 0;
  end = 0;
  /** Bytes of the file consumed before the current chunk (for error positions). */
  before = 0;
  private eof = false;

  constructor(
    private readonly fd: number,
    chunkSize: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkSize);
  }

  /** refill reads the next chunk; false at the end of the file. */
  refill(): boolean {
    if (this.eof) return false;
    this.before += this.end;
    this.pos = 0;
    this.end = readSync(this.fd, this.buf, 0, this.buf.length, null);
    if (this.end === 0) this.eof = true;
    return this.end > 0;
  }

  /** offset is the file position of the next byte. */
  get offset(): number {
    return this.before + this.pos;
  }
}

/** readHeapSnapshot reads a `.heapsnapshot` file; every failure is a ProfileError naming the file. */
export function readHeapSnapshot(path: string, o: ReadSnapshotOptions = {}): RawHeapSnapshot {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new ProfileError(`${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    if (!fstatSync(fd).isFile()) throw new ProfileError(`${path}: not a file`);
    return new SnapshotParser(new ChunkReader(fd, o.chunkSize ?? chunkDefault), path).parse();
  } finally {
    closeSync(fd);
  }
}

/** The key currently being read, for "truncated inside …" messages. */
type Section = string;

class SnapshotParser {
  private header: unknown;
  private meta?: SnapshotMeta;
  private nodes?: Columns;
  private edges?: Columns;
  private locations?: Columns;
  private strings?: string[];
  private section: Section = 'the top-level object';

  constructor(
    private readonly r: ChunkReader,
    private readonly path: string,
  ) {}

  private fail(why: string): never {
    throw new ProfileError(`${this.path}: not a V8 heap snapshot: ${why}`);
  }

  private truncated(): never {
    throw new ProfileError(`${this.path}: truncated V8 heap snapshot (the file ends inside ${this.section})`);
  }

  /** next returns the next byte that is not white space, consuming it. */
  private next(): number {
    const r = this.r;
    for (;;) {
      if (r.pos >= r.end && !r.refill()) this.truncated();
      const c = r.buf[r.pos++]!;
      if (!isSpace(c)) return c;
    }
  }

  private expect(want: number, what: string): void {
    const c = this.next();
    if (c !== want) this.unexpected(c, what);
  }

  private unexpected(c: number, what: string): never {
    const shown = c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16)}`;
    this.fail(`${shown} at byte ${this.r.offset - 1} where ${what} was expected (in ${this.section})`);
  }

  parse(): RawHeapSnapshot {
    const r = this.r;
    if (!r.refill()) this.fail('the file is empty');
    const first = this.next();
    if (first !== LBRACE) this.fail(`it does not start with '{'`);
    let c = this.next();
    if (c !== RBRACE) {
      for (;;) {
        if (c !== QUOTE) this.unexpected(c, 'a key');
        const key = this.readString(256);
        this.expect(COLON, "':'");
        this.section = `"${key}"`;
        this.readValue(key);
        this.section = 'the top-level object';
        c = this.next();
        if (c === RBRACE) break;
        if (c !== COMMA) this.unexpected(c, "',' or '}'");
        c = this.next();
      }
    }
    // Nothing but white space may follow.
    for (;;) {
      while (r.pos < r.end) {
        const b = r.buf[r.pos++]!;
        if (!isSpace(b)) this.fail(`data after the end of the snapshot at byte ${r.offset - 1}`);
      }
      if (!r.refill()) break;
    }
    return this.finish();
  }

  private readValue(key: string): void {
    switch (key) {
      case 'snapshot':
        this.header = this.readHeader();
        this.meta = this.checkMeta();
        return;
      case 'nodes': {
        const meta = this.meta ?? this.fail('"nodes" come before the "snapshot" header that describes them');
        const kinds = meta.nodeFields.map((f): ColumnKind => (f === 'type' || f === 'detachedness' ? 'u8' : nodeFieldsKept.includes(f) ? 'u32' : undefined));
        const extra = meta.nodeFields.map((f) => (f === 'edge_count' ? 1 : 0));
        this.nodes = this.readNumbers(new Columns(meta.nodeFields.length, kinds, this.announced('node_count'), extra));
        return;
      }
      case 'edges': {
        const meta = this.meta ?? this.fail('"edges" come before the "snapshot" header that describes them');
        const kinds = meta.edgeFields.map((f): ColumnKind => (f === 'type' ? 'u8' : edgeFieldsKept.includes(f) ? 'u32' : undefined));
        this.edges = this.readNumbers(new Columns(meta.edgeFields.length, kinds, this.announced('edge_count')));
        return;
      }
      case 'locations': {
        const meta = this.meta ?? this.fail('"locations" come before the "snapshot" header that describes them');
        const f = meta.locationFields;
        if (!locationFieldsKept.every((k) => f.includes(k))) break;
        this.locations = this.readNumbers(new Columns(f.length, f.map((k): ColumnKind => (locationFieldsKept.includes(k) ? 'u32' : undefined)), 0));
        return;
      }
      case 'strings':
        this.strings = this.readStrings();
        return;
    }
    this.skipValue();
  }

  /** announced is the record count the header promises, or 0 when it does not say. */
  private announced(countKey: string): number {
    const count = (this.header as Record<string, unknown>)[countKey];
    // Trusted only as a first allocation (bounded): the columns grow if the file holds more.
    return typeof count === 'number' && count >= 0 ? Math.min(Math.floor(count), 1 << 27) : 0;
  }

  /** readHeader captures the `snapshot` object's text (small) and parses it with JSON.parse. */
  private readHeader(): unknown {
    const r = this.r;
    const parts: Buffer[] = [];
    let size = 0;
    let depth = 0;
    let inString = false;
    let escaped = false;
    const first = this.next();
    if (first !== LBRACE) this.unexpected(first, "'{'");
    r.pos--;
    for (;;) {
      if (r.pos >= r.end) {
        if (!r.refill()) this.truncated();
      }
      const start = r.pos;
      let done = false;
      while (r.pos < r.end) {
        const c = r.buf[r.pos++]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
        } else if (c === QUOTE) inString = true;
        else if (c === LBRACE || c === LBRACKET) depth++;
        else if (c === RBRACE || c === RBRACKET) {
          if (--depth === 0) {
            done = true;
            break;
          }
        }
      }
      parts.push(Buffer.from(r.buf.subarray(start, r.pos)));
      size += r.pos - start;
      if (size > headerLimit) this.fail(`its "snapshot" header is over ${headerLimit} bytes`);
      if (done) break;
    }
    try {
      return JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch (e) {
      this.fail(`its "snapshot" header is not JSON (${(e as Error).message})`);
    }
  }

  /** readNumbers reads an array of non-negative integers below 2^32 into columns. */
  private readNumbers(out: Columns): Columns {
    const r = this.r;
    const c0 = this.next();
    if (c0 !== LBRACKET) this.unexpected(c0, "'['");
    const scan: NumberScan = { value: 0, state: 0, first: true, stop: 0 };
    for (;;) {
      if (r.pos >= r.end && !r.refill()) this.truncated();
      r.pos = scanNumbers(r.buf, r.pos, r.end, scan, out);
      if (scan.stop === 0) continue;
      if (scan.stop === stopDone) return out;
      const c = r.buf[r.pos - 1]!;
      if (scan.stop === stopRange) this.fail(`the number ${scan.value} before byte ${r.offset - 1} in ${this.section} is out of range`);
      this.unexpected(c, scan.state === 0 ? (c === COMMA || c === RBRACKET ? 'a number' : 'a non-negative integer') : "',' or ']'");
    }
  }

  /** readStrings reads the `strings` array. */
  private readStrings(): string[] {
    const c0 = this.next();
    if (c0 !== LBRACKET) this.unexpected(c0, "'['");
    const out: string[] = [];
    let c = this.next();
    if (c === RBRACKET) return out;
    for (;;) {
      if (c !== QUOTE) this.unexpected(c, 'a string');
      out.push(this.readString(Infinity));
      c = this.next();
      if (c === RBRACKET) return out;
      if (c !== COMMA) this.unexpected(c, "',' or ']'");
      c = this.next();
    }
  }

  /**
   * readString reads a JSON string whose opening quote is consumed. Most strings lie within one
   * chunk and have no escapes: those are decoded from the chunk directly; others are gathered and
   * given to JSON.parse, which knows every escape.
   */
  private readString(limit: number): string {
    const r = this.r;
    let parts: Buffer[] | undefined;
    let size = 0;
    let escapes = false;
    let escaped = false;
    for (;;) {
      if (r.pos >= r.end && !r.refill()) this.truncated();
      const buf = r.buf;
      const start = r.pos;
      const end = r.end;
      let pos = start;
      while (pos < end) {
        const c = buf[pos++]!;
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escapes = escaped = true;
        else if (c === QUOTE) {
          r.pos = pos;
          if (parts === undefined && !escapes) return buf.toString('utf8', start, pos - 1);
          const tail = buf.subarray(start, pos - 1);
          const bytes = parts === undefined ? tail : Buffer.concat([...parts, tail]);
          return escapes ? this.unescape(bytes) : bytes.toString('utf8');
        } else if (c < 0x20) {
          r.pos = pos;
          this.unexpected(c, 'a string character');
        }
      }
      (parts ??= []).push(Buffer.from(buf.subarray(start, end)));
      size += end - start;
      if (size > limit) this.fail(`a key longer than ${limit} bytes at byte ${r.offset}`);
      r.pos = end;
    }
  }

  private unescape(bytes: Buffer): string {
    try {
      return JSON.parse(`"${bytes.toString('utf8')}"`) as string;
    } catch (e) {
      this.fail(`a bad string in ${this.section} (${(e as Error).message})`);
    }
  }

  /** skipValue passes over any JSON value (sections proflens does not use), keeping nothing. */
  private skipValue(): void {
    const r = this.r;
    let depth = 0;
    let inString = false;
    let escaped = false;
    let c = this.next();
    if (c === QUOTE) inString = true;
    else if (c === LBRACE || c === LBRACKET) depth = 1;
    else {
      // A scalar: up to the next ',' or '}' (left for the caller).
      for (;;) {
        if (r.pos >= r.end && !r.refill()) this.truncated();
        c = r.buf[r.pos]!;
        if (c === COMMA || c === RBRACE) return;
        r.pos++;
      }
    }
    for (;;) {
      if (r.pos >= r.end && !r.refill()) this.truncated();
      const buf = r.buf;
      while (r.pos < r.end) {
        const b = buf[r.pos++]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            inString = false;
            if (depth === 0) return;
          }
        } else if (b === QUOTE) inString = true;
        else if (b === LBRACE || b === LBRACKET) depth++;
        else if (b === RBRACE || b === RBRACKET) {
          if (--depth === 0) return;
        }
      }
    }
  }

  /** checkMeta reads the field and type names out of the header, refusing a header without them. */
  private checkMeta(): SnapshotMeta {
    const h = this.header;
    if (typeof h !== 'object' || h === null || Array.isArray(h)) this.fail('"snapshot" is not an object');
    const m = (h as { meta?: unknown }).meta;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) this.fail('no "snapshot.meta"');
    const meta = m as Record<string, unknown>;
    const names = (key: string, required: readonly string[]): string[] => {
      const v = meta[key];
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) this.fail(`"snapshot.meta.${key}" is not a list of names`);
      for (const f of required) if (!v.includes(f)) this.fail(`"snapshot.meta.${key}" has no "${f}"`);
      return v as string[];
    };
    const nodeFields = names('node_fields', nodeFieldsKept);
    const locationFields = meta['location_fields'] === undefined ? [] : names('location_fields', []);
    const edgeFields = names('edge_fields', edgeFieldsKept);
    const typeNames = (key: string, at: number): string[] => {
      const v = meta[key];
      const t = Array.isArray(v) ? (v as unknown[])[at] : undefined;
      if (!Array.isArray(t) || !t.every((x) => typeof x === 'string')) this.fail(`"snapshot.meta.${key}" has no list of names for "type"`);
      // Types are kept in a byte per node or edge.
      if (t.length > 255) this.fail(`"snapshot.meta.${key}" names ${t.length} types`);
      return t as string[];
    };
    return {
      nodeFields,
      nodeTypes: typeNames('node_types', nodeFields.indexOf('type')),
      edgeFields,
      edgeTypes: typeNames('edge_types', edgeFields.indexOf('type')),
      locationFields,
    };
  }

  /** finish checks that the arrays fit the header's meta and each other. */
  private finish(): RawHeapSnapshot {
    const meta = this.meta ?? this.fail('no "snapshot" header');
    if (this.nodes === undefined) this.fail('no "nodes"');
    if (this.edges === undefined) this.fail('no "edges"');
    if (this.strings === undefined) this.fail('no "strings"');
    const nodes = this.nodes.finish() ?? this.fail(`"nodes" holds ${this.nodes.count} numbers, not a multiple of its ${meta.nodeFields.length} fields`);
    const edges = this.edges.finish() ?? this.fail(`"edges" holds ${this.edges.count} numbers, not a multiple of its ${meta.edgeFields.length} fields`);
    if (this.nodes.overflow || this.edges.overflow) this.fail('a node or edge type is above 255');
    const nodeCol = (f: string) => nodes.columns[meta.nodeFields.indexOf(f)] as Uint32Array;
    const byteCol = (f: string) => nodes.columns[meta.nodeFields.indexOf(f)] as Uint8Array;
    const edgeCol = (f: string) => edges.columns[meta.edgeFields.indexOf(f)] as Uint32Array;
    const locations = this.locations === undefined ? undefined : (this.locations.finish() ?? this.fail(`"locations" holds ${this.locations.count} numbers, not a multiple of its ${meta.locationFields.length} fields`));
    const locCol = (f: string) => (locations === undefined ? new Uint32Array(0) : (locations.columns[meta.locationFields.indexOf(f)] as Uint32Array));
    const rootIndex = (this.header as { root_index?: unknown }).root_index;
    const rootPosition = typeof rootIndex === 'number' ? rootIndex : 0;
    const nf = meta.nodeFields.length;
    if (rootPosition % nf !== 0 || rootPosition >= nodes.records * nf) this.fail(`root_index ${rootPosition} is not a node`);
    const snapshot: RawHeapSnapshot = {
      meta,
      nodeCount: nodes.records,
      edgeCount: edges.records,
      nodes: {
        type: byteCol('type'), name: nodeCol('name'), id: nodeCol('id'), selfSize: nodeCol('self_size'), firstEdge: nodeCol('edge_count'),
        ...(meta.nodeFields.includes('detachedness') && { detachedness: byteCol('detachedness') }),
      },
      edges: { type: edges.columns[meta.edgeFields.indexOf('type')] as Uint8Array, nameOrIndex: edgeCol('name_or_index'), toNode: edgeCol('to_node') },
      strings: this.strings,
      locations: { node: locCol('object_index'), scriptId: locCol('script_id'), line: locCol('line'), column: locCol('column') },
      rootOrdinal: rootPosition / nf,
    };
    const bad = checkConsistency(snapshot, nf);
    if (bad) this.fail(bad);
    return snapshot;
  }
}

/** The node and edge fields proflens reads; a snapshot without them is refused. */
const nodeFieldsKept = ['type', 'name', 'id', 'self_size', 'edge_count'];
const edgeFieldsKept = ['type', 'name_or_index', 'to_node'];
const locationFieldsKept = ['object_index', 'script_id', 'line', 'column'];

/**
 * checkConsistency says what is wrong with a snapshot's arrays, if anything: every index the
 * analysis follows (edge counts, edge targets, type and name indexes) must point inside its array,
 * so no later step reads past an end or loops on a lie. It turns each edge's target from the
 * file's position in "nodes" (ordinal × nodeFields) into the ordinal.
 */
function checkConsistency(s: RawHeapSnapshot, nodeFields: number): string | undefined {
  const { meta, nodes, edges, strings, nodeCount, edgeCount } = s;
  if (nodeCount === 0) return 'no nodes';
  // The edge counts become each node's first edge, in place (the column has one slot more).
  let edgeTotal = 0;
  for (let i = 0; i < nodeCount; i++) {
    if (nodes.type[i]! >= meta.nodeTypes.length) return `node ${i} has type ${nodes.type[i]}, which meta does not name`;
    if (nodes.name[i]! >= strings.length) return `node ${i} names string ${nodes.name[i]} of ${strings.length}`;
    const count = nodes.firstEdge[i]!;
    nodes.firstEdge[i] = edgeTotal;
    edgeTotal += count;
    if (edgeTotal > 0xffffffff) return 'more than 2^32 edges';
  }
  nodes.firstEdge[nodeCount] = edgeTotal;
  if (edgeTotal !== edgeCount) return `the nodes' edge counts add up to ${edgeTotal} edges but "edges" holds ${edgeCount}`;
  // Element and hidden edges carry an index; every other type names a string.
  const indexTypes = new Set([meta.edgeTypes.indexOf('element'), meta.edgeTypes.indexOf('hidden')]);
  const end = nodeCount * nodeFields;
  for (let i = 0; i < edgeCount; i++) {
    const type = edges.type[i]!;
    if (type >= meta.edgeTypes.length) return `edge ${i} has type ${type}, which meta does not name`;
    const to = edges.toNode[i]!;
    if (to % nodeFields !== 0 || to >= end) return `edge ${i} points to ${to}, which is not a node`;
    edges.toNode[i] = to / nodeFields;
    if (!indexTypes.has(type) && edges.nameOrIndex[i]! >= strings.length) return `edge ${i} names string ${edges.nameOrIndex[i]} of ${strings.length}`;
  }
  const at = s.locations.node;
  for (let i = 0; i < at.length; i++) {
    if (at[i]! % nodeFields !== 0 || at[i]! >= end) return `location ${i} is of ${at[i]}, which is not a node`;
    at[i] = at[i]! / nodeFields;
  }
  return undefined;
}
