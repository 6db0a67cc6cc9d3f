// go tool pprof spellings, one case per line: what the user typed → what proflens parses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translateGoArgs } from '../cli/go-flags.js';
import { commandNames } from '../cli/main.js';

const cases: [typed: string, native: string][] = [
  ['-top heap.pb.gz', 'top heap.pb.gz'],
  ['-text heap.pb.gz', 'text heap.pb.gz'],
  ['--top heap.pb.gz', 'top heap.pb.gz'],
  ['-top -nodecount=20 -sample_index=alloc_space -cum heap.pb.gz', 'top --nodecount 20 --sample-index alloc_space --cum heap.pb.gz'],
  ['-top -nodecount 20 heap.pb.gz', 'top --nodecount 20 heap.pb.gz'],
  ['heap.pb.gz -top', 'top heap.pb.gz'],
  ['-inuse_objects -top heap.pb.gz', 'top --sample-index=inuse_objects heap.pb.gz'],
  ['-top -alloc_space heap.pb.gz', 'top --sample-index=alloc_space heap.pb.gz'],
  ['-top -mean_delay mutex.pb.gz', 'top --mean --sample-index=delay mutex.pb.gz'],
  ['-top -total_delay block.pb.gz', 'top --sample-index=delay block.pb.gz'],
  ['-top -contentions block.pb.gz', 'top --sample-index=contentions block.pb.gz'],
  ['-top -lines -noinlines cpu.pb.gz', 'top --lines --noinlines cpu.pb.gz'],
  ['-top -compact_labels -divide_by=1 x', 'top --compact-labels --divide-by 1 x'],
  ['-top -trim=false x', 'top --no-trim x'],
  ['-top -cum=false x', 'top x'],
  ['-top -cum=true x', 'top --cum x'],
  ['-list=main.alloc heap.pb.gz', 'list main.alloc heap.pb.gz'],
  ['-list main.alloc heap.pb.gz', 'list main.alloc heap.pb.gz'],
  ['-peek=line.*01 cpu.pb.gz', 'peek line.*01 cpu.pb.gz'],
  ['-tree -focus=[12]00 x', 'tree --focus [12]00 x'],
  ['-top -show_from=line2 x', 'top --show-from line2 x'],
  ['-top -unit=ms cpu.pb.gz', 'top --unit ms cpu.pb.gz'],
  ['-top -output=out.txt x', 'top --output out.txt x'],
  ['-dot -call_tree cpu.pb.gz', 'dot --call-tree cpu.pb.gz'],
  ['-dot -nodecount=20 -lines x', 'dot --nodecount 20 --lines x'],
  ['-callgrind x', 'callgrind x'],
  ['-raw x', 'raw x'],
  ['-proto -output=out.pb.gz x', 'proto --output out.pb.gz x'],
  ['-topproto -output out.pb.gz x', 'topproto --output out.pb.gz x'],
  // Native spellings pass through untouched.
  ['top --nodecount 20 --sample-index alloc_space heap.pb.gz', 'top --nodecount 20 --sample-index alloc_space heap.pb.gz'],
  ['top --cum -nodecount=3 x', 'top --cum --nodecount 3 x'],
  ['top --lines x', 'top --lines x'],
  // Unknown flags and plain arguments are left for commander to judge.
  ['-top -bogus x', 'top -bogus x'],
  ['top ./-weird-file', 'top ./-weird-file'],
  // -http picks the web command, as pprof's -http serves its UI.
  ['-http=:8080 heap.pb.gz', 'web --http :8080 heap.pb.gz'],
  ['-http localhost:0 -no_browser heap.pb.gz', 'web --http localhost:0 --no-browser heap.pb.gz'],
  ['--http=127.0.0.1:0 x', 'web --http 127.0.0.1:0 x'],
  ['web --http :0 x', 'web --http :0 x'],
  ['-http=:0 -sample_index=alloc_space x', 'web --http :0 --sample-index alloc_space x'],
];

for (const [typed, native] of cases) {
  test(`${typed}  →  ${native}`, () => {
    assert.deepEqual(translateGoArgs(typed.split(' '), commandNames), native.split(' '));
  });
}
