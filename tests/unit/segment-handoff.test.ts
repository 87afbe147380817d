/**
 * One segmentation per document (segment/handoff.ts): in `confrec run` ingest segments the whole text,
 * metadata takes the operative start from that segmentation instead of running the segmenter's front
 * part, and the segment stage takes the rows. Both must be exactly what the separate passes give, on
 * every layout family of the fixtures (news articles, protocols, tables, appeals, …).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../pipeline/config.js';
import { extractMetadata } from '../../pipeline/ingest/metadata.js';
import { prepareDocument } from '../../pipeline/ingest/prepare.js';
import type { RawDocument } from '../../pipeline/ingest/readers.js';
import { SegmentHandoff } from '../../pipeline/segment/handoff.js';
import { stampRows, stampValues, templateOf } from '../../pipeline/segment/rows.js';
import { RECOMMENDATIONS } from '../../pipeline/store/columns.js';
import { sha256Hex } from '../../pipeline/store/hash.js';
import { segmentResolution } from '../../pipeline/segment/segment.js';
import type { Morph } from '../../pipeline/text/morph.js';
import { normaliseText } from '../../pipeline/text/normalise.js';
import { testMorph } from '../helpers/morph.js';
import { SAMPLE_DIR } from '../helpers/tmp.js';

function textFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? textFiles(join(dir, e.name)) : e.name.endsWith('.txt') ? [join(dir, e.name)] : [],
  );
}

const files = [...textFiles(SAMPLE_DIR), ...textFiles(join(ROOT, 'tests', 'fixtures'))];
let morph: Morph;
beforeAll(async () => {
  morph = await testMorph();
});

const raw = (text: string): RawDocument => ({ text, fileType: 'txt', encoding: 'utf-8', notes: [], reader: 'txt:plain', ocrConfidence: null });

describe('segmenting once for metadata and segment', () => {
  it('the whole segmentation gives the front part\'s operative start and kind, so the same metadata, on every fixture', () => {
    expect(files.length).toBeGreaterThan(50);
    let news = 0;
    let opened = 0;
    for (const f of files) {
      const text = normaliseText(readFileSync(f, 'utf8'));
      const front = segmentResolution(text, morph, { untilOperative: true });
      const whole = segmentResolution(text, morph);
      expect(whole.narrativeEnd, f).toBe(front.narrativeEnd);
      expect(whole.sourceKind, f).toBe(front.sourceKind);
      expect(extractMetadata(text, morph, whole), f).toEqual(extractMetadata(text, morph));
      if (whole.sourceKind === 'news') news++;
      if (whole.narrativeEnd !== null && whole.narrativeEnd < text.length) opened++;
    }
    // The fixtures reach both kinds and documents whose operative part starts before the end.
    expect(news).toBeGreaterThan(0);
    expect(opened).toBeGreaterThan(files.length / 2);
  });

  it('prepareDocument hands on the rows of the whole segmentation, only when asked', () => {
    const text = normaliseText(readFileSync(join(SAMPLE_DIR, 'resolution-01.txt'), 'utf8'));
    const plain = prepareDocument('r.txt', raw(text), morph);
    const shared = prepareDocument('r.txt', raw(text), morph, { segment: true });
    expect(plain.segmented).toBeNull();
    expect(shared.meta).toEqual(plain.meta);
    expect(shared.segmented!.template).toEqual(templateOf(shared.text, segmentResolution(shared.text, morph)));
    expect(shared.segmented!.template.rows.length).toBeGreaterThan(3);
    // A lone surrogate would be stored as U+FFFD, another text than the one segmented: not handed on.
    const odd = prepareDocument('r.txt', raw(text + '\n\uD800'), morph, { segment: true });
    expect(odd.segmented).toBeNull();
    expect(odd.meta).not.toBeNull();
    expect(prepareDocument('r.txt', raw(text + '\n\uDC00x'), morph, { segment: true }).segmented).toBeNull();
    // A pair of surrogates is one character, stored as it is: handed on.
    expect(prepareDocument('r.txt', raw(text + '\n\uD83D\uDE00'), morph, { segment: true }).segmented).not.toBeNull();
  });

  it('the handoff gives a template only for the document row its ingest run wrote, once, and stops accepting past its size', () => {
    const text = normaliseText(readFileSync(join(SAMPLE_DIR, 'resolution-02.txt'), 'utf8'));
    const t = templateOf(text, segmentResolution(text, morph));
    const h = new SegmentHandoff(1);
    expect(h.accepting).toBe(true);
    h.reserve(t);
    expect(h.accepting).toBe(false);
    h.put('d1', 7, t);
    h.put('d2', 7, t);
    // A row written by another run (an earlier command's ingest), or with no run, is segmented again.
    expect(h.has('d1', 7)).toBe(true);
    expect(h.has('d1', 6)).toBe(false);
    expect(h.has('d1', null)).toBe(false);
    expect(h.has('d3', 7)).toBe(false);
    expect(h.take('d1', 7)).toBe(t);
    expect(h.take('d1', 7)).toBeNull();
    expect(h.take('d2', 8)).toBeNull();
    expect(h.has('d2', 7)).toBe(false);
    expect(h.size).toBe(0);
  });

  it('stamping a template straight into appender values gives the values of the stamped rows, column for column', () => {
    let rows = 0;
    let deadlines = 0;
    let nulls = 0;
    for (const f of files) {
      const text = normaliseText(readFileSync(f, 'utf8'));
      const t = templateOf(text, segmentResolution(text, morph));
      for (const doc of [{ doc_id: 'a1b2', corrections_sha: null }, { doc_id: 'x', corrections_sha: 'c0ffee' }]) {
        const stamped = stampRows(doc, t, 42, 'seg-x');
        const direct = stampValues(doc, t, 42, 'seg-x');
        expect(direct.values, f).toEqual(stamped.rows.map((r) => RECOMMENDATIONS.values(r)));
        expect(direct.status, f).toEqual(stamped.status);
      }
      // text_hash is sha256Hex of the proposal (the embedding cache key), whichever call computes it.
      for (const r of t.rows) expect(r.text_hash).toBe(sha256Hex(r.proposal));
      rows += t.rows.length;
      deadlines += t.rows.filter((r) => r.deadline !== null).length;
      nulls += t.rows.filter((r) => r.addressee === null).length;
    }
    // The fixtures reach dates (encoded as Date) and missing values (null), not only strings.
    expect(rows).toBeGreaterThan(200);
    expect(deadlines).toBeGreaterThan(0);
    expect(nulls).toBeGreaterThan(0);
    // Seq 1000 and beyond keep their four digits in rec_id, as stampRows writes them.
    const text = normaliseText(readFileSync(join(SAMPLE_DIR, 'resolution-01.txt'), 'utf8'));
    const t = templateOf(text, segmentResolution(text, morph));
    const long = { ...t, rows: [{ ...t.rows[0], seq: 1000 }] };
    expect(stampValues({ doc_id: 'd', corrections_sha: null }, long, 1, 'v').values[0][0]).toBe('d-1000');
  });
});
