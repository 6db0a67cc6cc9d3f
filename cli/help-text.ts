// `proflens --help`: the commands grouped by what they are for, the options every view shares
// grouped the same way, where profiles come from (files, standard input, URLs), and examples.

import type { Command } from 'commander';

/** commandGroups puts each command under a heading; a command not named here goes under "Other". */
const commandGroups: Readonly<Record<string, readonly string[]>> = {
  'Views of a profile (pprof -top, -tree, …):': ['top', 'tree', 'peek', 'list', 'traces', 'tags', 'comments', 'dot', 'callgrind', 'raw', 'proto', 'topproto', 'disasm'],
  'Pictures and the web UI:': ['web', 'weblist', 'svg', 'ps', 'png', 'pdf', 'gif'],
  'Collect and compare:': ['fetch', 'attach', 'diff', 'trend'],
  'Services, goroutines, heaps and traces:': ['vars', 'goroutines', 'heap', 'trace'],
  'Other:': ['shell', 'completion', 'help'],
};

/** overview follows the command list: shared options by group, sources, examples. */
const overview = `
Options every view takes (proflens top --help lists them all):
  Sources:  a profile file (gzipped or not), - for standard input, or a URL:
            http(s)://host:port/debug/pprof/heap, or host:port/debug/pprof/heap
            (http:// is added), or host:port (a CPU profile: /debug/pprof/profile);
            V8's .cpuprofile/.heapprofile; --pid PID attaches to a Node process;
            --seconds N  --timeout D  --base SRC  --diff-base SRC  --tls-ca FILE
  Samples:  --sample-index T  --mean  --alloc-space  --inuse-space
  Filters:  --focus R  --ignore R  --hide R  --show R  --show-from R  --prune-from R
            --tagfocus F  --tagignore F  --tagshow R  --taghide R   (R: Go regexp)
  Output:   --cum  --nodecount N  --lines  --files  --unit U  --no-trim  --json
            --output FILE
  go tool pprof's spellings work too: -top -nodecount=20 -sample_index=alloc_space

Examples:
  proflens top heap.pb.gz                          # go tool pprof -top heap.pb.gz
  proflens top --cum --focus 'main\\.' cpu.pb.gz
  proflens top --seconds 10 localhost:6060         # 10 s of CPU from a running service
  proflens list 'main\\.handle' cpu.pb.gz
  proflens diff old.pb.gz new.pb.gz                # what grew, node by node
  proflens web localhost:6060/debug/pprof/heap     # flame graph, top, source, graph
  proflens svg cpu.pb.gz > graph.svg               # no Graphviz needed
  proflens cpu.pb.gz                               # the interactive (pprof) shell
`;

/** groupHelp sorts the program's commands under their headings and adds the overview. */
export function groupHelp(program: Command): void {
  for (const c of program.commands) {
    const group = Object.entries(commandGroups).find(([, names]) => names.includes(c.name()))?.[0] ?? 'Other:';
    c.helpGroup(group);
  }
  // commander adds `help` itself when the help is shown: have it made now, under Other.
  program.commandsGroup('Other:').helpCommand(true);
  program.addHelpText('after', overview);
}
