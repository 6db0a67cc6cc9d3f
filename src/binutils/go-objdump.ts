// Reads symbols and instructions of a Go binary with Go's own tools. go tool pprof (cmd/pprof)
// disassembles with Go's disassembler (cmd/internal/objfile), not GNU objdump, so `go tool nm` and
// `go tool objdump` give the very symbol sizes and instruction text it prints.

import { execFile } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { ProfileError } from '../profile/errors.js';

/** ObjSymbol is a symbol of a binary: pprof's plugin.Sym, End being its last byte. */
export interface ObjSymbol {
  readonly name: string;
  readonly start: bigint;
  readonly end: bigint;
}

/** Instruction is one decoded instruction with the source line the binary gives it. */
export interface Instruction {
  readonly address: bigint;
  /** Bytes of the instruction. */
  readonly size: number;
  /** Base name of the source file, '' when unknown. */
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** Disassembler is what the disasm view needs from a binary. */
export interface Disassembler {
  symbols(binary: string): Promise<ObjSymbol[]>;
  /**
   * instructions decodes each symbol as pprof's Disasm does: the bytes from its start up to, not
   * including, its last byte.
   */
  instructions(binary: string, symbols: readonly ObjSymbol[]): Promise<Instruction[][]>;
}

/** Output of the tools is bounded: a symbol table of a large binary is tens of MB. */
const maxOutput = 256 << 20;

function run(go: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(go, args, { maxBuffer: maxOutput, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new ProfileError(`${go} ${args.join(' ')}: ${(stderr.trim().split('\n')[0] ?? '') || err.message}`, { cause: err }));
      else resolve(stdout);
    });
  });
}

/** parseNm reads `go tool nm -size` lines: address, size, type, name (names may hold spaces). */
export function parseNm(text: string): ObjSymbol[] {
  const out: ObjSymbol[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([0-9a-f]+)\s+(\d+)\s+\S\s+(.+)$/.exec(line);
    if (!m) continue;
    const start = BigInt('0x' + m[1]!);
    const size = BigInt(m[2]!);
    // pprof skips address-0 size-0 symbols (ELF file symbols).
    if (start === 0n && size === 0n) continue;
    out.push({ name: m[3]!, start, end: start + size - 1n });
  }
  return out;
}

/** parseObjdump reads `go tool objdump` output: a TEXT line per symbol, then tab-separated instructions. */
export function parseObjdump(text: string): Instruction[] {
  const out: Instruction[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('TEXT ')) continue;
    const fields = line.split('\t').filter((f) => f !== '');
    if (fields.length < 4) continue;
    const [where, addr, hex] = fields as [string, string, string];
    const text = fields.slice(3).join('\t').trimEnd();
    const colon = where.trim().lastIndexOf(':');
    const file = colon > 0 ? where.trim().slice(0, colon) : '';
    const line_ = colon > 0 ? Number(where.trim().slice(colon + 1)) : 0;
    if (!/^0x[0-9a-f]+$/.test(addr)) continue;
    out.push({ address: BigInt(addr), size: hex.length / 2, file: file === '?' ? '' : file, line: Number.isFinite(line_) ? line_ : 0, text });
  }
  return out;
}

/** goDisassembler runs `go tool nm` and `go tool objdump` from the go command given. */
export function goDisassembler(go = 'go'): Disassembler {
  // A path from a profile is untrusted: made absolute, it cannot be read as a flag ("-…").
  return {
    symbols: async (binary) => parseNm(await run(go, ['tool', 'nm', '-size', resolvePath(binary)])),
    instructions: async (binary, symbols) => {
      // One run decodes every matching symbol whole, each instruction keyed by its address.
      const byAddress = new Map<bigint, number>();
      // Only the symbols shown: the user's regex alone may match most of the binary.
      const only = `^(?:${[...new Set(symbols.map((x) => quoteMeta(x.name)))].join('|')})$`;
      const all = parseObjdump(await run(go, ['tool', 'objdump', '-s', only, resolvePath(binary)]));
      all.forEach((inst, k) => byAddress.set(inst.address, k));
      const out: Instruction[][] = [];
      for (const sym of symbols) {
        const insts: Instruction[] = [];
        let k = byAddress.get(sym.start);
        for (; k !== undefined && k < all.length && all[k]!.address + BigInt(all[k]!.size) <= sym.end; k++) insts.push(all[k]!);
        const cut = k !== undefined && k < all.length ? all[k]! : undefined;
        if (cut && cut.address < sym.end) {
          // The instruction reaching the last byte is decoded from the bytes before it: one byte
          // is never a whole instruction there ("?"); more are decoded by go tool objdump on
          // that range, as pprof's decoder sees them.
          if (sym.end - cut.address === 1n) insts.push({ ...cut, size: 1, text: '?' });
          else {
            // go tool objdump prints the whole symbol, cut at the range's end: keep the tail.
            const tail = parseObjdump(await run(go, ['tool', 'objdump', resolvePath(binary), `0x${cut.address.toString(16)}`, `0x${sym.end.toString(16)}`]));
            insts.push(...tail.filter((i) => i.address >= cut.address && i.address < sym.end));
          }
        }
        out.push(insts);
      }
      return out;
    },
  };
}

/** quoteMeta escapes the characters special in a Go regular expression (Go's regexp.QuoteMeta). */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
