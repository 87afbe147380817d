import type { Morph } from '../text/morph.js';
import type { AddresseeType, RecommendationForm, SegmentVerdict, SourceKind } from '../store/types.js';
import { isCapitalsLine, sameLevel, toBlocks, type Block, type MarkerKind } from './blocks.js';
import { classifyAddressee, dativeIsAmbiguous, startsWithDative, toNominative } from './addressee.js';
import { analyseItem, type ItemAnalysis } from './verb.js';
import { proposalOf } from './proposal.js';
import { itemForm } from './form.js';
import { DEADLINE_LINE_RE, RESPONSIBLE_LINE_RE, deadlineDate, itemMeta } from './deadline.js';
import { APPENDIX_RE, END_RE, FRAMING_LEMMAS, NOISE_RE, type TrapKind } from './lexicon.js';
import {
  COMMITMENT, ADDRESSEE_DATIVE, ADDRESSEE_FOR, ADDRESSEE_NOUN, HEADING_WORDS, TRAP_HEADING, addresseeFrom, forAddressee, trailingAddressee, classifyHeading, priorityLeadIn, triggerAt, type Addressee, type HeadingInfo,
} from './rules/headings.js';
import {
  BARE_HEADING, CAPITALS_ADDRESSEE, CLOSING_APPENDIX, CLOSING_LINE, DATELINE, INFINITIVE_LIST, ITEM_EVALUATIVE, ITEM_NOMINAL, ITEM_STATEMENT,
  ITEM_OPERATIVE, ITEM_URL, ITEM_CONTROL, PLAIN_ADDRESSEE, NESTED_HEADING, NESTED_PARENT, NESTED_SCOPE, PARAGRAPH_ANNOUNCEMENT, PARAGRAPH_FRAMING, PARAGRAPH_NARRATIVE,
  ANNOUNCEMENT_END_RE,
  PARAGRAPH_OPERATIVE, PREAMBLE_CLAUSE, PREAMBLE_GERUND_RE, RUNON_INLINE_HEADING, RUNON_SEMICOLONS, SECTION_TITLE, TITLE_LINE, TRAP_ENDS, TRIGGER_SENTENCE, WRAPPED_HEADING,
} from './rules/items.js';
import { INLINE_NUMBERED, findInlineItems } from './rules/inline.js';
import { APPEAL_SENTENCE, APPEAL_SENTENCE_RE, APPEAL_VOCATIVE, INVITATION_RE, REMINDER_RE, SIGN_OFF, vocativeAt } from './rules/appeals.js';
import { DECIDED_RE, HEARD_RE, PROTOCOL_DECIDED, PROTOCOL_HEARD, isMetaLine, metaRule } from './rules/protocol.js';
import { TABLE_GROUP_ROW, TABLE_HEADER, TABLE_OPERATIVE, TABLE_PLAN, TABLE_PROGRAMME, longestTextCell, readHeader } from './rules/tables.js';
import {
  EARLIER_RE, NEWS_DETECT, NEWS_HEADLINE, NEWS_NOISE, NEWS_QUOTED, NEWS_REPORTED, NEWS_SPEECH, QUOTE_AFTER_RE, QUOTE_BEFORE_RE,
  QUOTE_CHAIN_RE, REPORTED_VERB_RE,
  REPORTER_RE, SPEECH_AFTER_RE, detectNews,
} from './rules/news.js';
import { CORRECTION_BOUNDS } from './rules/corrections.js';
import type { LineRole } from './rules/types.js';
import { collapse, lemmasOf, splitSentences, splitsAtMost, topLevelColon } from './rules/words.js';
import { verdictOf } from './verdict.js';

import type { SegmentedRecommendation } from './types.js';
export type { SegmentedRecommendation };

/** What a stretch of the text was taken for, and the rule that decided (`confrec segment --explain`). */
export interface TraceEntry {
  start: number;
  end: number;
  role: LineRole;
  rule: string;
  detail?: string;
}

export interface Segmentation {
  recommendations: SegmentedRecommendation[];
  /** Offset where the operative part starts, or null when none was found. */
  operativeStart: number | null;
  /**
   * Where the narrative ends: the start of the line that opened the operative part, or, when that
   * line is a lead-in sentence ("Участники семинара, состоявшегося 5 мая в г. Кирове, рекомендуют:"),
   * its end — such a lead-in often is the only sentence that reports the event.
   */
  narrativeEnd: number | null;
  /** Why nothing was found (only when recommendations is empty). */
  reason: string | null;
  verdict: SegmentVerdict;
  reviewReasons: string[];
  sourceKind: SourceKind;
  trace: TraceEntry[];
}

export interface SegmentOptions {
  /** Stop as soon as the operative part opens (metadata only needs to know where the narrative ends). */
  untilOperative?: boolean;
  /** Hand-set bounds of the operative part (offsets), from a corrections sidecar. */
  bounds?: { start?: number; end?: number };
}

interface Draft {
  start: number;
  end: number;
  analysis: ItemAnalysis;
  addressee: Addressee | null;
  rule: string;
  /** Set by tables: the executor and deadline cells. */
  cellMeta?: { responsible: string | null; deadlineText: string | null };
  /** Taken under a lead-in that the rules could not name (for the verdict). */
  weak: boolean;
}

/** A site's footer: "© ГАУ ДПО РК …, 2026", "(c) 2025 …", "Copyright …", "Все права защищены". */
const COPYRIGHT_RE = /^(?:©|\(c\)\s|copyright(?!\p{L})|все\s+права\s+защищены)/iu;
const URL_ONLY = /^(?:[^:]{0,200}:\s*)?(?:https?:\/\/|www\.)\S+$/i;
/** "Контроль за исполнением настоящего решения возложить на …", "Контроль исполнения оставляю за собой". */
const CONTROL_CLAUSE = /^контроль\s+(?:(?:за|над)\s+)?(?:исполнени|выполнени|реализаци)\p{L}*\s/iu;
/** Word starts of the framing verbs: paragraphs without one are not lemmatised for the framing rule. */
// (The look-ahead names the words' first letters: most positions fail there, before the look-behind.)
const FRAMING_PREFILTER = /(?=[рпсот])(?<!\p{L})(?:рекоменд|предла|предлож|поруч|прос[иья]|счита|призна|обращ|обрат|призыв|приглаш|требу)/iu;
/** A place line of the header: "пгт Шерегеш, Кемеровская область – Кузбасс", "г. Ханты-Мансийск, Ханты-Мансийский автономный округ – Югра". */
const PLACE_LINE_RE = /^(?:г\.|гор\.|пгт\.?|п\.|пос\.|с\.|ст\.|ст-ца|д\.|г\.\s?о\.)\s*\p{Lu}[\p{L}-]+(?:\s+\p{L}[\p{L}-]+)?(?:,\s*[\p{L}\s–—-]{3,80}?)?(?:,?\s+(?:«?\d{1,2}»?(?:\s*[–—-]\s*\d{1,2})?\s+\p{L}+\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{4})\s*(?:г\.?|года)?)?$/u;
const DATELINE_RE = /^(?:г\.\s*)?[\p{Lu}][\p{L}-]+(?:[\s-]+[\p{L}-]+){0,2},?\s+(?:«?\d{1,2}»?\s+\p{L}+\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{4})\s*(?:г\.?|года)?\s*$/u;

/**
 * Where an inline heading ends in a block: the first top-level ":" (within 200 characters, with text
 * after it), or a spaced dash " — " after a phrase of at most 30 words ("Министерству … — обеспечить …").
 */
function headingMark(s: string): { at: number; length: number; dash: boolean } | null {
  const colon = topLevelColon(s);
  if (colon > 2 && colon < 200 && /\p{L}{3,}/u.test(s.slice(colon + 1))) return { at: colon, length: 1, dash: false };
  const dash = /\s[—–]\s/u.exec(s.slice(0, 200));
  if (dash && dash.index > 2 && s.slice(0, dash.index).split(/\s+/).length <= 30 && /\p{L}{3,}/u.test(s.slice(dash.index + 3))) {
    return { at: dash.index, length: dash[0].length, dash: true };
  }
  return null;
}

/**
 * Whether a bracket keeps the text before a dash from being an addressee heading. In a paragraph,
 * only a bracket still open at the dash: «Классным руководителям (ответственные – …» is no heading,
 * «Родителям (законным представителям) детей с ОВЗ — активнее участвовать …» is, like the
 * «Министерству … — …» paragraphs around it. A list item with any bracket before its dash is kept
 * whole («4. Родителям (законным представителям) … — поддерживать …»: the item is the
 * recommendation, its addressee named inside it).
 */
function bracketBars(b: Block, head: string): boolean {
  if (b.kind === 'item') return head.includes('(');
  return (head.match(/\(/g)?.length ?? 0) > (head.match(/\)/g)?.length ?? 0);
}

/** The 1-based line of offset `off` inside block `b`. */
function lineAt(b: Block, text: string, off: number): number {
  return b.line + (text.slice(b.start, off).match(/\n/g)?.length ?? 0);
}

/**
 * "Решение секции 1 «Родительское просвещение»" and, on the next line, "Министерству … — рассмотреть …":
 * the layout reader joins an unpunctuated line to the next as a hard wrap; when the next line opens
 * with a dative addressee and its inline heading mark (" — " or ":"), the first line is a title of its
 * own (rule runon.title-over-heading). Returns `blocks`, with such paragraphs cut in two.
 */
function splitTitleOverHeading(blocks: Block[], text: string, morph: Morph): Block[] {
  let out: Block[] | null = null;
  for (let k = 0; k < blocks.length; k++) {
    const b = blocks[k];
    let cut: [Block, Block] | null = null;
    if (b.kind === 'para' && b.lastLine > b.line) {
      const nl = text.indexOf('\n', b.start);
      if (nl > 0 && nl < b.end) {
        const first = text.slice(b.start, nl).trim();
        let at = nl + 1;
        while (at < b.end && /\s/.test(text[at])) at++;
        const rest = text.slice(at, b.end);
        const mark = /^\p{Lu}/u.test(rest) && first.split(/\s+/).length <= HEADING_WORDS ? headingMark(rest) : null;
        // the heading and its mark on the second line itself (a title wrapped over lines is not one)
        const sameLine = mark !== null && !rest.slice(0, mark.at).includes('\n');
        if (mark && sameLine && startsWithDative(rest, morph) && !/[.;!?,]$/.test(first)) {
          const firstEnd = b.start + first.length;
          const lineOf = (off: number) => lineAt(b, text, off);
          cut = [
            { ...b, end: firstEnd, text: collapse(first), lastLine: b.line },
            { ...b, start: at, contentStart: at, text: collapse(rest), afterBlank: false, line: lineOf(at) },
          ];
        }
      }
    }
    if (cut && !out) out = blocks.slice(0, k);
    if (out) out.push(...(cut ?? [b]));
  }
  return splitAddresseeLine(joinWrappedHeadings(out ?? blocks, text, morph), text, morph);
}

/**
 * "Руководителям общеобразовательных организаций" and, on the next line, "обеспечить прохождение
 * курсов …;": an addressee heading without a colon, joined by the layout reader to its first item as a
 * hard wrap (and, when no blank line separates them, to a lead-in above it: "… считают необходимым").
 * The heading line is a dative phrase with no verb and no punctuation, the next line opens with an
 * infinitive, and that item ends with ";" or more such items follow — a list, not a sentence wrapped
 * after its addressee (rule heading.addressee-line). Returns `blocks`, with such paragraphs cut.
 */
function splitAddresseeLine(blocks: Block[], text: string, morph: Morph): Block[] {
  let out: Block[] | null = null;
  for (let k = 0; k < blocks.length; k++) {
    const b = blocks[k];
    const parts = b.kind === 'para' && b.lastLine > b.line ? cutAtAddresseeLine(b, blocks[k + 1], text, morph) : null;
    if (parts && !out) out = blocks.slice(0, k);
    if (out) out.push(...(parts ?? [b]));
  }
  return out ?? blocks;
}

/**
 * Is `line` an addressee heading without a colon over `following`: a dative phrase with no verb and
 * no closing punctuation, over a line that opens in lower case with an infinitive? The cheap tests
 * come first: most lines end with punctuation or are not followed by a lower-case line.
 */
/**
 * `ownBlock`: the line is a paragraph of its own (a Word heading, a line between blank lines), so the
 * paragraph under it may start with a capital ("Министерству … / Рассмотреть возможность …").
 */
function addresseeLineOver(line: string, following: string, morph: Morph, analyse: (s: string) => ItemAnalysis, ownBlock = false): boolean {
  return (
    !/[.;!?,:]$/.test(line) &&
    (ownBlock || /^\p{Ll}/u.test(following)) &&
    splitsAtMost(line, HEADING_WORDS) &&
    startsWithDative(line, morph) &&
    !dativeIsAmbiguous(line, morph) &&
    analyse(line).verb === null &&
    analyse(following).infinitiveLed
  );
}

function cutAtAddresseeLine(b: Block, next: Block | undefined, text: string, morph: Morph): Block[] | null {
  const analyse = (s: string) => analyseItem(s, morph);
  const lineOf = (off: number) => lineAt(b, text, off);
  const part = (from: number, to: number): Block => {
    while (from < to && /\s/.test(text[from])) from++;
    return { ...b, start: from, contentStart: from, end: to, text: collapse(text.slice(from, to)), afterBlank: from === b.start ? b.afterBlank : false, line: lineOf(from), lastLine: lineOf(to) };
  };
  for (let from = b.start; from < b.end; ) {
    const nl = text.indexOf('\n', from);
    if (nl < 0 || nl >= b.end) return null;
    const line = text.slice(from, nl).trim();
    // the rest of the block is joined only under a line that could be a heading over a lower-case line
    const rest = !/[.;!?,:]$/.test(line) && /^\s*\p{Ll}/u.test(text.slice(nl + 1, nl + 200)) ? collapse(text.slice(nl + 1, b.end)) : '';
    if (rest && addresseeLineOver(line, rest, morph, analyse)) {
      const listFollows = /;$/.test(rest) || (next?.kind === 'para' && /^\p{Ll}/u.test(next.text) && analyse(next.text).infinitiveLed);
      if (listFollows) {
        const lineEnd = from + text.slice(from, nl).trimEnd().length;
        return [...(from > b.start ? [part(b.start, from)] : []), part(from, lineEnd), part(nl + 1, b.end)];
      }
    }
    from = nl + 1;
  }
  return null;
}

/**
 * "Департаменту образования и науки" and, on the next line, "Курганской области:": the layout reader
 * starts a block at a line ending with ":", so a heading wrapped before its last words arrives in two
 * blocks. The first opens with a dative and ends unpunctuated, the second continues it (its first word
 * can be a genitive: "Курганской", "Российской"); they are one heading (rule headings.wrapped).
 */
function joinWrappedHeadings(blocks: Block[], text: string, morph: Morph): Block[] {
  let out: Block[] | null = null;
  for (let k = 0; k < blocks.length; k++) {
    const b = blocks[k];
    const next = blocks[k + 1];
    if (
      next &&
      b.kind === 'para' &&
      next.kind === 'para' &&
      !next.afterBlank &&
      /:$/.test(next.text) &&
      !/[.;:!?,]$/.test(b.text) &&
      splitsAtMost(b.text + ' ' + next.text, HEADING_WORDS) &&
      startsWithDative(b.text, morph) &&
      continuesPhrase(next.text, morph)
    ) {
      out ??= blocks.slice(0, k);
      out.push({ ...b, end: next.end, text: `${b.text} ${next.text}`, lastLine: next.lastLine });
      k++;
      continue;
    }
    if (out) out.push(b);
  }
  return out ?? blocks;
}

/** The first word can only continue a noun phrase: it has a genitive reading and no nominative one. */
function continuesPhrase(s: string, morph: Morph): boolean {
  const first = /^[\p{L}-]+/u.exec(s)?.[0];
  if (!first) return false;
  const parses = morph.parse(first);
  return parses.some((p) => p.grammemes.has('gent')) && !parses.some((p) => p.grammemes.has('nomn') && (p.pos === 'NOUN' || p.pos === 'ADJF'));
}

/**
 * One pass over a block's start for all the line-start cues (news furniture, closing lines, appendix,
 * "Ответственный:"/"Срок:" lines, "СЛУШАЛИ:"): most blocks have none, and one failed match is cheaper
 * than six.
 */
const LINE_CUES = new RegExp(
  `^(?:${[NOISE_RE, END_RE, APPENDIX_RE, HEARD_RE, RESPONSIBLE_LINE_RE, DEADLINE_LINE_RE].map((r) => `(?:${r.source.replace(/^\^/, '')})`).join('|')})`,
  'iu',
);

/** Splits a run-on at top-level semicolons (not inside brackets or quotes): spans in `s`. */
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

/**
 * Finds the recommendations of one resolution. `text` is the normalised document text; offsets in the
 * result point into it. Every block is given a role by a named rule (rules/), recorded in `trace`.
 */
export function segmentResolution(text: string, morph: Morph, opts: SegmentOptions = {}): Segmentation {
  const blocks = splitTitleOverHeading(toBlocks(text), text, morph);
  const trace: TraceEntry[] = [];
  const drafts: Draft[] = [];
  const news = detectNews(blocks);
  const memo = new Map<string, ItemAnalysis>();
  const analyse = (s: string): ItemAnalysis => {
    let a = memo.get(s);
    if (!a) {
      a = analyseItem(s, morph);
      memo.set(s, a);
    }
    return a;
  };
  /** "II. ЗАДАЧИ КОНФЕРЕНЦИИ", "IV. РЕКОМЕНДАЦИИ": a numbered line shaped like a section's title. */
  const sectionTitleShape = (b: Block): boolean =>
    b.kind === 'item' &&
    b.marker !== null &&
    !/[.;:!?,]$/.test(b.text) &&
    (isCapitalsLine(b.text) || b.marker.kind === 'roman') &&
    splitsAtMost(b.text, SECTION_TITLE.thresholds.words.value) &&
    analyse(b.text).verb === null;

  let operative = false;
  let strongOpen = false;
  let operativeStart: number | null = null;
  let narrativeEnd: number | null = null;
  // Read through ctx() where TypeScript would narrow it: the closures above change it too.
  let context: 'none' | 'operative' | 'trap' | 'unknown' = 'none';
  const ctx = () => context as 'none' | 'operative' | 'trap' | 'unknown';
  let trapKind: TrapKind | null = null;
  let addressee: Addressee | null = null;
  /** The addressee came from a vocative ("Уважаемые родители!") that appeals below still speak to. */
  let vocativeAddressee = false;
  let appendix = false;
  let narrativeSeen = false;
  let datelineSeen = false;
  /** The addressee heading the last marked list item was emitted under. */
  let listedUnder: Addressee | null = null;
  /** A numbered addressee heading: it covers its sub-items only. */
  let scope: { kind: MarkerKind; subKind: MarkerKind | null; outer: Addressee | null } | null = null;
  /** The last draft and the block index it ends at, so that "Ответственный:"/"Срок:" lines can join it. */
  let lastDraftBlock = -1;
  let stop = false;

  const note = (start: number, end: number, role: LineRole, rule: string, detail?: string) => {
    trace.push({ start, end, role, rule, detail });
  };
  const open = (at: number, strong: boolean, leadInEnd?: number) => {
    if (operativeStart === null) {
      operativeStart = at;
      // An article tells the event and its proposals in turn: all of it is narrative for metadata.
      narrativeEnd = news ? text.length : leadInEnd ?? at;
      if (opts.untilOperative) stop = true;
    }
    operative = true;
    if (strong) strongOpen = true;
  };

  const ownAddressee = (a: ItemAnalysis, base: number): Addressee | null => {
    if (!a.inlineAddressee) return null;
    const raw = a.inlineAddressee.raw;
    return { raw, nominative: toNominative(raw, morph, a.inlineAddressee.case) };
  };

  /** Queues one recommendation span [start, end) of the text. */
  const emit = (start: number, end: number, a: ItemAnalysis, heading: Addressee | null, rule: string, weak = false) => {
    const own = ownAddressee(a, start);
    // "Рекомендовать X сделать …" names its own addressee, which wins over a heading above it.
    let who = (a.framing || a.inlineAddressee?.start === 0) && own ? own : heading ?? own;
    // "… (руководители общеобразовательных организаций);": the executor named at the item's end
    if (!who) {
      const tail = text.slice(Math.max(start, end - 240), end).replace(/[\s.;,]+$/, '');
      if (tail.endsWith(')')) who = trailingAddressee(tail, morph);
    }
    drafts.push({ start, end, analysis: a, addressee: who, rule, weak });
  };

  /** A recommendation block, or each of its run-on parts. Returns how many items were queued. */
  const emitBlock = (start: number, end: number, rule: string, heading: Addressee | null = addressee, weak = false, split = true): number => {
    const raw = text.slice(start, end);
    // A list item is one recommendation whatever its semicolons join; run-on paragraphs and the
    // parts after an inline heading ("Органам …: обеспечить …; организовать …") are split.
    const parts = split ? splitSemicolons(raw) : [{ start: 0, end: raw.length }];
    const analyses = parts.map((p) => analyse(collapse(raw.slice(p.start, p.end))));
    const runOn = parts.length >= 2 && analyses.filter((a) => a.infinitiveLed).length >= Math.ceil((parts.length * 2) / 3);
    let n = 0;
    if (runOn) {
      parts.forEach((p, k) => {
        if (analyses[k].evaluative) note(start + p.start, start + p.end, 'evaluative', ITEM_EVALUATIVE.id);
        else {
          emit(start + p.start, start + p.end, analyses[k], heading, RUNON_SEMICOLONS.id, weak);
          n++;
        }
      });
      return n;
    }
    const a = parts.length === 1 && parts[0].start === 0 && parts[0].end === raw.length ? analyses[0] : analyse(collapse(raw));
    if (a.evaluative) {
      // "Одобрить опыт школы № 3. Руководителям школ заключить соглашения … Срок: …": the sentences
      // from the first operative one on are the decision
      const sentences = splitSentences(text, start, end);
      const k = sentences.findIndex((x, j) => {
        if (j === 0) return false;
        const sa = analyse(collapse(text.slice(x.start, x.end)));
        return Boolean(sa.verb && !sa.evaluative && (sa.infinitiveLed || sa.framing));
      });
      if (k > 0) {
        note(start, sentences[k].start, 'evaluative', ITEM_EVALUATIVE.id);
        emit(sentences[k].start, end, analyse(collapse(text.slice(sentences[k].start, end))), heading, rule, weak);
        return 1;
      }
      note(start, end, 'evaluative', ITEM_EVALUATIVE.id);
      return 0;
    }
    emit(start, end, a, heading, rule, weak);
    return 1;
  };

  const setContext = (info: HeadingInfo, at: number, leadInEnd?: number) => {
    if (info.role === 'trap') {
      context = 'trap';
      trapKind = info.trapKind ?? 'other';
      addressee = null;
    } else if (info.role === 'trigger') {
      open(at, true, leadInEnd);
      context = 'operative';
      // "Дорогие родители! … Мы обращаемся к вам с просьбой:" — the vocative still names the addressee,
      // but not of what the participants commit to themselves
      if (info.rule === COMMITMENT.id) vocativeAddressee = false;
      if (!vocativeAddressee) addressee = null;
    } else if (info.role === 'addressee') {
      open(at, true);
      context = 'operative';
      addressee = info.addressee;
      vocativeAddressee = false;
    } else {
      context = operative ? 'operative' : 'unknown';
      if (!operative) addressee = null;
    }
  };

  const roleOf = (info: HeadingInfo): LineRole =>
    info.role === 'trap' ? 'trap' : info.role === 'trigger' ? 'lead-in' : info.role === 'addressee' ? 'addressee' : operative ? 'narrative' : 'preamble';

  /** Items given as spans of the text under a lead-in that the rules classified (inline numbering). */
  const emitSpans = (spans: { start: number; end: number }[], rule: string, weakOpen: boolean) => {
    for (const sp of spans) {
      const a = analyse(collapse(text.slice(sp.start, sp.end)));
      if (a.evaluative) note(sp.start, sp.end, 'evaluative', ITEM_EVALUATIVE.id);
      else {
        emit(sp.start, sp.end, a, addressee, rule, weakOpen);
        note(sp.start, sp.end, 'item', rule);
      }
    }
  };

  /** Sentences of a paragraph that make proposals on their own: appeals and framing sentences. */
  const sentenceItems = (b: Block, from: number, heading: Addressee | null, appealOnly: boolean): number => {
    let n = 0;
    for (const s of splitSentences(text, from, b.end)) {
      const body = collapse(text.slice(s.start, s.end));
      const appeal = APPEAL_SENTENCE_RE.test(body);
      if (appealOnly && !appeal) {
        note(s.start, s.end, operative ? 'narrative' : 'preamble', PARAGRAPH_NARRATIVE.id);
        continue;
      }
      const a = analyse(body);
      if (a.verb && !a.evaluative && (a.framing || a.infinitiveLed)) {
        emit(s.start, s.end, a, heading, appeal ? APPEAL_SENTENCE.id : PARAGRAPH_FRAMING.id);
        note(s.start, s.end, 'item', appeal ? APPEAL_SENTENCE.id : PARAGRAPH_FRAMING.id);
        n++;
      } else note(s.start, s.end, a.evaluative ? 'evaluative' : 'narrative', a.evaluative ? ITEM_EVALUATIVE.id : PARAGRAPH_NARRATIVE.id);
    }
    return n;
  };

  /** News: quotations of the resolution and reported proposals in one paragraph. */
  const newsItems = (b: Block): boolean => {
    let found = false;
    const raw = text.slice(b.start, b.end);
    /** Quotations read as the resolution's words or as a person's speech: not reported again. */
    const consumed: { start: number; end: number }[] = [];
    // Quotations «…» (the outermost level).
    let depth = 0;
    let open = -1;
    /** Where the last quotation taken as the resolution's words closed (QUOTE_CHAIN_RE). */
    let quotedEnd = -1;
    for (let i = 0; i < raw.length; i++) {
      if (raw[i] === '«') {
        if (depth === 0) open = i;
        depth++;
      } else if (raw[i] === '»' && depth > 0) {
        depth--;
        if (depth !== 0) continue;
        const before = raw.slice(Math.max(0, open - 160), open);
        const after = raw.slice(i + 1, i + 80);
        const qs = b.start + open + 1;
        const qe = b.start + i;
        if (SPEECH_AFTER_RE.test(after)) {
          note(qs, qe, 'trap', NEWS_SPEECH.id, 'speech');
          consumed.push({ start: qs, end: qe });
          continue;
        }
        const chained = quotedEnd >= 0 && QUOTE_CHAIN_RE.test(raw.slice(quotedEnd + 1, open));
        if (!chained && !QUOTE_BEFORE_RE.test(before) && !QUOTE_AFTER_RE.test(after)) continue;
        quotedEnd = i;
        consumed.push({ start: qs, end: qe });
        for (const s of splitSentences(text, qs, qe)) {
          const body = collapse(text.slice(s.start, s.end));
          const a = analyse(body);
          if (a.verb && !a.evaluative && (a.framing || a.infinitiveLed || a.finiteLead)) {
            emit(s.start, s.end, a, null, NEWS_QUOTED.id);
            note(s.start, s.end, 'item', NEWS_QUOTED.id);
            found = true;
          }
        }
      }
    }
    // Reported proposals: "участники призвали X сделать … и рекомендовали Y …".
    for (const s of splitSentences(text, b.start, b.end)) {
      const sentence = text.slice(s.start, s.end);
      if (consumed.some((q) => q.start < s.end && q.end > s.start) || EARLIER_RE.test(sentence)) continue;
      const verbs = [...sentence.matchAll(REPORTED_VERB_RE)];
      if (!verbs.length || !REPORTER_RE.test(sentence.slice(0, verbs[0].index))) continue;
      verbs.forEach((m, k) => {
        let from = m.index + m[0].length;
        while (/[\s,]/.test(sentence[from] ?? '')) from++;
        let to = k + 1 < verbs.length ? verbs[k + 1].index : sentence.length;
        // "… и рекомендовали": the conjunction belongs to neither proposal
        const tail = /[\s,]+(?:и|а\s+также|также)\s*$/u.exec(sentence.slice(from, to));
        if (tail) to = from + tail.index;
        const span = sentence.slice(from, to).replace(/[\s.;,]+$/, '');
        if (!span) return;
        const lemma = m[1].toLowerCase();
        const framed = `${/^призва|^призыва|^попроси|^прося/.test(lemma) ? 'Призвать' : /^обрат/.test(lemma) ? 'Обратиться' : 'Рекомендовать'} ${span}`;
        if (/[«»]/.test(span) && !/^[^«»]*«[^«»]*»[^«»]*$/u.test(span)) return; // a span cutting through a quotation
        const a = analyse(framed);
        if (!a.verb || a.evaluative || a.verb === 'призвать' || a.verb === 'рекомендовать') return;
        const shift = framed.length - span.length;
        const own = a.inlineAddressee
          ? { ...a.inlineAddressee, raw: a.inlineAddressee.raw, start: a.inlineAddressee.start - shift, end: a.inlineAddressee.end - shift }
          : null;
        const spanAnalysis: ItemAnalysis = { ...analyse(span), verb: a.verb, inlineAddressee: own, framing: false, infinitiveLed: true, finiteLead: false };
        emit(s.start + from, s.start + from + span.length, spanAnalysis, null, NEWS_REPORTED.id);
        note(s.start + from, s.start + from + span.length, 'item', NEWS_REPORTED.id);
        found = true;
      });
    }
    return found;
  };

  /**
   * "1. Министерству образования области: рассмотреть …; …" or "Министерству … — предусмотреть …; …":
   * a heading inside an item (or paragraph) — the part before the colon or dash names the addressee
   * (or is a lead-in), the rest are its run-on items. The addressee covers this block only.
   */
  const itemWithInlineHeading = (b: Block, weak: boolean): boolean => {
    const content = text.slice(b.contentStart, b.end);
    const mark = headingMark(content);
    if (!mark) return false;
    const headText = collapse(content.slice(0, mark.at));
    // "г. Ставрополь, 19 октября 2023 года. Формат проведения: очный …": a head of two sentences is
    // a header line's fields, not a heading
    if (splitSentences(headText).length > 1) return false;
    // "Классным руководителям провести … (ответственные – …": a head with a verb of its own is a
    // sentence, not a heading
    const headAnalysis = analyse(headText);
    if (headAnalysis.verb && !(headAnalysis.framing && headAnalysis.verb && FRAMING_LEMMAS.has(headAnalysis.verb))) return false;
    const info = classifyHeading(headText, headText, morph, true);
    if (info.role !== 'addressee' && info.role !== 'trigger') return false;
    // a dash separates a heading only after a dative addressee ("Министерству … — обеспечить …")
    // (or after a nominative/accusative body over an infinitive: «а) министерство образования области —
    // рассмотреть вопрос …» under «Просить:»)
    const namedBody = info.rule === ADDRESSEE_NOUN.id && analyse(collapse(content.slice(mark.at + mark.length))).infinitiveLed;
    if (mark.dash && ((info.rule !== ADDRESSEE_DATIVE.id && !namedBody) || bracketBars(b, headText))) return false;
    const rawHead = collapse(text.slice(b.start, b.contentStart + mark.at + (mark.dash ? 0 : 1)));
    const own = info.role === 'addressee' ? { ...info.addressee!, raw: rawHead } : addressee;
    const after = b.contentStart + mark.at + mark.length;
    note(b.start, after, info.role === 'addressee' ? 'addressee' : 'lead-in', RUNON_INLINE_HEADING.id, own?.nominative);
    // "б. Региональным центрам … — организовать выездные консультации …": one proposal after the dash
    // is the whole item, addressee included, as it is written (the README's rule: a text is its whole
    // list item); run-on proposals after it ("— предусмотреть …; организовать …") are split at the dash.
    if (mark.dash && info.role === 'addressee' && splitSemicolons(text.slice(after, b.end)).length === 1) {
      const proposal = collapse(text.slice(after, b.end));
      const a = analyse(proposal);
      if (a.verb && !a.evaluative && a.infinitiveLed) {
        // the item's analysis is its proposal's, with the addressee before the dash
        const whole = collapse(text.slice(b.contentStart, b.end));
        const contentAt = whole.length - proposal.length;
        const raw = whole.slice(0, contentAt).replace(/[\s,—–-]+$/, '');
        const inlineAddressee = { raw, start: 0, end: raw.length, case: info.rule === ADDRESSEE_DATIVE.id ? ('datv' as const) : ('accs' as const) };
        emit(b.contentStart, b.end, { ...a, inlineAddressee, contentAt }, own, RUNON_INLINE_HEADING.id, weak);
        note(after, b.end, 'item', RUNON_INLINE_HEADING.id);
        return true;
      }
    }
    if (emitBlock(after, b.end, RUNON_INLINE_HEADING.id, own, weak)) note(after, b.end, 'item', RUNON_INLINE_HEADING.id);
    return true;
  };

  const handleTable = (rows: Block[]) => {
    const header = readHeader(rows[0].cells!);
    const inTrap = context === 'trap' || appendix;
    if (header.kind === 'programme' || inTrap) {
      for (const r of rows) note(r.start, r.end, inTrap && appendix ? 'appendix' : 'trap', TABLE_PROGRAMME.id, 'programme');
      return;
    }
    const plan = header.kind === 'plan';
    if (!plan && !operative) {
      for (const r of rows) note(r.start, r.end, 'preamble', PARAGRAPH_NARRATIVE.id, 'table outside the operative part');
      return;
    }
    open(rows[0].start, true);
    const body = header.hasHeader ? rows.slice(1) : rows;
    if (header.hasHeader) note(rows[0].start, rows[0].end, 'table-header', TABLE_HEADER.id);
    let group: Addressee | null = addressee;
    for (const r of body) {
      const cells = r.cells!;
      const filled = cells.filter((c) => /\p{L}/u.test(c.text));
      // "Общеобразовательным организациям:" names the rows below; "Управлению образования провести …" is a
      // row of its own, with its addressee inside
      const only = filled.length === 1 ? filled[0].text.replace(/^\d+[.)]\s*/, '') : '';
      if (only && header.executor === null && startsWithDative(only, morph) && !(analyse(only).verb && !/:\s*$/.test(only))) {
        group = addresseeFrom(filled[0].text, only, morph);
        note(r.start, r.end, 'addressee', TABLE_GROUP_ROW.id);
        continue;
      }
      const content = plan && header.content !== null ? cells[header.content] : longestTextCell(r);
      if (!content || !/\p{L}{3,}/u.test(content.text)) {
        note(r.start, r.end, 'narrative', TABLE_PLAN.id, 'row without content');
        continue;
      }
      const a = analyse(content.text);
      if (a.evaluative) {
        note(r.start, r.end, 'evaluative', ITEM_EVALUATIVE.id);
        continue;
      }
      const exec = header.executor !== null ? cells[header.executor]?.text.trim() || null : null;
      const due = header.deadline !== null ? cells[header.deadline]?.text.trim() || null : null;
      let who = group;
      if (exec) {
        const dative = startsWithDative(exec, morph);
        who = addresseeFrom(exec, exec, morph, dative ? 'datv' : 'nomn');
      }
      drafts.push({
        start: content.start,
        end: content.end,
        analysis: a,
        // "Рекомендовать X …" or a row that opens with its addressee ("Управлению образования провести …"),
        // as in a paragraph (emit); an executor column names the addressee where there is one
        addressee: !exec && a.inlineAddressee && (a.framing || a.inlineAddressee.start === 0) ? ownAddressee(a, content.start) : who,
        rule: plan ? TABLE_PLAN.id : TABLE_OPERATIVE.id,
        cellMeta: { responsible: exec, deadlineText: due },
        weak: !plan,
      });
      note(r.start, r.end, 'item', plan ? TABLE_PLAN.id : TABLE_OPERATIVE.id);
    }
    lastDraftBlock = -1;
  };

  const bounds = opts.bounds;
  let boundsOpened = false;

  for (let i = 0; i < blocks.length && !stop; i++) {
    const b = blocks[i];
    const next = blocks[i + 1];
    const rawBlock = text.slice(b.start, b.end);
    const draftsBefore = drafts.length;
    const traceBefore = trace.length;

    if (bounds) {
      if (bounds.start !== undefined && b.end <= bounds.start) {
        note(b.start, b.end, 'preamble', CORRECTION_BOUNDS.id, 'before the corrected start');
        continue;
      }
      if (bounds.end !== undefined && b.start >= bounds.end) {
        note(b.start, b.end, 'closing', CORRECTION_BOUNDS.id, 'after the corrected end');
        continue;
      }
      if (bounds.start !== undefined && !boundsOpened) {
        boundsOpened = true;
        open(Math.max(b.start, bounds.start), true);
        context = 'operative';
      }
    }

    if (appendix) {
      note(b.start, b.end, 'appendix', CLOSING_APPENDIX.id);
      continue;
    }
    const cue = LINE_CUES.test(b.text);
    if ((cue && NOISE_RE.test(b.text)) || COPYRIGHT_RE.test(rawBlock)) {
      note(b.start, b.end, 'noise', NEWS_NOISE.id);
      continue;
    }
    if (cue && END_RE.test(b.text)) {
      if (operativeStart === null && drafts.length === 0) {
        // "Председатель: …", "Секретарь: …" heading a protocol: header lines, nothing to close yet.
        note(b.start, b.end, 'preamble', CLOSING_LINE.id, 'header line');
        continue;
      }
      operative = false;
      context = 'none';
      addressee = null;
      scope = null;
      lastDraftBlock = -1;
      note(b.start, b.end, 'closing', CLOSING_LINE.id);
      continue;
    }
    if (cue && APPENDIX_RE.test(b.text) && b.kind !== 'item' && (operativeStart !== null || drafts.length > 0)) {
      appendix = true;
      operative = false;
      note(b.start, b.end, 'appendix', CLOSING_APPENDIX.id);
      continue;
    }
    // "Ответственный: …", "Срок: …" right under a decision belong to it.
    if (cue && b.kind !== 'row' && isMetaLine(b.text)) {
      if (drafts.length && lastDraftBlock === i - 1 && operative) {
        drafts[drafts.length - 1].end = b.end;
        lastDraftBlock = i;
        note(b.start, b.end, 'continuation', metaRule(b.text));
      } else note(b.start, b.end, operative ? 'narrative' : 'preamble', metaRule(b.text), 'not under a decision');
      continue;
    }
    if (cue && HEARD_RE.test(b.text)) {
      // What was heard and said is not decided; the next "РЕШИЛИ:" reopens the decisions.
      operative = false;
      context = 'trap';
      trapKind = /^повестк/iu.test(b.text) ? 'agenda' : /^(?:выступил|докладчик)/iu.test(b.text) ? 'speakers' : 'protocol';
      addressee = null;
      note(b.start, b.end, 'trap', PROTOCOL_HEARD.id, trapKind);
      continue;
    }
    if (b.text.length < 400 && /реш|постанов/iu.test(b.text.slice(0, 60)) && DECIDED_RE.test(b.text)) {
      const colon = rawBlock.search(/[:–—-]/);
      const restStart = b.start + colon + 1;
      open(b.start, true, restStart);
      context = 'operative';
      addressee = null;
      scope = null;
      note(b.start, restStart, 'lead-in', PROTOCOL_DECIDED.id);
      const rest = text.slice(restStart, b.end);
      if (/\p{L}{3,}/u.test(rest)) {
        const inline = findInlineItems(rest);
        if (inline) emitSpans(inline.items.map((it) => ({ start: restStart + it.start, end: restStart + it.end })), INLINE_NUMBERED.id, false);
        else if (emitBlock(restStart, b.end, ITEM_OPERATIVE.id)) note(restStart, b.end, 'item', ITEM_OPERATIVE.id);
        lastDraftBlock = i;
      }
      continue;
    }
    if (b.kind === 'row') {
      let j = i;
      while (blocks[j + 1]?.kind === 'row') j++;
      handleTable(blocks.slice(i, j + 1));
      i = j;
      continue;
    }
    if (!operative && b.text.length < 100 && (DATELINE_RE.test(b.text) || PLACE_LINE_RE.test(b.text))) {
      datelineSeen = true;
      note(b.start, b.end, 'preamble', DATELINE.id);
      continue;
    }

    if (scope && b.kind === 'item' && b.marker) {
      if (scope.subKind === null && b.marker.kind !== scope.kind) scope.subKind = b.marker.kind;
      else if (b.marker.kind === scope.kind && scope.subKind !== null && scope.subKind !== scope.kind) {
        // "5. Продолжить …" after "4. Педагогическим работникам:" and its dashes: back at the lead-in's level.
        addressee = scope.outer;
        scope = null;
        note(b.start, b.start, 'item', NESTED_SCOPE.id);
      }
    }

    // "II. ЗАДАЧИ КОНФЕРЕНЦИИ", "III. Участники конференции отмечают", "V. ЗАКЛЮЧИТЕЛЬНЫЕ ПОЛОЖЕНИЯ": the
    // numbered title of a section (in capitals, or after a Roman numeral) is not an item of a list.
    if (sectionTitleShape(b)) {
      const info = classifyHeading(b.text, rawBlock.replace(/\s+/g, ' '), morph, operative);
      if (info.role === 'trap' || info.role === 'trigger' || info.role === 'other') {
        if (info.role === 'other') {
          // a section of its own: whatever list came before (goals, tasks) has ended, and so has the
          // scope of the last addressee heading («III. ЗАКЛЮЧИТЕЛЬНЫЕ ПОЛОЖЕНИЯ» after «2.3. Молодым педагогам:»)
          if (context === 'trap') context = operative ? 'operative' : 'none';
          addressee = null;
        } else setContext(info, b.start, b.end);
        scope = null;
        lastDraftBlock = -1;
        note(b.start, b.end, roleOf(info), SECTION_TITLE.id, info.role === 'trap' ? trapKind ?? undefined : undefined);
        continue;
      }
    }

    // Headings: a block ending with ":"; a short unpunctuated line over a list (bold or capitals);
    // an addressee typed in capitals; a numbered line naming an addressee with sub-items of another kind.
    const colon = /:\s*$/.test(b.text) && b.text.length > 1;
    let shortMemo: boolean | undefined;
    const short = () => (shortMemo ??= splitsAtMost(b.text, HEADING_WORDS));
    const bare = !colon && b.kind === 'para' && next?.kind === 'item' && !/[.;!?,]$/.test(b.text) && short();
    // (Not in the title block: "ВСЕРОССИЙСКОЙ НАУЧНО-ПРАКТИЧЕСКОЙ КОНФЕРЕНЦИИ" reads like a dative too.)
    const capitals = !colon && !bare && b.kind === 'para' && (operative || narrativeSeen) && isCapitalsLine(b.text) && short() && startsWithDative(b.text, morph);
    // "Руководителям общеобразовательных организаций" over "обеспечить …;" lines: a heading without its bold
    const plainDative =
      !colon && !bare && !capitals && operative && b.kind === 'para' && next?.kind === 'para' && addresseeLineOver(b.text, next.text, morph, analyse, true);
    const numberedHeading =
      !colon &&
      b.kind === 'item' &&
      next?.kind === 'item' &&
      next.marker?.kind !== b.marker?.kind &&
      !/[.;!?]$/.test(b.text) &&
      startsWithDative(b.text, morph) &&
      analyse(b.text).verb === null;

    if (colon || bare || numberedHeading || capitals || plainDative) {
      const head = b.text.replace(/:\s*$/, '');
      const analysis = analyse(head);
      // "1. Продолжить работу по направлениям:", "Руководителям школ обеспечить:" — a recommendation
      // whose sub-items complete its sentence, not a heading.
      // "Рекомендовать органам … обеспечить:" has an operative verb of its own after its frame;
      // "Рекомендовать органам …:" and "Приоритетными направлениями определить:" do not.
      const ownVerb =
        analysis.infinitiveLed &&
        analysis.verb !== null &&
        !FRAMING_LEMMAS.has(analysis.verb) &&
        !priorityLeadIn(lemmasOf(head, morph)) &&
        (analysis.framing ? analysis.contentAt > 0 : triggerAt(lemmasOf(head, morph)) < 0);
      const isRecWithSubitems = colon && ownVerb && (operative || ctx() === 'unknown' || Boolean(analysis.inlineAddressee));
      if (isRecWithSubitems && context !== 'trap') {
        let end = b.end;
        let last = i;
        // Sub-items end at the parent's own level (blocks.ts sameLevel: a bullet of another glyph is
        // a level below), and at the level of the addressee heading above it
        // ("2. Общеобразовательным организациям:" after "1.3. Предусмотреть …: а) …; б) …").
        const outerKind = scope?.kind ?? null;
        while (blocks[last + 1]?.kind === 'item' && !sameLevel(blocks[last + 1].marker, b.marker) && blocks[last + 1].marker?.kind !== outerKind) {
          last++;
          end = blocks[last].end;
        }
        // Sub-items whose markers a PDF's text layer dropped: lower-case fragments that complete the
        // sentence («логопедов;», «специалистов по …;»), each without a verb of its own, up to the
        // first line that is not one (a sibling item that lost its marker opens with its verb).
        if (last === i) {
          while (blocks[last + 1]?.kind === 'para' && /^\p{Ll}/u.test(blocks[last + 1].text) && /[;.]$/.test(blocks[last + 1].text) && !analyse(blocks[last + 1].text).verb) {
            last++;
            end = blocks[last].end;
            if (/\.$/.test(blocks[last].text)) break;
          }
        }
        if (analysis.inlineAddressee && !operative) open(b.start, true);
        if (!analysis.evaluative) {
          const scoped = analysis.inlineAddressee ? null : addressee;
          emit(b.contentStart, end, analysis, scoped, NESTED_PARENT.id);
          note(b.start, end, 'item', NESTED_PARENT.id);
          lastDraftBlock = last;
        } else note(b.start, end, 'evaluative', ITEM_EVALUATIVE.id);
        i = last;
        continue;
      }
      let info = classifyHeading(head, rawBlock.replace(/\s+/g, ' '), morph, operative);
      if ((info.role === 'other' || info.rule === ADDRESSEE_NOUN.id) && colon && next?.kind === 'item') {
        // "Для образовательных организаций:", "Для родителей:" over a list
        const forWhom = forAddressee(head, morph);
        if (forWhom) info = { role: 'addressee', addressee: { ...forWhom, raw: collapse(rawBlock) }, rule: ADDRESSEE_FOR.id };
      }
      const accepted = colon || (capitals || plainDative ? info.role === 'addressee' : info.role !== 'other');
      if (accepted) {
        // A lead-in sentence ("Участники семинара, состоявшегося 5 мая в г. Кирове, рекомендуют:") stays in the narrative.
        setContext(info, b.start, info.role === 'trigger' && b.kind === 'para' ? b.end : undefined);
        // "Уважаемые родители! Просим вас:" — the vocative names whom the list below is asked of
        const voc = info.role === 'trigger' && b.kind === 'para' ? vocativeAt(rawBlock, morph) : null;
        if (voc) {
          addressee = voc.addressee;
          vocativeAddressee = true;
          note(b.start, b.start + voc.end, 'addressee', APPEAL_VOCATIVE.id, voc.addressee.nominative);
        }
        if (info.role === 'addressee' && b.kind === 'item' && b.marker) scope = { kind: b.marker.kind, subKind: null, outer: scope ? scope.outer : null };
        else if (info.role !== 'other') scope = null;
        const rule = plainDative ? PLAIN_ADDRESSEE.id : capitals && !colon ? CAPITALS_ADDRESSEE.id : bare && !colon ? (info.role === 'addressee' ? BARE_HEADING.id : info.rule) : b.kind === 'item' && info.role === 'addressee' ? NESTED_HEADING.id : info.rule;
        note(b.start, b.end, roleOf(info), rule, info.role === 'trap' ? trapKind ?? undefined : info.addressee?.nominative);
        lastDraftBlock = -1;
        continue;
      }
    }

    if (b.kind === 'item') {
      if (context === 'trap') {
        note(b.start, b.end, 'trap', TRAP_HEADING.id, trapKind ?? undefined);
        continue;
      }
      if (context === 'operative' || operative) {
        if (URL_ONLY.test(collapse(text.slice(b.contentStart, b.end)))) {
          note(b.start, b.end, 'trap', ITEM_URL.id, 'links');
          continue;
        }
        if (CONTROL_CLAUSE.test(b.text)) {
          note(b.start, b.end, 'trap', ITEM_CONTROL.id, 'other');
          continue;
        }
        if (itemWithInlineHeading(b, false)) {
          lastDraftBlock = i;
          continue;
        }
        const whole = analyse(b.text);
        // (the finite verb before the first comma: «Создание центров, которые позволят …» is a proposal)
        if (!whole.verb && !whole.framing && !whole.evaluative && analyse(b.text.split(/[,;:(«]/)[0]).finiteLead) {
          // "3.1. Резолюция направляется в органы управления образованием": a statement, not a proposal
          note(b.start, b.end, 'narrative', ITEM_STATEMENT.id);
          continue;
        }
        const n = emitBlock(b.contentStart, b.end, ITEM_OPERATIVE.id, addressee, false, false);
        if (n && addressee) listedUnder = addressee;
        if (n) {
          const d = drafts[drafts.length - 1];
          note(b.start, b.end, 'item', !d.analysis.verb || !d.analysis.infinitiveLed ? ITEM_NOMINAL.id : ITEM_OPERATIVE.id);
        }
        lastDraftBlock = i;
        continue;
      }
      // A list outside any recognised operative part counts when most of its items open with an
      // infinitive ("1. Продолжить …", "2. Развивать …") — numbered proposals without a heading.
      // (up to a section's title: «II. РЕКОМЕНДАЦИИ» after «I. ОБЩИЕ ПОЛОЖЕНИЯ» and its paragraph)
      let j = i;
      while (blocks[j + 1]?.kind === 'item' && !sectionTitleShape(blocks[j + 1])) j++;
      const list = blocks.slice(i, j + 1);
      const led = list.filter((x) => {
        const a = analyse(x.text);
        return a.infinitiveLed && !a.evaluative;
      }).length;
      if (led >= Math.max(2, Math.ceil(list.length * 0.6)) || (list.length === 1 && led === 1 && ctx() === 'unknown')) {
        open(b.start, false);
        context = 'operative';
        for (const x of list) {
          if (!itemWithInlineHeading(x, true) && emitBlock(x.contentStart, x.end, INFINITIVE_LIST.id, addressee, true, false)) note(x.start, x.end, 'item', INFINITIVE_LIST.id);
          lastDraftBlock = blocks.indexOf(x);
        }
      } else for (const x of list) note(x.start, x.end, 'preamble', PARAGRAPH_NARRATIVE.id, 'list outside the operative part');
      i = j;
      continue;
    }

    // Paragraphs.
    lastDraftBlock = -1;
    const voc = vocativeAt(rawBlock, morph);
    if (voc) {
      addressee = voc.addressee;
      vocativeAddressee = true;
      context = 'operative';
      note(b.start, b.start + voc.end, 'addressee', APPEAL_VOCATIVE.id, voc.addressee.nominative);
      const n = sentenceItems(b, b.start + voc.end, voc.addressee, true);
      if (n) open(b.start, true);
      continue;
    }
    const inline = findInlineItems(rawBlock);
    if (inline) {
      const lead = collapse(rawBlock.slice(0, inline.leadEnd));
      const info: HeadingInfo = lead
        ? classifyHeading(lead.replace(/[:\s]+$/, ''), lead, morph, operative)
        : { role: operative ? 'trigger' : 'other', addressee: null, rule: INLINE_NUMBERED.id };
      const spans = inline.items.map((it) => ({ start: b.start + it.start, end: b.start + it.end }));
      if (info.role === 'trap') {
        setContext(info, b.start);
        note(b.start, b.end, 'trap', info.rule, trapKind ?? undefined);
        context = operative ? 'operative' : 'none';
        continue;
      }
      if (info.role === 'trigger' || info.role === 'addressee' || operative) {
        if (lead) note(b.start, b.start + inline.leadEnd, roleOf(info), info.rule);
        if (info.role !== 'other') setContext(info, b.start, b.start + inline.leadEnd);
        emitSpans(spans, INLINE_NUMBERED.id, false);
        const after = spans[spans.length - 1].end;
        if (after < b.end && /\p{L}/u.test(text.slice(after, b.end))) note(after, b.end, 'narrative', PARAGRAPH_NARRATIVE.id);
        continue;
      }
      const led = spans.filter((sp) => analyse(collapse(text.slice(sp.start, sp.end))).infinitiveLed).length;
      if (led >= Math.max(2, Math.ceil(spans.length * 0.6))) {
        open(b.start, false);
        context = 'operative';
        emitSpans(spans, INLINE_NUMBERED.id, true);
        continue;
      }
    }
    if (news) {
      if (i < 5 && b.text.length < 150 && !/[.!?]$/.test(b.text) && !narrativeSeen) {
        note(b.start, b.end, 'title', NEWS_HEADLINE.id);
        continue;
      }
      if (newsItems(b)) {
        open(b.start, true);
        continue;
      }
    }
    {
      const mark = headingMark(rawBlock);
      const headText = mark ? collapse(rawBlock.slice(0, mark.at)) : null;
      const headVerb = headText ? analyse(headText) : null;
      const sentenceHead = Boolean(headVerb?.verb && !(headVerb.framing && FRAMING_LEMMAS.has(headVerb.verb)));
      const info = headText && !sentenceHead ? classifyHeading(headText, headText, morph, operative) : null;
      const dashOk = !mark?.dash || (info?.rule === ADDRESSEE_DATIVE.id && !bracketBars(b, headText!));
      if (info && mark && dashOk && (info.role === 'addressee' || (info.role === 'trigger' && !mark.dash))) {
        open(b.start, true, info.role === 'trigger' ? b.start + mark.at + 1 : undefined);
        context = 'operative';
        addressee = null;
        itemWithInlineHeading(b, false);
        // the heading of a run-on paragraph covers its paragraph (and unmarked paragraphs after it); an
        // addressee before a dash names its own paragraph's proposal only («Педагогам-психологам —
        // организовать …» then «Провести следующее совещание в 2026 году.»)
        if (info.role === 'addressee' && !mark.dash) addressee = { ...info.addressee!, raw: collapse(rawBlock.slice(0, mark.at + 1)) };
        lastDraftBlock = i;
        continue;
      }
    }
    if (APPEAL_SENTENCE_RE.test(b.text) && /[.!?]\s+\p{Lu}/u.test(b.text)) {
      // Several requests in one paragraph: "Просим … . Приглашаем …"
      const n = sentenceItems(b, b.start, addressee, true);
      if (n) {
        open(b.start, true);
        continue;
      }
    }
    if (!news && next && ANNOUNCEMENT_END_RE.test(b.text)) {
      // "Обсудив доклады, участники круглого стола считают необходимым предложить следующее." — the
      // sentence announces the list below; it opens the operative part and is not a proposal itself.
      const sentences = splitSentences(text, b.start, b.end);
      const last = sentences[sentences.length - 1] ?? { start: b.start, end: b.end };
      const body = text.slice(last.start, last.end);
      if (!EARLIER_RE.test(body) && triggerAt(lemmasOf(body, morph)) >= 0) {
        if (last.start > b.start) note(b.start, last.start, operative ? 'narrative' : 'preamble', PARAGRAPH_NARRATIVE.id);
        open(b.start, true, b.end);
        context = 'operative';
        addressee = null;
        scope = null;
        note(last.start, b.end, 'lead-in', PARAGRAPH_ANNOUNCEMENT.id);
        continue;
      }
    }
    if (PREAMBLE_GERUND_RE.test(b.text) && !b.text.split(',').slice(1).some((part) => analyse(part.trim()).infinitiveLed)) {
      note(b.start, b.end, operative ? 'narrative' : 'preamble', PREAMBLE_CLAUSE.id);
      continue;
    }
    if (!news && FRAMING_PREFILTER.test(b.text) && !INVITATION_RE.test(b.text)) {
      const words = lemmasOf(b.text, morph);
      // "Участники конференции рекомендуют органам управления обеспечить …": a recommendation in a
      // sentence, wherever it stands. A past tense ("рекомендовали расширить …") reports an earlier
      // resolution instead.
      const trig = words.findIndex((w) => FRAMING_LEMMAS.has(w.lemma) && (w.pos === 'VERB' || w.pos === 'INFN'));
      if (trig >= 0 && !words[trig].past) {
        const from = words[trig].token.start;
        const a = analyse(b.text.slice(from));
        if (a.framing && a.verb && a.verb !== words[trig].lemma && !a.evaluative) {
          // "Участники семинара, состоявшегося 5 мая, рекомендуют …": what precedes the verb reports the event
          open(b.start, true, b.start + rawOffsetOf(rawBlock, from));
          context = 'operative';
          if (trig === 0) {
            const n = emitBlock(b.contentStart, b.end, PARAGRAPH_FRAMING.id);
            if (n) note(b.start, b.end, 'item', n > 1 ? RUNON_SEMICOLONS.id : PARAGRAPH_FRAMING.id);
          } else {
            // the sentence that holds the framing verb
            const sentences = splitSentences(text, b.start, b.end);
            const offset = b.start + rawOffsetOf(rawBlock, from);
            const s = sentences.find((x) => offset >= x.start && offset < x.end) ?? { start: b.contentStart, end: b.end };
            const whole = sentences.length === 1 ? { start: b.contentStart, end: b.end } : s;
            // "Управлению образования … предлагаем учредить …": the dative before the verb is the addressee
            const sentence = analyse(collapse(text.slice(whole.start, whole.end)));
            // A sentence with its own subject ("Семинар считает необходимым продолжить …") stands on its
            // own: the addressee heading above it covers its list, not this sentence, nor what follows.
            addressee = null;
            emit(whole.start, whole.end, sentence.inlineAddressee?.start === 0 && sentence.verb === a.verb ? sentence : a, null, PARAGRAPH_FRAMING.id);
            note(whole.start, whole.end, 'item', PARAGRAPH_FRAMING.id);
          }
          continue;
        }
        if (a.nominalFrame && trig === 0 && !a.evaluative && !/:\s*$/.test(b.text)) {
          // "Считать необходимым создание муниципальных центров …": a nominal recommendation, not a lead-in
          open(b.start, true);
          context = 'operative';
          if (emitBlock(b.contentStart, b.end, PARAGRAPH_FRAMING.id)) note(b.start, b.end, 'item', PARAGRAPH_FRAMING.id);
          lastDraftBlock = i;
          continue;
        }
        if (a.framing && a.verb === words[trig].lemma && words.length <= HEADING_WORDS) {
          // "Конференция рекомендует" on its own line, headings or lists follow.
          open(b.start, true);
          context = 'operative';
          addressee = null;
          note(b.start, b.end, 'lead-in', TRIGGER_SENTENCE.id);
          continue;
        }
      }
    }
    const words = splitsAtMost(b.text, 5) ? lemmasOf(b.text, morph) : null;
    // A short title line naming the operative part: "РЕКОМЕНДАЦИИ", "Предложения участников".
    if (words && !/[.;!?]$/.test(b.text) && triggerAt(words) >= 0) {
      // Under the place-and-date line, "Рекомендации участников конференции" (not a title in capitals)
      // names the part below, not the document.
      const belowDateline = datelineSeen && !isCapitalsLine(b.text) && !splitsAtMost(b.text, 1);
      if (!narrativeSeen && !belowDateline && drafts.length === 0 && operativeStart === null) {
        note(b.start, b.end, 'title', TITLE_LINE.id, 'document title');
        continue;
      }
      open(b.start, true);
      context = 'operative';
      addressee = null;
      note(b.start, b.end, 'lead-in', TITLE_LINE.id);
      continue;
    }
    if (context === 'trap' && /^\p{Lu}/u.test(b.text)) {
      // Narrative after a list of goals or problems ends that list.
      context = operative ? 'operative' : 'none';
      note(b.start, b.end, operative ? 'narrative' : 'preamble', TRAP_ENDS.id);
      if (!operative) continue;
    }
    if (operative && drafts.length > 0 && ((/!$/.test(b.text) && splitsAtMost(b.text, 8)) || (b.kind === 'para' && REMINDER_RE.test(b.text)))) {
      // "Берегите себя и своих детей!", "Вместе мы сможем …!": an appeal's closing words
      note(b.start, b.end, 'closing', SIGN_OFF.id);
      continue;
    }
    if (operative && context !== 'trap' && CONTROL_CLAUSE.test(b.text)) {
      note(b.start, b.end, 'trap', ITEM_CONTROL.id, 'other');
      continue;
    }
    if (operative && context !== 'trap') {
      const a = analyse(b.text);
      if ((a.infinitiveLed || a.framing) && a.verb && !a.evaluative) {
        // An unmarked paragraph after the marked list an addressee heading covered is outside it:
        // «2. Учителям: 2.1. использовать …» then «Провести следующую конференцию в 2026 году.»
        if (addressee && listedUnder === addressee && b.kind === 'para') addressee = null;
        const n = emitBlock(b.contentStart, b.end, PARAGRAPH_OPERATIVE.id);
        if (n) note(b.start, b.end, 'item', n > 1 ? RUNON_SEMICOLONS.id : PARAGRAPH_OPERATIVE.id);
        lastDraftBlock = i;
        continue;
      }
      if (a.evaluative) {
        note(b.start, b.end, 'evaluative', ITEM_EVALUATIVE.id);
        continue;
      }
    }
    if (drafts.length === draftsBefore && trace.length === traceBefore) {
      note(b.start, b.end, operative ? 'narrative' : 'preamble', PARAGRAPH_NARRATIVE.id);
      // a sentence of the preamble ("В работе конференции приняли участие 120 педагогов."): the
      // document's title is above it, and a "Рекомендации …" line below it opens the operative part
      if (b.text.length > 80 || (/[.!?]$/.test(b.text) && /\p{Ll}{3,}\s+\p{Ll}{3,}/u.test(b.text) && !splitsAtMost(b.text, 3))) narrativeSeen = true;
    }
  }

  const { recommendations, weak } = finalise(text, drafts, morph);
  const reason = recommendations.length ? null : operativeStart === null ? NO_OPERATIVE_PART : EMPTY_OPERATIVE_PART;
  const { verdict, reasons } = verdictOf(recommendations, weak, { strongOpen, news, reason });
  trace.sort((a, b) => a.start - b.start || b.end - a.end);
  if (news) trace.unshift({ start: 0, end: 0, role: 'preamble', rule: NEWS_DETECT.id, detail: 'news article' });
  return { recommendations, operativeStart, narrativeEnd, reason, verdict, reviewReasons: reasons, sourceKind: news ? 'news' : 'resolution', trace };
}

/** Why a document gave no recommendation (stored in segment_status.reason, printed by the CLI). */
const NO_OPERATIVE_PART =
  'no operative part found (no "рекомендовать"/"предложения"/"решили" lead-in, addressee headings, decision table or infinitive-led list)';
const EMPTY_OPERATIVE_PART = 'an operative part was found but it holds no list items or proposals';

/** The same reasons for the Russian pages (the explorer, the draft check); other text is kept as it is. */
export function segmentReasonRu(reason: string): string {
  if (reason === NO_OPERATIVE_PART)
    return 'не найдена постановляющая часть (нет вводных слов «рекомендовать», «предложения», «решили», заголовков-адресатов, таблицы решений или списка с инфинитивами)';
  if (reason === EMPTY_OPERATIVE_PART) return 'постановляющая часть найдена, но в ней нет ни пунктов, ни предложений';
  if (reason === 'no recommendations found') return 'рекомендации не найдены';
  return reason;
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

/** Drafts → recommendations: trimmed spans, texts, proposals, forms, responsible and deadlines. */
function finalise(text: string, drafts: Draft[], morph: Morph): { recommendations: SegmentedRecommendation[]; weak: boolean[] } {
  const out: SegmentedRecommendation[] = [];
  const weak: boolean[] = [];
  for (const d of drafts) {
    // Trim trailing list punctuation and whitespace; offsets follow. A closing quote mark that was
    // part of a quotation's attribution stays out.
    let e = d.end;
    while (e > d.start && /[\s;.,:]/.test(text[e - 1])) e--;
    let s = d.start;
    while (s < e && /[\s«"]/.test(text[s]) && !(text[s] === '«' && text.slice(s, e).includes('»'))) s++;
    if (e <= s) continue;
    const body = collapse(text.slice(s, e));
    if (URL_ONLY.test(body) || !/\p{L}{3,}/u.test(body)) continue;
    const form = itemForm(d.analysis, body);
    const meta = d.cellMeta
      ? { responsible: d.cellMeta.responsible, deadlineText: d.cellMeta.deadlineText, deadline: d.cellMeta.deadlineText ? deadlineDate(d.cellMeta.deadlineText) : null }
      : itemMeta(body);
    out.push({
      seq: out.length + 1,
      text: body,
      proposal: proposalOf(body, morph, d.analysis),
      charStart: s,
      charEnd: e,
      addresseeRaw: d.addressee?.raw ?? null,
      addressee: d.addressee?.nominative ?? null,
      addresseeType: classifyAddressee(d.addressee?.nominative ?? null),
      verb: form === 'nominal' ? null : d.analysis.verb,
      form,
      responsible: meta.responsible,
      deadline: meta.deadline,
      deadlineText: meta.deadlineText,
      rule: d.rule,
      corrected: false,
    });
    weak.push(d.weak);
  }
  return { recommendations: out, weak };
}
