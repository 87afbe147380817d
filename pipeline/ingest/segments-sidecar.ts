import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ConfrecError } from '../errors.js';
import { sha256Hex } from '../store/hash.js';
import { parseCorrections } from '../segment/corrections.js';

/**
 * Segmentation corrections travel with documents as `name.segments.json` (README "Correcting the
 * segmentation"). Ingest, which lists the folders, reads them into `segment_corrections`; the segment
 * stage applies them and re-segments a document whenever its sidecar's hash changes — so editing
 * only the sidecar is enough, and the corrections survive new segmenter versions.
 */
export function segmentsSidecarOf(docPath: string): string {
  return join(dirname(docPath), `${basename(docPath, extname(docPath))}.segments.json`);
}

export interface SegmentsSidecarRow {
  source_path: string;
  sidecar_path: string;
  content: string;
  sha256: string;
}

/**
 * The sidecars of the given documents that exist (`present` holds the sidecar files the folder walk
 * saw). A sidecar whose JSON or structure is invalid is returned as an issue naming its file, line
 * and field, and is not stored: the document is segmented as if it had none.
 */
export async function readSegmentsSidecars(
  docPaths: readonly string[],
  present: ReadonlySet<string>,
): Promise<{ rows: SegmentsSidecarRow[]; issues: { path: string; reason: string }[]; valid: string[] }> {
  const rows: SegmentsSidecarRow[] = [];
  const issues: { path: string; reason: string }[] = [];
  const valid: string[] = [];
  // Only documents in a folder that holds a sidecar can have one (a re-run passes every document).
  const folders = new Set([...present].map((p) => dirname(p)));
  for (const doc of docPaths) {
    if (!folders.has(dirname(doc))) continue;
    const sidecar = segmentsSidecarOf(doc);
    if (!present.has(sidecar)) continue;
    try {
      const content = await readFile(sidecar, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new ConfrecError(`cannot read segment corrections (${err.code ?? err.message})`, { file: sidecar });
      });
      parseCorrections(content, sidecar);
      rows.push({ source_path: doc, sidecar_path: sidecar, content, sha256: sha256Hex(content) });
      valid.push(sidecar);
    } catch (err) {
      if (!(err instanceof ConfrecError)) throw err;
      issues.push({ path: sidecar, reason: err.message + (err.hint ? ` — ${err.hint}` : '') });
    }
  }
  return { rows, issues, valid };
}
