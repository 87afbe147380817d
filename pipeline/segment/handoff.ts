import type { SegmentedTemplate } from './rows.js';

/**
 * Segmentations computed by ingest, handed to the segment stage that follows it in the same command
 * (`confrec run`). Metadata extraction needs to know where a resolution's operative part starts,
 * which is the segmenter's decision; it used to run the segmenter's front part for that, and the
 * segment stage then ran the whole segmenter again (≈ 0.4 + 0.6 ms of CPU per document on the
 * synthetic corpus). With a handoff, ingest runs the whole segmenter once per new document, takes the
 * operative start from it, and keeps the rows (SegmentedTemplate, without ids) here by doc_id.
 *
 * The segment stage uses an entry only for the very text it reads from the database and a document
 * without hand corrections; anything else (a text that differs, corrections, a document ingested by
 * an earlier command) is segmented as always. The rows are the same either way: a template is the
 * pure segmentation of the text by this process's rules (tests/stage/handoff.test.ts compares them).
 *
 * An entry is keyed by doc_id and names the md5 of the text it was computed on (UTF-8, as DuckDB's
 * md5() hashes the stored text), so the stage checks it without reading the texts of the documents it
 * takes from here, and the handoff never holds the texts themselves.
 *
 * Memory: entries are dropped as segment takes them; ingest stops adding (and asking the workers
 * for whole segmentations) past `maxBytes` (config.segmentHandoffMb), so a very large first run
 * keeps a bounded amount and segments the rest itself.
 */
export class SegmentHandoff {
  private readonly entries = new Map<string, { textMd5: string; template: SegmentedTemplate }>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Whether ingest should still compute whole segmentations for this handoff. */
  get accepting(): boolean {
    return this.bytes < this.maxBytes;
  }

  /** Counts a template computed for this handoff (as the results arrive, before the doc_ids are decided). */
  reserve(template: SegmentedTemplate): void {
    this.bytes += templateBytes(template);
  }

  get size(): number {
    return this.entries.size;
  }

  /** A template reserved before, under the doc_id ingest gave the document. */
  put(docId: string, textMd5: string, template: SegmentedTemplate): void {
    this.entries.set(docId, { textMd5, template });
  }

  /** Whether a template of this document is here (computed on some text: `has` checks which). */
  holds(docId: string): boolean {
    return this.entries.has(docId);
  }

  /** Whether a template computed on the text with this md5 is here. */
  has(docId: string, textMd5: string): boolean {
    return this.entries.get(docId)?.textMd5 === textMd5;
  }

  /** The template of this document if ingest computed it for exactly this text; removed once taken. */
  take(docId: string, textMd5: string): SegmentedTemplate | null {
    const e = this.entries.get(docId);
    if (!e) return null;
    this.entries.delete(docId);
    return e.textMd5 === textMd5 ? e.template : null;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/**
 * Rough heap size of a template: two bytes per character of its strings plus ≈ 600 bytes per row of
 * object overhead (measured: 10,000 synthetic resolutions, 74,753 rows, raised ingest + segment's
 * peak RSS by ≈ 160 MB; this estimate gives 125 MB).
 */
export function templateBytes(t: SegmentedTemplate): number {
  let n = 200;
  for (const r of t.rows) {
    n += 600 + 2 * (r.text.length + r.proposal.length + (r.addressee_raw?.length ?? 0) + (r.addressee?.length ?? 0) + r.text_hash.length);
  }
  return n;
}
