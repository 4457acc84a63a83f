// Where a worker thread's module is: a worker loads JavaScript, so when the caller runs from TypeScript sources
// (vitest) it is dist/'s compiled copy; otherwise the module beside the caller's own in dist/.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from './shared-vectors.js';

/** `src` is the module's path under src/, e.g. 'dcc/gateway-worker.js'; `callerUrl` the caller's import.meta.url. */
export function workerScript(src: string, callerUrl: string): URL {
  if (!callerUrl.endsWith('.ts')) return new URL(pathToFileURL(join(distSrcOf(callerUrl), src)));
  return new URL(pathToFileURL(join(projectRoot(), 'dist', 'src', src)));
}

/** dist/src of a module running from dist/src/…/x.js. */
function distSrcOf(callerUrl: string): string {
  const path = new URL(callerUrl).pathname;
  const at = path.lastIndexOf('/dist/src/');
  if (at < 0) throw new Error(`worker-script: ${callerUrl} is not under dist/src`);
  return decodeURIComponent(path.slice(0, at + '/dist/src/'.length));
}
