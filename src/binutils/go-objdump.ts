// Reads symbols and instructions of a Go binary with Go's own tools. go tool pprof (cmd/pprof)
// disassembles with Go's disassembler (cmd/internal/objfile), not GNU objdump, so `go tool nm` and
// `go tool objdump` give the very symbol sizes and instruction text it prints.

import { execFile } from 'node:child_process';
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
   * instructions decodes the bytes from start up to (not including) end, as pprof's Disasm does:
   * an instruction cut by end is decoded from the bytes left (often as `?`).
   */
  instructions(binary: string, start: bigint, end: bigint): Promise<Instruction[]>;
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
  return {
    symbols: async (binary) => parseNm(await run(go, ['tool', 'nm', '-size', binary])),
    // With an address range, go tool objdump decodes [start, end) of the text exactly as pprof does.
    instructions: async (binary, start, end) => parseObjdump(await run(go, ['tool', 'objdump', binary, `0x${start.toString(16)}`, `0x${end.toString(16)}`])),
  };
}
