import { ConfrecError } from '../errors.js';
import type { Morph } from '../text/morph.js';
import { parseCorrections, segmentWithCorrections } from './corrections.js';
import { segmentResolution, type Segmentation } from './segment.js';

/** A document as the segment stage reads it: its text and, when a sidecar was ingested, its corrections. */
export interface SegmentInput {
  text: string;
  /** The JSON text of `name.segments.json` and where it was read from. */
  corrections?: { content: string; file: string } | null;
}

export interface SegmentOutcome {
  seg: Segmentation;
  /** A correction that could not be applied: the document is segmented without it and marked for review. */
  correctionError: ConfrecError | null;
}

/**
 * Segments one document, applying its hand corrections. A correction that names text or lines the
 * document does not (or no longer) have is reported, never silently ignored: the document keeps its
 * uncorrected segmentation and goes to review with the error as the reason.
 */
export function segmentDocument(doc: SegmentInput, morph: Morph): SegmentOutcome {
  if (!doc.corrections) return { seg: segmentResolution(doc.text, morph), correctionError: null };
  try {
    const cf = parseCorrections(doc.corrections.content, doc.corrections.file);
    return { seg: segmentWithCorrections(doc.text, morph, cf), correctionError: null };
  } catch (err) {
    if (!(err instanceof ConfrecError)) throw err;
    const seg = segmentResolution(doc.text, morph);
    const reasons = [`correction not applied: ${err.file ? `${err.file}: ` : ''}${err.message}`, ...seg.reviewReasons];
    return { seg: { ...seg, verdict: seg.recommendations.length ? 'review' : 'none', reviewReasons: reasons }, correctionError: err };
  }
}
