#!/usr/bin/env node
// The proflens executable: wires the process to main() and exits with its code.

import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});
process.exitCode = code;
