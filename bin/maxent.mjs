#!/usr/bin/env node
// The `maxent` command. Runs the TypeScript sources through tsx (no build step needed).
import { register } from 'tsx/esm/api';

register();
// Output piped into a reader that stops early (`maxent list runs | head`): the rest is dropped, as
// the reader asked, and a training run goes on to its end rather than dying mid-run.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
});
const { main, UsageError } = await import('../studio/cli.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`maxent: ${e instanceof Error ? e.message : String(e)}\n`);
  // An interrupted command says so by the shell's convention (130 for Ctrl-C).
  process.exitCode = e instanceof UsageError ? 2 : Number.isInteger(e?.exitCode) ? e.exitCode : 1;
}
