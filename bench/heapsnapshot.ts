// The heap snapshot benchmark (issue 20: a 1 GB snapshot in at most 2 GB of memory): times
// `proflens heap` as a whole process, with its peak RSS, on a ~1 GB `.heapsnapshot` of a real
// Node process, generated once into bench/data/ (git-ignored) and reused: writing it takes a
// Node process of several GB and minutes.
//
//   node dist/bench/heapsnapshot.js [--regenerate] [--items N]
//
// The snapshot is of a process holding N `Item` objects (a class instance with a string, a small
// array and a link to another item) in a global array: 2.9 million make about 1 GB.

import { existsSync, renameSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { dataDir, formatBytes } from './data.js';
import { detectRssMethod, measure } from './measure.js';

const defaultItems = 2_900_000;

class Item {
  readonly label: string;
  readonly tags: (number | string)[];
  constructor(
    readonly id: number,
    readonly prev: Item | null,
  ) {
    this.label = `item-${id}`;
    this.tags = [id & 7, 'tag'];
  }
}

/** generate runs in the child: builds the heap and writes the snapshot. */
function generate(out: string, items: number): void {
  const held: Item[] = [];
  (globalThis as { items?: Item[] }).items = held;
  let prev: Item | null = null;
  for (let i = 0; i < items; i++) {
    prev = new Item(i, i % 16 ? prev : null);
    held.push(prev);
  }
  writeHeapSnapshot(out);
}

/** ensureSnapshot writes the benchmark snapshot unless it is there already. */
function ensureSnapshot(items: number, regenerate: boolean): string {
  const file = join(dataDir, `heap-${items}.heapsnapshot`);
  if (existsSync(file) && !regenerate) return file;
  console.log(`writing ${file} (${items} items; a Node process of several GB, minutes)…`);
  const tmp = `${file}.tmp`;
  const r = spawnSync(process.execPath, ['--max-old-space-size=16384', process.argv[1]!, '--child', tmp, String(items)], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the snapshot writer failed (exit ${r.status})`);
  renameSync(tmp, file);
  return file;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    generate(args[1]!, Number(args[2]));
    return;
  }
  const at = args.indexOf('--items');
  const items = at >= 0 ? Number(args[at + 1]) : defaultItems;
  if (!Number.isInteger(items) || items <= 0) throw new Error(`--items: ${args[at + 1]} is not a whole number`);
  const file = ensureSnapshot(items, args.includes('--regenerate'));
  const cli = join(dataDir, '..', '..', 'dist', 'bin', 'proflens.js');
  const method = detectRssMethod();
  console.log(`heap snapshot: ${file} (${formatBytes(statSync(file).size)}), one run; peak RSS via ${method}`);
  const s = await measure([process.execPath, cli, 'heap', '--nodecount', '10', file], 1, 0, method);
  if (s.failed) {
    console.log(`  proflens heap  failed (exit ${s.failed.exitCode}): ${s.failed.stderr.trim().split('\n')[0]}`);
    return;
  }
  const rssMb = s.rssKb === undefined ? undefined : s.rssKb / 1024;
  console.log(`  proflens heap  ${(s.wallMs / 1000).toFixed(1)} s, ${rssMb === undefined ? 'n/a' : `${rssMb.toFixed(0)} MB`} peak RSS` +
    (rssMb === undefined ? '' : `  (target ≤ 2048 MB: ${rssMb <= 2048 ? 'PASS' : 'MISS'})`));
}

await main();
