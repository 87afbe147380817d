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
 * An entry is keyed by doc_id and names the ingest run that wrote the document's row from the very
 * text the template was computed on (ingest/stage.ts, finishDocument). The stage takes an entry only
 * for a current document whose row that run wrote: no other writer touches a document's text between
 * ingest and segment in one command, and a document's text reaches DuckDB unchanged (a lone surrogate,
 * the one string DuckDB could not store as it is, is never handed on: ingest/prepare.ts). So the stage
 * needs neither the texts nor a hash of them (hashing every stored text with md5() cost 0.6–1.6 s at
 * 10,000 documents), and the handoff never holds the texts themselves.
 *
 * Memory: entries are dropped as segment takes them; ingest stops adding (and asking the workers
 * for whole segmentations) past `maxBytes` (config.segmentHandoffMb), so a very large first run
 * keeps a bounded amount and segments the rest itself.
 */
export class SegmentHandoff {
  private readonly entries = new Map<string, { runId: number; template: SegmentedTemplate }>();
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

  /** A template reserved before, under the doc_id ingest gave the document and the run that wrote its row. */
  put(docId: string, runId: number, template: SegmentedTemplate): void {
    this.entries.set(docId, { runId, template });
  }

  /** Whether a template is here for this document as written by run `runId` (its stored run_id). */
  has(docId: string, runId: number | null): boolean {
    return runId !== null && this.entries.get(docId)?.runId === runId;
  }

  /** The template of this document if that run wrote it; removed once asked for. */
  take(docId: string, runId: number | null): SegmentedTemplate | null {
    const e = this.entries.get(docId);
    if (!e) return null;
    this.entries.delete(docId);
    return runId !== null && e.runId === runId ? e.template : null;
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
