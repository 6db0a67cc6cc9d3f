// Real Go services for end-to-end tests: the programs of fixtures/go built once per test process
// and started in their `-http 127.0.0.1:0` mode, serving net/http/pprof on a free loopback port.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, scratchDir } from './helpers.js';
import { type ServiceProcess, startService } from '../demo/service-process.js';

/** hasGo tells whether a Go toolchain is installed (CI installs Debian's golang-go). */
export const hasGo = ((): boolean => {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const binDir = scratchDir('go');
const built = new Set<string>();

/** GoService is a running fixture program. */
export type GoService = ServiceProcess;

/** startGoFixture builds (once) and starts fixtures/go/cmd/<name> serving on 127.0.0.1:0. */
export async function startGoFixture(name: string): Promise<GoService> {
  const bin = join(binDir, name);
  if (!built.has(name)) {
    execFileSync('go', ['build', '-o', bin, `./cmd/${name}`], { cwd: join(repoRoot, 'fixtures', 'go'), stdio: ['ignore', 'ignore', 'inherit'] });
    built.add(name);
  }
  return startService(name, bin, ['-http', '127.0.0.1:0']);
}

/** A built cpu fixture and the CPU profile it wrote of itself, made once per test process. */
let cpuProfileMade: Promise<{ bin: string; prof: string }> | undefined;

/** builtCpuProfile builds fixtures/go/cmd/cpu (once) and runs it to profile itself: the binary and the profile. */
export function builtCpuProfile(): Promise<{ bin: string; prof: string }> {
  cpuProfileMade ??= (async () => {
    const dir = scratchDir('cpu-profile');
    const bin = join(dir, 'cpu');
    execFileSync('go', ['build', '-o', bin, './cmd/cpu'], { cwd: join(repoRoot, 'fixtures', 'go'), stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync(bin, ['-out', dir], { stdio: 'ignore' });
    return { bin, prof: join(dir, 'cpu.pb.gz') };
  })();
  return cpuProfileMade;
}
