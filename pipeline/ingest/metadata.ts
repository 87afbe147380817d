import type { ConferenceMeta } from '../store/types.js';
import type { Morph } from '../text/morph.js';
import { extractEvent } from './metadata/event.js';
import { extractFormat } from './metadata/format.js';
import { analyseLayout, type SegmenterFront } from './metadata/layout.js';
import { extractOrganizer } from './metadata/organizer.js';
import { extractParticipants } from './metadata/participants.js';
import { extractPlaces } from './metadata/places.js';
import { extractDates } from './metadata/when.js';

export { FORMATS, LEVELS } from './metadata/vocab.js';

/**
 * Bumped whenever extraction changes what it finds, so that ingest takes the metadata of stored
 * documents again from their stored texts (documents.metadata_version), as SEGMENTER_VERSION makes
 * segment split them again: a researcher who upgrades confrec gets the better titles, dates and
 * organisers without deleting the database.
 */
export const METADATA_VERSION = 'meta-4';

/**
 * Conference metadata stated in a resolution's text (already passed through normaliseText). Every
 * field is null unless the text states it; each extractor reads only the parts of the document where
 * the genre states that fact (header, the sentence reporting the event, participation sentences),
 * never the operative recommendations, where dates are plans and places are addressees. `front`: a
 * segmentation of this text already made (analyseLayout).
 */
export function extractMetadata(text: string, morph: Morph, front?: SegmenterFront): ConferenceMeta {
  const layout = analyseLayout(text, morph, front);
  const { title, kind, level } = extractEvent(layout, morph);
  const dates = extractDates(layout);
  const { city, region } = extractPlaces(layout, morph);
  return {
    title,
    kind,
    level,
    ...dates,
    city,
    region,
    participants: extractParticipants(layout, morph),
    format: extractFormat(layout),
    organizer: extractOrganizer(layout, morph),
  };
}
