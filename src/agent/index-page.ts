// The /debug/pprof/ page: what Go's net/http/pprof index lists, for the profiles a Node service
// has. Links are relative, as Go's are, so the page works wherever the handler is mounted.

/** ProfileEntry is one row of the index. */
interface ProfileEntry {
  readonly name: string;
  readonly desc: string;
}

const profiles: readonly ProfileEntry[] = [
  { name: 'cmdline', desc: 'The command line invocation of the current program' },
  {
    name: 'heap',
    desc: "A sampling of memory allocations of live objects, from V8's sampling heap profiler, running since the agent started.",
  },
  {
    name: 'profile',
    desc: 'CPU profile. You can specify the duration in the seconds GET parameter. After you get the profile file, use proflens top or go tool pprof to investigate the profile.',
  },
];

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** indexPage returns the HTML of the index. */
export function indexPage(): string {
  const rows = profiles.map((p) => `<tr><td></td><td><a href='${p.name}'>${escapeHtml(p.name)}</a></td></tr>\n`).join('');
  const descs = profiles.map((p) => `<li><div class=profile-name>${escapeHtml(p.name)}: </div> ${escapeHtml(p.desc)}</li>\n`).join('');
  return `<html>
<head>
<title>/debug/pprof/</title>
<style>
.profile-name{
\tdisplay:inline-block;
\twidth:6rem;
}
</style>
</head>
<body>
/debug/pprof/<br>
<br>
Types of profiles available:
<table>
<thead><td>Count</td><td>Profile</td></thead>
${rows}</table>
<br>
<a href='../vars'>/debug/vars</a>: memory, garbage collection, event loop and published variables as JSON
<p>
Profile Descriptions:
<ul>
${descs}</ul>
</p>
</body>
</html>`;
}
