import { readdir, realpath, stat } from 'node:fs/promises';
import { join, basename } from 'node:path';

/** Files that travel with documents but are not documents. */
export function isSidecarOrHidden(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') || name.startsWith('~$') || /\.(?:meta|segments)\.json$/i.test(name) || /^metadata\.csv$/i.test(name);
}

/**
 * A browser's "Save page, complete" writes `page.html` and a folder `page_files` (Chrome, Firefox;
 * `page.files` in some Russian-language browsers) of images, scripts and styles. That folder is part
 * of the page, not documents: its logos would otherwise be OCRed and its scripts reported.
 */
export function isSavedPageAssets(dirName: string, siblings: ReadonlySet<string>): boolean {
  const m = /^(.+)(?:_files|\.files|-Dateien|_archivos|_fichiers)$/.exec(dirName);
  if (!m) return false;
  return ['.html', '.htm', '.xhtml', '.shtml', '.mht'].some((ext) => siblings.has(m[1] + ext));
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
    const names = new Set(entries.map((e) => e.name));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory() && isSavedPageAssets(e.name, names)) continue;
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
