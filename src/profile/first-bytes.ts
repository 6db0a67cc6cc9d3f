// What a source's first bytes say it is (gzip, a Go execution trace, an executable) and the size
// bound on reading one: checks that import nothing, so that the commands that read no profile
// (trace, goroutines) load neither the protobuf decoder nor zlib to ask them (issue 16).

/** isGzip tells whether bytes start with the gzip magic number. */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/**
 * isGoExecutionTrace tells whether the bytes are a Go execution trace (`/debug/pprof/trace`), which
 * starts with a 16-byte header such as `go 1.19 trace\0\0\0`: not a profile, but what
 * `go tool trace` reads.
 */
export function isGoExecutionTrace(data: Uint8Array): boolean {
  return /^go 1\.\d+ trace\0/.test(new TextDecoder('latin1').decode(data.subarray(0, 16)));
}

/**
 * defaultSizeLimit bounds what a profile may inflate to (and a file's size) unless --max-size says
 * otherwise: 2 GiB, above any real profile (the 1M-sample benchmark profile is 97 MB raw), and a
 * bound on the memory a gzip bomb can take (a 2.6 MB file inflates to 5 GB otherwise).
 */
export const defaultSizeLimit = 2 ** 31;

/**
 * executableFormat names the executable format the bytes start with (ELF, Mach-O, PE), if any:
 * pprof users name the program before the profile (`pprof BINARY PROFILE`). None of these magic
 * numbers can start a profile: as protobuf tags they are wire types or field numbers
 * profile.proto does not use.
 */
export function executableFormat(data: Uint8Array): string | undefined {
  if (data.length < 4) return undefined;
  const magic = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, false);
  if (magic === 0x7f454c46) return 'ELF';
  // 32- and 64-bit, either byte order, and the universal (fat) binary.
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)) return 'Mach-O';
  if (data[0] === 0x4d && data[1] === 0x5a) return 'PE';
  return undefined;
}
