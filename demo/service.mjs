// A small Node service for the demo and the tests: it answers HTTP requests, burns CPU in a few
// named functions, slowly leaks memory in one, and serves proflens's agent (/debug/pprof/…,
// /debug/vars) on its own port, as a Go service does with net/http/pprof.
//
//   node demo/service.mjs [--port 0] [--host 127.0.0.1] [--express] [--token T] [--cpu-time]
//                         [--heap-interval BYTES] [--cpu-interval MS]
//
// Prints one line, `listening on http://HOST:PORT`, once it listens; exits on SIGTERM/SIGINT or
// when its standard input closes, so whoever started it cannot leave it behind.
// Needs `npm run build` first (it imports the built proflens/agent).

import * as http from 'node:http';
import { parseArgs } from 'node:util';
import { counter, createAgent, gauge, map } from 'proflens/agent';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    express: { type: 'boolean', default: false },
    token: { type: 'string' },
    'cpu-time': { type: 'boolean', default: false },
    'heap-interval': { type: 'string' },
    'cpu-interval': { type: 'string' },
  },
});

const requests = counter('requests');
const byRoute = map('requestsByRoute');
const leakedBytes = gauge('leakedBytes');
const sessionCount = gauge('sessions');

// ---- CPU work: two burners kept apart so a profile can tell them apart --------------------

/** countPrimes tests every number below n by trial division: plain arithmetic CPU. */
function countPrimes(n) {
  let count = 0;
  for (let i = 2; i < n; i++) {
    let prime = true;
    for (let d = 2; d * d <= i; d++) {
      if (i % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

/**
 * hashStrings builds strings and hashes them: CPU with a little allocation. Its strings are
 * garbage at once, but a heap profile counts them as live until V8 collects them, so it builds a
 * new one only every 64 rounds: the demo's heap diff must name the leak, not this.
 */
function hashStrings(n) {
  let h = 0;
  let s = '';
  for (let i = 0; i < n; i++) {
    if (i % 64 === 0) s = `item-${i}-${h}`;
    for (let j = 0; j < s.length; j++) h = (Math.imul(h, 31) + s.charCodeAt(j) + i) | 0;
  }
  return h;
}

// ---- The leak: sessions that are never dropped, up to a bound so the demo cannot run out --------

const sessions = [];
const leakLimit = 256 * 1024 * 1024;
let leaked = 0;

let lastLeak = Date.now();

/**
 * leakSessions keeps a session of about 4 kB per millisecond (4 MB/s), like a cache nobody
 * evicts: 16 MB between the demo's two heap snapshots, clearly more than the CPU work's
 * short-lived garbage. It counts time, not calls, so a busy machine that runs it late still
 * leaks as much.
 */
function leakSessions() {
  if (leaked >= leakLimit) return;
  const now = Date.now();
  const count = now - lastLeak;
  lastLeak = now;
  for (let i = 0; i < count; i++) {
    sessions.push({ id: sessions.length, user: `user-${sessions.length}`, data: new Array(500).fill(sessions.length) });
  }
  leaked += count * 4096;
  leakedBytes.set(leaked);
}

/** expireSessions is meant to drop old sessions; its bug (a cutoff that never passes) is the leak. */
function expireSessions() {
  const cutoff = -1;
  while (sessions.length > 0 && sessions[0].id < cutoff) sessions.shift();
}

/** reportStats publishes how many sessions are kept. */
function reportStats() {
  sessionCount.set(sessions.length);
}

// ---- The scheduler: periodic jobs, as a service's cron would run them ---------------------------
// Every job is called from the one call site in runDueJobs. With this many different functions
// there, V8 does not inline them into it, so CPU profiles name countPrimes and hashStrings rather
// than folding them into their caller.

const jobs = [
  { every: 100, run: countPrimes, arg: 150000 },
  { every: 100, run: hashStrings, arg: 20000 },
  { every: 100, run: leakSessions },
  { every: 100, run: expireSessions },
  { every: 500, run: reportStats },
].map((j) => ({ ...j, next: 0 }));

/** runDueJobs runs the jobs whose time has come; about 20 ms of work every 100 ms in all. */
function runDueJobs() {
  const now = Date.now();
  for (const job of jobs) {
    if (now < job.next) continue;
    job.next = now + job.every;
    job.run(job.arg);
  }
}

// ---- Requests ----------------------------------------------------------------------------------

/** handleWork answers /work with a little CPU work of its own. */
function handleWork() {
  return String(countPrimes(2000));
}

function answer(path) {
  requests.add();
  byRoute.add(path);
  return path === '/work' ? handleWork() : 'hello from the proflens demo service\n';
}

const agent = createAgent({
  cpuTime: args['cpu-time'],
  ...(args.token && { token: args.token }),
  ...(args['heap-interval'] && { heapIntervalBytes: Number(args['heap-interval']) }),
  ...(args['cpu-interval'] && { cpuIntervalMs: Number(args['cpu-interval']) }),
});

let server;
if (args.express) {
  const { default: express } = await import('express');
  const app = express();
  app.use('/debug', agent.handle);
  app.get('/', (req, res) => res.type('text/plain').send(answer('/')));
  app.get('/work', (req, res) => res.type('text/plain').send(answer('/work')));
  server = http.createServer(app);
} else {
  server = http.createServer((req, res) => {
    if (agent.handle(req, res)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/' && path !== '/work') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(answer(path));
  });
}

const timers = [setInterval(runDueJobs, 10)];
server.listen(Number(args.port), args.host, () => {
  const { address, port, family } = server.address();
  process.stdout.write(`listening on http://${family === 'IPv6' ? `[${address}]` : address}:${port}\n`);
});

function stop() {
  timers.forEach(clearInterval);
  agent.close();
  server.closeAllConnections();
  server.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
