import type { Morph } from '../text/morph.js';
import { tokenize } from '../text/tokenize.js';
import type { AddresseeType } from '../store/types.js';
import { toBlocks, type Block } from './blocks.js';
import { classifyAddressee, dativeIsAmbiguous, isAbbreviation, startsWithDative, toNominative } from './addressee.js';
import { analyseItem, type ItemAnalysis } from './verb.js';
import { proposalOf } from './proposal.js';
import { END_RE, NECESSITY_LEMMAS, TRAP_LEMMAS, TRIGGER_LEMMAS, FRAMING_LEMMAS } from './lexicon.js';

/** One recommendation found in a resolution, with offsets into the text it was found in. */
export interface SegmentedRecommendation {
  seq: number;
  text: string;
  /** The text without its addressing frame: what was proposed (proposal.ts). */
  proposal: string;
  charStart: number;
  charEnd: number;
  addresseeRaw: string | null;
  addressee: string | null;
  addresseeType: AddresseeType;
  verb: string | null;
}

export interface Segmentation {
  recommendations: SegmentedRecommendation[];
  /** Offset where the operative part starts, or null when none was found. */
  operativeStart: number | null;
  /** Why nothing was found (only when recommendations is empty). */
  reason: string | null;
}

interface Addressee {
  raw: string;
  nominative: string;
}

type HeadingRole = 'trigger' | 'addressee' | 'trap' | 'other';

interface HeadingInfo {
  role: HeadingRole;
  addressee: Addressee | null;
}

const MAX_HEADING_WORDS = 30;

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Sentence case for headings typed in capitals ("ОБРАЗОВАТЕЛЬНЫМ ОРГАНИЗАЦИЯМ"); abbreviations kept. */
function decapitalise(phrase: string, morph: Morph): string {
  const letters = phrase.replace(/[^\p{L}]/gu, '');
  if (letters !== letters.toUpperCase()) return phrase;
  const isWord = (w: string) => w.length >= 3 && morph.parse(w).some((p) => p.known);
  if (!(phrase.match(/\p{L}+/gu) ?? []).some((w) => w.length >= 5 && isWord(w))) return phrase;
  const lowered = phrase.replace(/\p{L}+/gu, (w) => (isWord(w) ? w.toLowerCase() : w));
  // Place adjectives stay proper names: "СТАВРОПОЛЬСКОГО КРАЯ" → "Ставропольского края".
  return lowered.replace(
    /(?<!\p{L})(\p{Ll}+(?:ской|ского|ская|ский|кой|кого|ая|ой|ого))(?=\s+(?:области|край|края|округа|республики|района|городского|муниципального)(?!\p{L}))/gu,
    (w) => w.charAt(0).toUpperCase() + w.slice(1),
  );
}

function addresseeFrom(rawHeading: string, phrase: string, morph: Morph): Addressee {
  const clean = collapse(phrase).replace(/[\s:,.;–—-]+$/, '');
  return { raw: collapse(rawHeading), nominative: toNominative(decapitalise(clean, morph), morph) };
}

function startsWithAbbreviation(phrase: string, morph: Morph): boolean {
  const first = tokenize(phrase).find((t) => t.kind === 'word');
  return Boolean(first && isAbbreviation(first.text, morph));
}

function lemmasOf(text: string, morph: Morph) {
  return tokenize(text)
    .filter((t) => t.kind === 'word')
    .map((t) => {
      const best = morph.parse(t.text)[0];
      return { token: t, lemma: morph.lemma(t.text), verbLemma: best?.verbLemma ?? null, pos: best?.pos, past: Boolean(best?.grammemes.has('past')) };
    });
}

const isTrapWord = (w: ReturnType<typeof lemmasOf>[number]) => TRAP_LEMMAS.has(w.lemma) || (w.verbLemma !== null && TRAP_LEMMAS.has(w.verbLemma));

function hasTrigger(words: ReturnType<typeof lemmasOf>): number {
  for (let k = 0; k < words.length; k++) {
    const { lemma } = words[k];
    if (!TRIGGER_LEMMAS.has(lemma)) continue;
    if (lemma === 'считать' || lemma === 'признать') {
      if (words[k + 1] && NECESSITY_LEMMAS.has(words[k + 1].lemma)) return k;
      continue;
    }
    return k;
  }
  return -1;
}

/**
 * What a heading (a line ending with ":" or a short line over a list) does: opens the operative part,
 * names an addressee, introduces a list that is not recommendations, or none of these.
 */
function classifyHeading(head: string, rawHeading: string, morph: Morph, operative: boolean): HeadingInfo {
  const words = lemmasOf(head, morph);
  if (words.length === 0) return { role: 'other', addressee: null };
  const dative = startsWithDative(head, morph);
  const trap = words.some(isTrapWord);
  if (dative && (!dativeIsAmbiguous(head, morph) || (!trap && hasTrigger(words) < 0))) {
    // "Министерству просвещения рекомендовать:" — cut the trailing framing verb off the addressee.
    const trig = hasTrigger(words);
    const phrase = trig > 0 && FRAMING_LEMMAS.has(words[trig].lemma) ? head.slice(0, words[trig].token.start) : head;
    return { role: 'addressee', addressee: addresseeFrom(rawHeading, phrase, morph) };
  }
  const trig = hasTrigger(words);
  if (trig >= 0) {
    // "Рекомендовать органам местного самоуправления:" — the addressee follows the trigger.
    let k = trig + 1;
    if (words[k] && NECESSITY_LEMMAS.has(words[k].lemma)) k++;
    const after = words[k] ? head.slice(words[k].token.start) : '';
    if (after && (startsWithDative(after, morph) || startsWithAbbreviation(after, morph))) {
      return { role: 'addressee', addressee: addresseeFrom(after, after, morph) };
    }
    return { role: 'trigger', addressee: null };
  }
  if (trap) return { role: 'trap', addressee: null };
  // "ГАУ ДПО «Институт развития образования …»:" — an organisation named by its abbreviation.
  if (startsWithAbbreviation(head, morph) && words.length <= MAX_HEADING_WORDS) {
    return { role: 'addressee', addressee: addresseeFrom(rawHeading, head, morph) };
  }
  if (operative && words.length <= MAX_HEADING_WORDS && !words.some((w) => w.pos === 'INFN')) {
    return { role: 'addressee', addressee: addresseeFrom(rawHeading, head, morph) };
  }
  return { role: 'other', addressee: null };
}

/** Index of the first ":" outside quotes and brackets ("«Наставничество: опыт» …" has none), or -1. */
function topLevelColon(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '«' || c === '[' || c === '“') depth++;
    else if ((c === ')' || c === '»' || c === ']' || c === '”') && depth > 0) depth--;
    else if (c === ':' && depth === 0) return i;
  }
  return -1;
}

/** Offset in `raw` (with its original whitespace) of the character at `collapsedIndex` of collapse(raw). */
function rawOffsetOf(raw: string, collapsedIndex: number): number {
  let seen = 0;
  let i = 0;
  while (i < raw.length && /\s/.test(raw[i])) i++;
  for (; i < raw.length; i++) {
    if (/\s/.test(raw[i])) {
      while (i + 1 < raw.length && /\s/.test(raw[i + 1])) i++;
    }
    if (seen === collapsedIndex) return i;
    seen++;
  }
  return raw.length;
}

/** Splits a run-on paragraph at top-level semicolons (not inside brackets or quotes). */
function splitSemicolons(s: string): { start: number; end: number }[] {
  const parts: { start: number; end: number }[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '«' || c === '[') depth++;
    else if ((c === ')' || c === '»' || c === ']') && depth > 0) depth--;
    else if (c === ';' && depth === 0) {
      parts.push({ start: from, end: i });
      from = i + 1;
    }
  }
  parts.push({ start: from, end: s.length });
  return parts.filter((p) => s.slice(p.start, p.end).trim() !== '');
}

const URL_ONLY = /^(?:[^:]{0,200}:\s*)?(?:https?:\/\/|www\.)\S+$/i;

/**
 * Finds the recommendations of one resolution. `text` is the normalised document text; offsets in the
 * result point into it. The operative part starts at a trigger ("рекомендовать:", "предложения:"), at
 * an addressee heading in the dative, or at a list whose items open with infinitives; lists under goal,
 * task, agenda, problem or observation headings are skipped, and so are evaluative items.
 */
export function segmentResolution(text: string, morph: Morph): Segmentation {
  const blocks = toBlocks(text);
  const recs: SegmentedRecommendation[] = [];
  let operative = false;
  let operativeStart: number | null = null;
  let context: 'none' | 'operative' | 'trap' | 'unknown' = 'none';
  let addressee: Addressee | null = null;

  const open = (at: number) => {
    operative = true;
    operativeStart ??= at;
  };

  const emit = (start: number, end: number, analysis: ItemAnalysis, ownAddressee: Addressee | null) => {
    // Trim trailing list punctuation and whitespace; offsets follow.
    let e = end;
    while (e > start && /[\s;.,:]/.test(text[e - 1])) e--;
    let s = start;
    while (s < e && /\s/.test(text[s])) s++;
    if (e <= s) return;
    const body = collapse(text.slice(s, e));
    if (URL_ONLY.test(body) || !/\p{L}{3,}/u.test(body)) return;
    // "Рекомендовать X сделать …" names its own addressee, which wins over a heading above it.
    const who = analysis.framing && ownAddressee ? ownAddressee : addressee ?? ownAddressee;
    recs.push({
      seq: recs.length + 1,
      text: body,
      proposal: proposalOf(body, morph),
      charStart: s,
      charEnd: e,
      addresseeRaw: who?.raw ?? null,
      addressee: who?.nominative ?? null,
      addresseeType: classifyAddressee(who?.nominative ?? null),
      verb: analysis.verb,
    });
  };

  const inlineAddressee = (a: ItemAnalysis): Addressee | null =>
    a.inlineAddressee ? { raw: a.inlineAddressee.raw, nominative: toNominative(a.inlineAddressee.raw, morph) } : null;

  /** A recommendation block, or each of its run-on parts. */
  const emitBlock = (start: number, end: number) => {
    const raw = text.slice(start, end);
    const parts = splitSemicolons(raw);
    const analyses = parts.map((p) => analyseItem(collapse(raw.slice(p.start, p.end)), morph));
    const runOn = parts.length >= 2 && analyses.filter((a) => a.infinitiveLed).length >= Math.ceil((parts.length * 2) / 3);
    if (runOn) {
      parts.forEach((p, k) => {
        if (!analyses[k].evaluative) emit(start + p.start, start + p.end, analyses[k], inlineAddressee(analyses[k]));
      });
      return;
    }
    const a = analyseItem(collapse(raw), morph);
    if (!a.evaluative) emit(start, end, a, inlineAddressee(a));
  };

  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    const next = blocks[i + 1];
    const rawBlock = text.slice(b.start, b.end);

    if (END_RE.test(b.text)) {
      operative = false;
      context = 'none';
      addressee = null;
      continue;
    }

    // Headings: a block ending with ":"; a short unpunctuated line over a list (bold or capitals);
    // a numbered line naming an addressee with sub-items of another kind under it.
    const colon = /:\s*$/.test(b.text) && b.text.length > 1;
    const bare =
      !colon &&
      b.kind === 'para' &&
      next?.kind === 'item' &&
      !/[.;!?,]$/.test(b.text) &&
      b.text.split(' ').length <= MAX_HEADING_WORDS;
    const numberedHeading =
      !colon &&
      b.kind === 'item' &&
      next?.kind === 'item' &&
      next.marker?.kind !== b.marker?.kind &&
      !/[.;!?]$/.test(b.text) &&
      startsWithDative(b.text, morph) &&
      analyseItem(b.text, morph).verb === null;

    if (colon || bare || numberedHeading) {
      const head = b.text.replace(/:\s*$/, '');
      const analysis = analyseItem(head, morph);
      // "1. Продолжить работу по направлениям:" is a recommendation with sub-items, not a heading.
      const isRecWithSubitems =
        colon &&
        analysis.infinitiveLed &&
        !analysis.framing &&
        !analysis.inlineAddressee &&
        !FRAMING_LEMMAS.has(analysis.verb ?? '') &&
        hasTrigger(lemmasOf(head, morph)) < 0 &&
        (operative || context === 'unknown');
      if (isRecWithSubitems && context !== 'trap') {
        let end = b.end;
        const parentKind = b.marker?.kind ?? null;
        while (blocks[i + 1]?.kind === 'item' && blocks[i + 1].marker?.kind !== parentKind) {
          i++;
          end = blocks[i].end;
        }
        if (!analysis.evaluative) emit(b.contentStart, end, analysis, null);
        continue;
      }
      const info = classifyHeading(head, rawBlock.replace(/\s+/g, ' '), morph, operative);
      const bareAccepted = colon || info.role !== 'other';
      if (bareAccepted) {
        if (info.role === 'trap') {
          context = 'trap';
          addressee = null;
        } else if (info.role === 'trigger') {
          open(b.start);
          context = 'operative';
          addressee = null;
        } else if (info.role === 'addressee') {
          open(b.start);
          context = 'operative';
          addressee = info.addressee;
        } else {
          context = operative ? 'operative' : 'unknown';
          if (!operative) addressee = null;
        }
        continue;
      }
    }

    if (b.kind === 'item') {
      if (context === 'trap') continue;
      if (context === 'operative' || operative) {
        emitBlock(b.contentStart, b.end);
        continue;
      }
      // A list outside any recognised operative part counts when most of its items open with an
      // infinitive ("1. Продолжить …", "2. Развивать …") — numbered proposals without a heading.
      let j = i;
      while (blocks[j + 1]?.kind === 'item') j++;
      const list = blocks.slice(i, j + 1);
      const led = list.filter((x) => {
        const a = analyseItem(x.text, morph);
        return a.infinitiveLed && !a.evaluative;
      }).length;
      if (led >= Math.max(2, Math.ceil(list.length * 0.6)) || (list.length === 1 && led === 1 && context === 'unknown')) {
        open(b.start);
        context = 'operative';
        for (const x of list) emitBlock(x.contentStart, x.end);
      }
      i = j;
      continue;
    }

    // Paragraphs.
    const colonAt = topLevelColon(b.text);
    const inline = colonAt > 2 && colonAt < 200 && colonAt < b.text.length - 1 ? b.text.slice(0, colonAt) : null;
    if (inline) {
      const info = classifyHeading(inline, inline, morph, operative);
      if (info.role === 'addressee' || info.role === 'trigger') {
        const rawColon = text.slice(b.start, b.end).indexOf(':', rawOffsetOf(text.slice(b.start, b.end), colonAt));
        open(b.start);
        context = 'operative';
        addressee = info.role === 'addressee' ? { ...info.addressee!, raw: collapse(rawBlock.slice(0, rawColon + 1)) } : null;
        emitBlock(b.start + rawColon + 1, b.end);
        continue;
      }
    }
    const words = lemmasOf(b.text, morph);
    // "Участники конференции рекомендуют органам управления обеспечить …": a recommendation in a
    // sentence, wherever it stands. A past tense ("рекомендовали расширить …") reports an earlier
    // resolution instead.
    const trig = words.findIndex((w) => FRAMING_LEMMAS.has(w.lemma) && (w.pos === 'VERB' || w.pos === 'INFN'));
    if (trig >= 0 && !words[trig].past) {
      const from = words[trig].token.start;
      const a = analyseItem(b.text.slice(from), morph);
      if (a.framing && a.verb && a.verb !== words[trig].lemma && !a.evaluative) {
        open(b.start);
        context = 'operative';
        if (trig === 0) emitBlock(b.contentStart, b.end);
        else emit(b.contentStart, b.end, a, inlineAddressee(a));
        continue;
      }
      if (a.framing && a.verb === words[trig].lemma && words.length <= MAX_HEADING_WORDS) {
        // "Конференция рекомендует" on its own line, headings or lists follow.
        open(b.start);
        context = 'operative';
        addressee = null;
        continue;
      }
    }
    // A short title line naming the operative part: "РЕКОМЕНДАЦИИ", "Предложения участников".
    if (words.length <= 5 && !/[.;!?]$/.test(b.text) && hasTrigger(words) >= 0) {
      open(b.start);
      context = 'operative';
      addressee = null;
      continue;
    }
    if (context === 'trap' && /^\p{Lu}/u.test(b.text)) {
      // Narrative after a list of goals or problems ends that list.
      context = operative ? 'operative' : 'none';
    }
    if (operative && context !== 'trap') {
      const a = analyseItem(b.text, morph);
      if ((a.infinitiveLed || a.framing) && a.verb && !a.evaluative) emitBlock(b.contentStart, b.end);
    }
  }

  const reason = recs.length
    ? null
    : operativeStart === null
      ? 'no operative part found (no "рекомендовать"/"предложения" heading, addressee headings or infinitive-led list)'
      : 'an operative part was found but it holds no list items or proposals';
  return { recommendations: recs, operativeStart, reason };
}
