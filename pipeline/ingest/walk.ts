import { readdir, realpath, stat } from 'node:fs/promises';
import { join, basename } from 'node:path';

/** Files that travel with documents but are not documents. */
export function isSidecarOrHidden(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') || name.startsWith('~$') || /\.(?:meta|segments)\.json$/i.test(name) || /^metadata\.csv$/i.test(name);
}

/**
 * Every file below dir, sorted (so runs are deterministic), skipping hidden entries and sidecars.
 * Unreadable sub-folders are reported through onError instead of aborting the walk.
 */
export async function listFiles(
  dir: string,
  onError: (path: string, err: unknown) => void,
  /** Collects the sidecar files seen on the way (name.meta.json, name.segments.json, metadata.csv). */
  sidecars?: Set<string>,
): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = async (d: string) => {
    // Symlinked folders can form cycles; visit each real folder once.
    const real = await realpath(d).catch(() => d);
    if (seen.has(real)) return;
    seen.add(real);
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (err) {
      onError(d, err);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(d, e.name);
      if (isSidecarOrHidden(p) || e.name === 'node_modules') {
        if (sidecars && e.isFile() && /\.(?:meta|segments)\.json$|^metadata\.csv$/i.test(e.name)) sidecars.add(p);
        continue;
      }
      if (e.isDirectory()) await visit(p);
      else if (e.isFile()) out.push(p);
      else if (e.isSymbolicLink()) {
        const s = await stat(p).catch((err: unknown) => {
          onError(p, err);
          return null;
        });
        if (s?.isFile()) out.push(p);
        else if (s?.isDirectory()) await visit(p);
      }
    }
  };
  await visit(dir);
  return out;
}
