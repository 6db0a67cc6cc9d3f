// The graph pictures pprof users ask for by habit: `-svg`, `-web`, `-ps`, and `-png`, `-pdf`,
// `-gif`. The `dot` view is drawn by Graphviz's WebAssembly build in this process
// (src/report/svg.ts). That build draws SVG and PostScript; for PNG, PDF and GIF proflens writes
// the SVG and says in one line how to convert it, and fails, so that no script mistakes an SVG for
// the picture it asked for.

import type { Command } from 'commander';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { ProfileError } from '../src/profile/errors.js';
import { type CliIO, type SourceFlags, type ViewFlags, addViewOptions, configFromFlags, loadOptions, withProgress } from './options.js';
import type { WebIO } from './web-command.js';

/** PictureFormat names a picture command. */
type PictureFormat = 'svg' | 'ps' | 'png' | 'pdf' | 'gif';

/** pictureCommands says what each picture command is, in pprof's words, and how it is made. */
interface PictureCommand {
  readonly description: string;
  /** For formats drawn elsewhere: the command line that turns the SVG into the picture. */
  readonly convert?: (svg: string, out: string) => string;
}

const pictureCommands: Readonly<Record<PictureFormat, PictureCommand>> = {
  svg: { description: 'the call graph as SVG, drawn in-process (no Graphviz needed), like go tool pprof -svg' },
  ps: { description: 'the call graph as PostScript, drawn in-process, like go tool pprof -ps' },
  png: { description: 'pprof -png: proflens writes the SVG and says how to convert it', convert: (svg: string, out: string) => `rsvg-convert -f png -o ${out} ${svg}` },
  pdf: { description: 'pprof -pdf: proflens writes the SVG and says how to convert it', convert: (svg: string, out: string) => `rsvg-convert -f pdf -o ${out} ${svg}` },
  gif: { description: 'pprof -gif: proflens writes the SVG and says how to convert it', convert: (svg: string, out: string) => `convert ${svg} ${out}` },
};

/** pictureCommandNames are the commands defined here, for the Go-flag translation. */
export const pictureCommandNames: readonly string[] = Object.keys(pictureCommands);

type PictureFlags = ViewFlags & SourceFlags & { web?: boolean } & Record<string, unknown>;

/** registerPictureCommands adds svg, ps, png, pdf and gif to the program. */
export function registerPictureCommands(program: Command, io: WebIO, run: (action: () => Promise<void>, debug: boolean) => void): void {
  for (const [name, c] of Object.entries(pictureCommands) as [PictureFormat, PictureCommand][]) {
    const cmd = program.command(name).description(c.description).argument('<source...>', 'profile files or URLs, or - for standard input');
    addViewOptions(cmd);
    if (name === 'svg') cmd.option('--web', 'write the SVG to a temporary file and open it in the browser (go tool pprof -web)');
    cmd.action((sources: string[], flags: PictureFlags) => run(() => runPicture(io, name, sources, flags), !!flags.debug));
  }
}

/** runPicture draws the call graph of the sources and writes it where pprof would. */
async function runPicture(io: WebIO, format: PictureFormat, sources: string[], flags: PictureFlags): Promise<void> {
  const cfg = configFromFlags(flags);
  // The driver is imported when a picture is drawn: main loads this module for every full command list.
  const { generateView, loadProfile } = await import('../src/driver/driver.js');
  const profile = await withProgress(io, (progress) => loadProfile(sources, { ...loadOptions(flags, io), ...progress }));
  const { text: dot } = (await generateView(profile, 'dot', cfg, { warn: (m) => io.stderr(`${m}\n`) })) as { text: string };
  const { panZoomSvg, renderGraphviz } = await import('../src/report/svg.js');
  const picture = format === 'ps' ? await renderGraphviz(dot, 'ps') : panZoomSvg(await renderGraphviz(dot, 'svg'));
  if (flags.web) return openInBrowser(io, picture);
  const convert = pictureCommands[format].convert;
  if (!convert) return writePicture(io, flags.output, format, picture);
  // Graphviz's WebAssembly build draws no PNG, PDF or GIF: the SVG is kept where the picture was
  // asked for (out.png → out.svg), and the user is told how to finish.
  const target = flags.output ?? (await freeName(io, format));
  const svgPath = join(dirname(target), `${basename(target, extname(target))}.svg`);
  await writeFile(io, svgPath, picture);
  throw new ProfileError(`${format.toUpperCase()} needs Graphviz's own renderer; proflens wrote the graph as SVG to ${svgPath}: convert it with \`${convert(svgPath, target)}\` or open it in a browser`);
}

/** writePicture writes to --output, else standard output; on a terminal, as pprof, to profileNNN.<format>. */
async function writePicture(io: CliIO, output: string | undefined, format: PictureFormat, picture: string): Promise<void> {
  if (output === undefined && (io.stdoutIsTTY ?? process.stdout.isTTY === true)) {
    output = await freeName(io, format);
    io.stderr(`Generating report in ${output}\n`);
  }
  if (output === undefined) io.stdout(picture);
  else await writeFile(io, output, picture);
}

/** freeName is pprof's next free profileNNN.<format> in the working folder. */
async function freeName(io: CliIO, format: string): Promise<string> {
  const cwd = io.cwd ?? process.cwd();
  const { freeReportName } = await import('../src/fetch/write-file.js');
  const name = await freeReportName(cwd, format);
  return io.cwd === undefined ? name : join(cwd, name);
}

async function writeFile(io: CliIO, path: string, data: string): Promise<void> {
  await (io.writeFile ?? (await import('../src/fetch/write-file.js')).writeFileWhole)(path, data);
}

/** How long the SVG is kept after the browser's opener has exited: pprof's one second. */
export const webFileGraceMs = 1000;

/**
 * openInBrowser is pprof's -web: the SVG in a temporary file, opened in the browser. As pprof
 * does (invokeVisualizer), the file is deleted once the browser has it: when the opener has
 * exited (xdg-open; macOS's `open` and Windows' `start` return at once, and the `open` package's
 * wait would there mean until the browser quits), and a second later for a browser that returns
 * before reading it. A file served instead
 * would die with the process all the same, and pprof users expect a file:// page. With no display
 * to show a browser on (a server over ssh), or when no browser opens, the file is kept and named.
 */
async function openInBrowser(io: WebIO, svg: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'proflens-web-'));
  const path = join(dir, 'graph.svg');
  await writeFile(io, path, svg);
  // Imported here: main loads this module for every command, and only -web opens a browser.
  const { openOrSay } = await import('./web-command.js');
  if (!(await openOrSay(io, path, 'proflens: svg --web', `the graph is in ${path}`, { wait: process.platform !== 'darwin' && process.platform !== 'win32' }))) return;
  await new Promise((resolve) => setTimeout(resolve, webFileGraceMs));
  await rm(dir, { recursive: true, force: true });
}
