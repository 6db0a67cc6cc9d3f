// Users type `go tool pprof` flags from habit: `proflens -top -nodecount=20 -sample_index=alloc_space
// heap.pb.gz`. This turns those spellings into proflens's own (`top --nodecount 20 --sample-index
// alloc_space heap.pb.gz`) for a fixed table of pprof flag names; anything else passes through.

/** GoFlag says how one pprof flag maps to proflens's command line. */
type GoFlag =
  /** A view (`-top`): becomes the command. */
  | { readonly kind: 'view'; readonly command: string; readonly native?: readonly string[] }
  /** A view taking a regex (`-list=main.f`): becomes the command and its argument. */
  | { readonly kind: 'view-arg'; readonly command: string }
  /** A boolean flag: becomes these native arguments when true. */
  | { readonly kind: 'bool'; readonly native: readonly string[]; readonly whenFalse?: readonly string[] }
  /** A flag with a value: becomes this native option with the value. */
  | { readonly kind: 'value'; readonly native: string }
  /** A flag with a value that also picks a command (`-http=:8080` means `web --http :8080`). */
  | { readonly kind: 'command-value'; readonly command: string; readonly native: string };

const view = (command: string): GoFlag => ({ kind: 'view', command });
const viewArg = (command: string): GoFlag => ({ kind: 'view-arg', command });
const bool = (...native: string[]): GoFlag => ({ kind: 'bool', native });
const value = (native: string): GoFlag => ({ kind: 'value', native });

/** goFlags is the table of pprof flag names proflens understands. */
export const goFlags = {
  // Views.
  top: view('top'),
  text: view('text'),
  tree: view('tree'),
  traces: view('traces'),
  tags: view('tags'),
  raw: view('raw'),
  proto: view('proto'),
  topproto: view('topproto'),
  dot: view('dot'),
  callgrind: view('callgrind'),
  comments: view('comments'),
  // pprof's -web is its SVG opened in the browser; its web UI is -http (proflens web).
  web: { kind: 'view', command: 'svg', native: ['--web'] },
  svg: view('svg'),
  ps: view('ps'),
  png: view('png'),
  pdf: view('pdf'),
  gif: view('gif'),
  list: viewArg('list'),
  peek: viewArg('peek'),
  weblist: viewArg('weblist'),
  disasm: viewArg('disasm'),
  http: { kind: 'command-value', command: 'web', native: '--http' },
  // Sample selection.
  sample_index: value('--sample-index'),
  // go tool trace's -pprof=KIND: a latency profile built from a trace.
  pprof: value('--pprof'),
  mean: bool('--mean'),
  inuse_space: bool('--sample-index=inuse_space'),
  inuse_objects: bool('--sample-index=inuse_objects'),
  alloc_space: bool('--sample-index=alloc_space'),
  alloc_objects: bool('--sample-index=alloc_objects'),
  total_delay: bool('--sample-index=delay'),
  contentions: bool('--sample-index=contentions'),
  mean_delay: bool('--mean', '--sample-index=delay'),
  // Granularity.
  granularity: value('--granularity'),
  functions: bool('--functions'),
  filefunctions: bool('--filefunctions'),
  files: bool('--files'),
  lines: bool('--lines'),
  addresses: bool('--addresses'),
  noinlines: bool('--noinlines'),
  // Sorting and trimming.
  cum: bool('--cum'),
  flat: bool('--flat'),
  nodecount: value('--nodecount'),
  nodefraction: value('--nodefraction'),
  edgefraction: value('--edgefraction'),
  trim: { kind: 'bool', native: ['--trim'], whenFalse: ['--no-trim'] },
  drop_negative: bool('--drop-negative'),
  // Printing.
  unit: value('--unit'),
  divide_by: value('--divide-by'),
  compact_labels: bool('--compact-labels'),
  output: value('--output'),
  o: value('--output'),
  trim_path: value('--trim-path'),
  source_path: value('--source-path'),
  // Filters.
  focus: value('--focus'),
  ignore: value('--ignore'),
  hide: value('--hide'),
  show: value('--show'),
  show_from: value('--show-from'),
  prune_from: value('--prune-from'),
  tagfocus: value('--tagfocus'),
  tagignore: value('--tagignore'),
  tagshow: value('--tagshow'),
  taghide: value('--taghide'),
  tagroot: value('--tagroot'),
  tagleaf: value('--tagleaf'),
  relative_percentages: bool('--relative-percentages'),
  call_tree: bool('--call-tree'),
  // Collecting and comparing.
  seconds: value('--seconds'),
  timeout: value('--timeout'),
  base: value('--base'),
  diff_base: value('--diff-base'),
  normalize: bool('--normalize'),
  symbolize: value('--symbolize'),
  add_comment: value('--add-comment'),
  tls_cert: value('--tls-cert'),
  tls_key: value('--tls-key'),
  tls_ca: value('--tls-ca'),
  no_browser: bool('--no-browser'),
  // pprof's flag package answers -h and -help; -version is proflens's own in Go's spelling.
  help: bool('--help'),
  h: bool('--help'),
  version: bool('--version'),
} satisfies Record<string, GoFlag>;

type Name = keyof typeof goFlags;

const flagRe = /^--?([A-Za-z][A-Za-z0-9_]*)(?:=([\s\S]*))?$/;

function lookup(name: string): GoFlag | undefined {
  return Object.prototype.hasOwnProperty.call(goFlags, name) ? goFlags[name as Name] : undefined;
}

const isTrue = (v: string): boolean => v === '' || /^(1|t|true|TRUE|True)$/.test(v);

/**
 * translateGoArgs rewrites pprof-style arguments into proflens's native ones. Views (`-top`,
 * `-list=re`) become the command; other known flags become native options; everything else —
 * sources, native options, unknown flags — is passed on as given.
 */
export function translateGoArgs(argv: readonly string[], commands: readonly string[]): string[] {
  const hasCommand = argv.length > 0 && commands.includes(argv[0]!);
  let command: string[] | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = flagRe.exec(arg);
    const flag = m ? lookup(m[1]!) : undefined;
    // Native double-dash spellings are already right; only rewrite what needs rewriting.
    const picksCommand = flag !== undefined && (flag.kind === 'view' || flag.kind === 'view-arg' || flag.kind === 'command-value');
    if (!m || !flag || (arg.startsWith('--') && !picksCommand && !arg.includes('_'))) {
      rest.push(arg);
      continue;
    }
    const inline = m[2];
    const takeValue = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
    switch (flag.kind) {
      case 'view':
        if (inline !== undefined && !isTrue(inline)) break;
        if (hasCommand || command) rest.push(arg);
        else command = [flag.command, ...(flag.native ?? [])];
        break;
      case 'view-arg': {
        const v = takeValue();
        if (hasCommand || command) rest.push(arg, ...(inline === undefined && v !== undefined ? [v] : []));
        else command = v === undefined ? [flag.command] : [flag.command, v];
        break;
      }
      case 'bool':
        if (inline === undefined || isTrue(inline)) rest.push(...flag.native);
        else if ('whenFalse' in flag && flag.whenFalse) rest.push(...flag.whenFalse);
        break;
      case 'command-value':
      case 'value': {
        if (flag.kind === 'command-value' && !hasCommand && !command) command = [flag.command];
        const v = takeValue();
        rest.push(flag.native);
        if (v !== undefined) rest.push(v);
        break;
      }
    }
  }
  return command ? [...command, ...rest] : rest;
}
