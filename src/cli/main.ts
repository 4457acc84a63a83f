#!/usr/bin/env node
// The `smets-twin` executable.
import { processIo } from './io.js';
import { runCli } from './program.js';

// A closed pipe (`smets-twin … | head`) ends the output, not the process with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
process.exitCode = await runCli(process.argv.slice(2), processIo);
