// The files a folder check reads: every regular file below a folder, hidden ones skipped, sorted for a stable report.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function filesUnder(dir: string, accept: (name: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && accept(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}
