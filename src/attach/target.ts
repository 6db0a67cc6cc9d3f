// What proflens checks about a process before it signals it, read from Linux's /proc: that it
// exists and is ours to signal, that it runs Node, that it handles SIGUSR1 (a process that does
// not dies of it), and which TCP ports it listens on (so an inspector port is known to be its own,
// never another process's).

import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { AttachError } from './errors.js';

/** SIGUSR1's number on Linux; its bit in /proc/PID/status's SigCgt mask is 1 << (10 - 1). */
const sigusr1 = 10;

/** checkTarget refuses a PID that does not exist, is not ours to signal, or is not Node. */
export function checkTarget(pid: number): void {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new AttachError(`${pid}: not a process id`);
  if (pid === process.pid) throw new AttachError(`${pid}: that is proflens itself`);
  try {
    process.kill(pid, 0);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') throw new AttachError(`process ${pid}: no such process`);
    if (code === 'EPERM') throw new AttachError(`process ${pid}: belongs to another user (not permitted to signal it); run proflens as that user`);
    throw new AttachError(`process ${pid}: ${code ?? (e as Error).message}`);
  }
  const exe = executableName(pid);
  if (!/^(node|nodejs)(\d+(\.\d+)*)?$/.test(exe)) {
    throw new AttachError(`process ${pid}: not a Node.js process (it runs ${JSON.stringify(exe)})`);
  }
}

/** executableName is the file name of the program a process runs (its /proc exe link, else its comm). */
function executableName(pid: number): string {
  try {
    return basename(readlinkSync(`/proc/${pid}/exe`)).replace(/ \(deleted\)$/, '');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // Gone in between, or a system without /proc.
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        throw new AttachError(`process ${pid}: cannot read /proc/${pid} (proflens attach needs Linux's /proc)`);
      }
    }
    if (code === 'EACCES' || code === 'EPERM') throw new AttachError(`process ${pid}: belongs to another user (cannot read /proc/${pid}/exe); run proflens as that user`);
    throw new AttachError(`process ${pid}: cannot read /proc/${pid}/exe: ${code ?? (e as Error).message}`);
  }
}

/**
 * handlesSigusr1 tells whether the process catches SIGUSR1. Node with its inspector does; Node
 * built without it (or told --disable-sigusr1) does not, and SIGUSR1's default action ends it.
 */
export function handlesSigusr1(pid: number): boolean {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (caught === undefined) return false;
  return (BigInt(`0x${caught}`) & (1n << BigInt(sigusr1 - 1))) !== 0n;
}

/** inspectPortArgument is the port a Node process was told to use for its inspector (--inspect-port, --inspect=…), if any. */
export function inspectPortArgument(pid: number): number | undefined {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
  let port: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    // Node's own options come before the script; what follows it is the program's.
    if (i > 0 && !a.startsWith('-')) break;
    const m = /^--(?:inspect-port|debug-port|inspect|inspect-brk|inspect-wait)=(?:.*:)?(\d+)$/.exec(a);
    if (m) port = Number(m[1]);
    else if ((a === '--inspect-port' || a === '--debug-port') && /^(?:.*:)?\d+$/.test(args[i + 1] ?? '')) port = Number(/(\d+)$/.exec(args[++i]!)![1]);
  }
  // 0 is a port too: the inspector takes any free one when SIGUSR1 starts it.
  return port !== undefined && port >= 0 && port < 65536 ? port : undefined;
}

/** Listener is a listening TCP socket: its port and whether it is bound to loopback only or all addresses. */
export interface Listener {
  readonly port: number;
  readonly inode: string;
}

/** listeners lists the listening TCP sockets of the machine's network namespace, by inode. */
function allListeners(pid: number): Listener[] {
  const out: Listener[] = [];
  for (const file of ['tcp', 'tcp6']) {
    let text: string;
    try {
      // The process's own view: the same as /proc/net unless it lives in another network namespace.
      text = readFileSync(`/proc/${pid}/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st … inode: state 0A is LISTEN.
      if (f.length < 10 || f[3] !== '0A') continue;
      const port = parseInt(f[1]!.split(':')[1] ?? '', 16);
      if (Number.isFinite(port)) out.push({ port, inode: f[9]! });
    }
  }
  return out;
}

/** socketInodes lists the inodes of the sockets a process holds open. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AttachError(`process ${pid}: cannot read its open files (${code ?? (e as Error).message})`);
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // Closed in between.
    }
  }
  return inodes;
}

/** PortOwner says who listens on a port: the process itself, another one, or nobody. */
export type PortOwner = 'self' | 'other' | 'none';

/** ListeningPorts is a snapshot of which TCP ports a process and the others listen on. */
export class ListeningPorts {
  readonly own: ReadonlySet<number>;
  readonly all: ReadonlySet<number>;

  constructor(pid: number) {
    const inodes = socketInodes(pid);
    const listeners = allListeners(pid);
    this.own = new Set(listeners.filter((l) => inodes.has(l.inode)).map((l) => l.port));
    this.all = new Set(listeners.map((l) => l.port));
  }

  /** owner says who listens on the port. */
  owner(port: number): PortOwner {
    return this.own.has(port) ? 'self' : this.all.has(port) ? 'other' : 'none';
  }
}
