// The `#` lines Go's runtime/pprof prints under each sample of its debug=1 text (goroutine,
// threadcreate, heap, allocs: printStackRecord):
//
//   7 @ 0x437836 0x4063db 0x4bae95                          the sample: return addresses, leaf first
//   #	0x4bae94	main.leakWorker+0x34	/src/main.go:35    one line per frame: pc, name+offset, file:line
//
// pprof reads the sample lines and ignores the `#` lines, so without the binary every frame is
// `<unknown>`. proflens keeps pprof's locations (each sampled address taken back by one, one
// location per address) and gives each the frames its `#` lines name: the runtime prints the
// call's pc, the return address less one, the very address the location is keyed by. Inlined
// frames share a pc and are printed leaf first, as a location's lines are kept.

import type { FunctionTable, LocationTable, Mapping } from '../profile/model.js';
import type { StringTable } from '../profile/string-table.js';
import { AddressLocations } from '../profile/address-locations.js';

interface Frame {
  readonly name: string;
  readonly file: string;
  readonly line: number;
}

/** FrameComments interns a debug=1 text's sampled addresses and names them from its `#` lines. */
export class FrameComments {
  private readonly locations = new AddressLocations();
  /** The frames the `#` lines name at each location, leaf (innermost inlined) first. */
  private readonly framesAt: Frame[][] = [];
  /** Locations the current sample's `#` lines already named, so a repeated stack adds nothing twice. */
  private named = new Set<number>();

  /** location returns the location of a sampled return address (`0x…`), adding it when new. */
  location(hex: string): number {
    const loc = this.locations.intern(hex);
    if (loc === this.framesAt.length) this.framesAt.push([]);
    return loc;
  }

  /** nextSample starts a new sample: the `#` lines that follow belong to it. */
  nextSample(): void {
    this.named = new Set();
  }

  /** comment reads one `#` line; lines that name no known address (`# labels:`, MemStats) are ignored. */
  comment(l: string): void {
    // `#\t0xPC\tNAME+0xOFF\tFILE:LINE`, the columns padded with tabs (tabwriter); `#\t0xPC` alone
    // when the runtime knows no name.
    const cols = l.slice(1).split('\t').filter((c) => c !== '');
    if (cols.length < 3 || !/^0x[0-9a-f]{1,16}$/.test(cols[0]!)) return;
    const loc = this.locations.get(BigInt(cols[0]!));
    if (loc === undefined) return;
    // A stack seen before (another sample with the same address) names it again: keep the first.
    if (!this.named.has(loc) && this.framesAt[loc]!.length > 0) return;
    const nameOff = cols[1]!;
    const plus = nameOff.lastIndexOf('+0x');
    const where = cols.slice(2).join('\t');
    const colon = where.lastIndexOf(':');
    const lineNo = colon > 0 ? Number(where.slice(colon + 1)) : 0;
    this.named.add(loc);
    this.framesAt[loc]!.push({
      name: plus > 0 ? nameOff.slice(0, plus) : nameOff,
      file: colon > 0 ? where.slice(0, colon) : where,
      line: Number.isSafeInteger(lineNo) && lineNo > 0 ? lineNo : 0,
    });
  }

  /** mappings is the fake mapping covering all memory that pprof gives locations with an address (remapMappingIDs). */
  mappings(): Mapping[] {
    if (this.framesAt.length === 0) return [];
    const named = this.framesAt.some((f) => f.length > 0);
    return [{ id: 1, memoryStart: 0n, memoryLimit: 2n ** 64n - 1n, fileOffset: 0n, file: '', buildId: '', hasFunctions: named, hasFilenames: named, hasLineNumbers: named, hasInlineFrames: false }];
  }

  /** tables builds the locations (all in the fake mapping 0 pprof gives them) and their functions. */
  tables(table: StringTable): { locations: LocationTable; functions: FunctionTable } {
    const addresses = this.locations.addresses;
    const functionOf = new Map<string, number>();
    const fnName: number[] = [];
    const fnFile: number[] = [];
    const lineStart = new Uint32Array(addresses.length + 1);
    const lineFunction: number[] = [];
    const lineNumber: number[] = [];
    for (let loc = 0; loc < addresses.length; loc++) {
      for (const f of this.framesAt[loc]!) {
        const key = `${f.name}\n${f.file}`;
        let fn = functionOf.get(key);
        if (fn === undefined) {
          fn = fnName.length;
          functionOf.set(key, fn);
          fnName.push(table.add(f.name));
          fnFile.push(table.add(f.file));
        }
        lineFunction.push(fn);
        lineNumber.push(f.line);
      }
      lineStart[loc + 1] = lineFunction.length;
    }
    const n = addresses.length;
    const nf = fnName.length;
    return {
      locations: {
        length: n,
        id: Float64Array.from({ length: n }, (_, k) => k + 1),
        mapping: new Int32Array(n),
        address: BigUint64Array.from(addresses),
        isFolded: new Uint8Array(n),
        lineStart,
        lineFunction: Int32Array.from(lineFunction),
        lineNumber: Float64Array.from(lineNumber),
        lineColumn: new Float64Array(lineFunction.length),
      },
      functions: { length: nf, id: Float64Array.from({ length: nf }, (_, k) => k + 1), name: Uint32Array.from(fnName), systemName: Uint32Array.from(fnName), filename: Uint32Array.from(fnFile), startLine: new Float64Array(nf) },
    };
  }
}
