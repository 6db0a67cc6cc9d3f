// Keeping the memory V8's compiler threads free, instead of giving it back to the system.
//
// V8 optimises hot functions on background threads, each job in zones it mallocs and frees when
// the job ends. glibc gives the top of a thread's arena back to the system (madvise) whenever more
// than its trim threshold (128 KB at start) is free there, so the next job faults the same pages
// in again: on the staticcheck trace's summary ~7,500 faults (~30 MB), 7–20 µs each on the
// machines measured, on the core the reading shares with them. glibc raises the threshold itself
// (to twice the block) the first time a block it mapped on its own is freed — in a longer run it
// does so sooner or later anyway — and from then on serves smaller blocks from its arenas instead
// of mapping each. A zero-filled buffer of a few MB is such a block, never touched (so it costs no
// fault), and freed by the first garbage collection, before the reading's hot functions are
// compiled: faults on the other threads ~7,500 → ~2,300, the summary ~12% faster, peak memory on
// the 100 MB trace ~1% more. With another libc (musl) the buffer is mapped and unmapped untouched;
// on other systems it is not made.

/** The dropped block's size: glibc's threshold becomes twice it, the memory it may keep per arena. */
const blockBytes = 4 << 20;

if (process.platform === 'linux') {
  // Allocated and dropped at once; only the garbage collector frees it (no way to do it sooner).
  void new ArrayBuffer(blockBytes);
}
