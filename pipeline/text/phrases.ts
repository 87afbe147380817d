/**
 * Noun phrases of Russian official prose, found with `az` tags and put into the nominative:
 * «поддержки семей, воспитывающих детей» → «поддержка семей», «через средства массовой информации»
 * → «средства массовой информации», «Вологодского института развития образования» → «Вологодский
 * институт развития образования». The patterns are those BERTopic's PartOfSpeech representation uses
 * for English (adjective + noun, noun + noun), adapted to Russian word order: agreeing adjectives
 * before the head, genitive nouns after it, and one prepositional complement («работа с родителями»,
 * «информирование через СМИ»). Pure functions over a Morph.
 */
import type { Morph, WordParse } from './morph.js';
import { tokenize, type Token } from './tokenize.js';
import { RUSSIAN_STOPWORDS } from './stopwords.js';

const CASES = ['nomn', 'gent', 'datv', 'accs', 'ablt', 'loct'] as const;
const GENDERS = ['masc', 'femn', 'neut'] as const;

/** An abbreviation in capitals (ОВЗ, СМИ, ППМС, ДОО): a noun that does not decline. */
export function isCapsAbbreviation(word: string): boolean {
  return word.length >= 2 && word.length <= 8 && /^[\p{Lu}][\p{Lu}\d-]*$/u.test(word) && /\p{Lu}.*\p{Lu}/u.test(word);
}

function caseOf(p: WordParse): string | undefined {
  return CASES.find((c) => p.grammemes.has(c));
}

function numberOf(p: WordParse): 'sing' | 'plur' {
  return p.grammemes.has('plur') ? 'plur' : 'sing';
}

function genderOf(p: WordParse): string | undefined {
  return GENDERS.find((g) => p.grammemes.has(g));
}

/** Keeps the capitalisation of the written form: «Вологодского» → «Вологодский». */
export function matchCase(template: string, word: string): string {
  if (template.length > 1 && template === template.toUpperCase()) return word.toUpperCase();
  if (/^\p{Lu}/u.test(template)) return word.charAt(0).toUpperCase() + word.slice(1);
  return word;
}

const isAdjective = (p: WordParse) => p.pos === 'ADJF' || p.pos === 'PRTF';

/** Participles that work as nouns in this genre («обучающихся с ОВЗ»). */
const SUBSTANTIVES = new Set(['обучающийся', 'учащийся', 'заведующий', 'служащий', 'выпускник', 'занимающийся']);

/**
 * Is this word a noun here, or an adjective that happens to have a noun reading («ранней» — рань —
 * before «помощи»)? A noun by its most probable reading, or a noun reading whose adjective reading
 * agrees with no noun after it.
 */
function isHeadNoun(parses: readonly WordParse[], next: readonly WordParse[] | undefined): boolean {
  if (parses.length === 0 || !parses.some((p) => p.pos === 'NOUN')) return false;
  const best = parses[0];
  if (best.pos === 'NOUN') return true;
  if (!isAdjective(best) && !SUBSTANTIVES.has(best.lemma)) return false;
  // An adjective reading followed by a word it agrees with is an adjective.
  const nextBest = next?.[0];
  if (!nextBest || !(nextBest.pos === 'NOUN' || isAdjective(nextBest))) return true;
  const agreesNext = (next ?? []).some((n) => (n.pos === 'NOUN' || isAdjective(n)) && parses.some((p) => isAdjective(p) && caseOf(p) === caseOf(n) && numberOf(p) === numberOf(n)));
  return !agreesNext;
}

/** The word in the nominative keeping its kind: a passive participle stays passive («одарённой» → «одарённая»). */
function inflectAdjective(p: WordParse, number: string, gender: string | undefined): string | null {
  const wanted = number === 'sing' && gender ? ['nomn', 'sing', gender] : ['nomn', number];
  if (p.pos === 'PRTF') for (const g of ['actv', 'pssv', 'past', 'pres', 'perf', 'impf']) if (p.grammemes.has(g)) wanted.push(g);
  return p.inflect(wanted) ?? p.inflect(['nomn', number]);
}

/**
 * The nominative of a noun phrase written in any case: the leading adjectives and their head noun
 * are inflected (number kept, gender from the head), everything after the head — genitive
 * complements, prepositional phrases, quoted names — stays as written. Words az cannot inflect are
 * kept. «Челябинском институте переподготовки и повышения квалификации» → «Челябинский институт
 * переподготовки и повышения квалификации».
 */
export function nominativePhrase(phrase: string, morph: Morph): string {
  const tokens = tokenize(phrase);
  const words = tokens.filter((t) => t.kind === 'word');
  // The head: the first noun; its case is the one the adjectives before it share.
  let headIndex = -1;
  for (let i = 0; i < words.length; i++) {
    if (isCapsAbbreviation(words[i].text)) break;
    const parses = morph.parse(words[i].text);
    const next = words[i + 1] && !isCapsAbbreviation(words[i + 1].text) ? morph.parse(words[i + 1].text) : undefined;
    if (isHeadNoun(parses, next)) {
      headIndex = i;
      break;
    }
    if (!parses.some(isAdjective)) break;
  }
  if (headIndex < 0) return phrase;
  const before = words.slice(0, headIndex);
  const headParses = morph.parse(words[headIndex].text).filter((p) => p.pos === 'NOUN');
  // Prefer the head reading whose case and number every adjective before it can take.
  const agrees = (h: WordParse) =>
    before.every((w) => morph.parse(w.text).some((p) => isAdjective(p) && caseOf(p) === caseOf(h) && numberOf(p) === numberOf(h)));
  const head = headParses.find(agrees) ?? headParses[0];
  const headText = words[headIndex].text;
  const number = numberOf(head);
  const gender = genderOf(head);
  const replacements = new Map<Token, string>();
  const headNom = head.inflect(['nomn', number]);
  if (headNom) replacements.set(words[headIndex], matchCase(headText, headNom));
  for (const w of before) {
    const parses = morph.parse(w.text);
    const fits = (q: WordParse) => caseOf(q) === caseOf(head) && numberOf(q) === number;
    // An adjective reading before a participle one: «одарённой» is «одарённая», not «одарившая».
    const p = parses.find((q) => q.pos === 'ADJF' && fits(q)) ?? parses.find((q) => isAdjective(q) && fits(q)) ?? parses.find(isAdjective);
    if (!p) continue;
    const nom = inflectAdjective(p, number, gender);
    if (nom) replacements.set(w, matchCase(w.text, nom));
  }
  let out = '';
  let pos = 0;
  for (const t of tokens) {
    const r = replacements.get(t);
    if (r === undefined) continue;
    out += phrase.slice(pos, t.start) + r;
    pos = t.end;
  }
  return out + phrase.slice(pos);
}

// --- noun phrases for labels --------------------------------------------------------------------------

/** One occurrence of a noun phrase in a text. */
export interface PhraseOccurrence {
  /** Lemmas of its words (prepositions included), the phrase's identity: «поддержка семья». */
  key: string;
  /** As written in the text. */
  surface: string;
  /** Put into the nominative: «поддержка семей» (computed on first read: most callers need few). */
  readonly nominative: string;
  /** Content words (prepositions not counted). */
  length: number;
  /** Lemma of the head noun. */
  head: string;
  /** Words after the head (genitive and prepositional complements). */
  tail: number;
  /** The last complement is a noun alone, without adjectives («по обучению», «оказания»). */
  bareEnd: boolean;
  /** Cut by the length limit while the text goes on with a complement («обучение детей с расстройствами | аутистического спектра»). */
  truncated: boolean;
}

/**
 * A PhraseOccurrence as a class: the nominative is computed on first read by a getter on the
 * prototype, where an object literal with a getter made a closure per occurrence (428,086 of them
 * when the labeler reads 24,000 texts; a third of its time was garbage collection).
 */
class Occurrence implements PhraseOccurrence {
  private nom: string | undefined;
  truncated = false;
  constructor(
    readonly key: string,
    readonly surface: string,
    private readonly morph: Morph,
    readonly length: number,
    readonly head: string,
    readonly tail: number,
    readonly bareEnd: boolean,
  ) {}
  get nominative(): string {
    return (this.nom ??= nominativePhrase(this.surface, this.morph));
  }
}

/** Prepositions that may join a complement to a phrase: «дети с ОВЗ», «информирование через СМИ». */
const PHRASE_PREPOSITIONS = new Set(['с', 'для', 'через', 'по', 'о', 'об', 'в', 'на']);

interface Word {
  token: Token;
  parses: readonly WordParse[];
  abbr: boolean;
  lemma: string;
}

function nounIn(w: Word, kase?: string): WordParse | undefined {
  if (w.abbr) return undefined;
  return w.parses.find((p) => p.pos === 'NOUN' && (kase === undefined || p.grammemes.has(kase)));
}

function adjectiveAgreeing(w: Word, head: WordParse): boolean {
  return w.parses.some((p) => isAdjective(p) && caseOf(p) === caseOf(head) && numberOf(p) === numberOf(head));
}

/**
 * Noun phrases of a text: every head noun with its agreeing adjectives before it, followed by up to
 * `maxTail` genitive nouns (with their own adjectives) and at most one prepositional complement.
 * Every prefix of a phrase's tail is a phrase too («поддержка», «поддержка семей», «поддержка семей
 * детей»), so that the most distinctive length can be chosen later. Phrases never cross punctuation.
 */
export function nounPhrases(text: string, morph: Morph, opts: { maxWords?: number; tokens?: readonly Token[] } = {}): PhraseOccurrence[] {
  const maxWords = opts.maxWords ?? 5;
  const out: PhraseOccurrence[] = [];
  // Runs of words between punctuation (a comma ends a phrase: «семей, воспитывающих» is two).
  const runs: Word[][] = [[]];
  // `tokens`: tokenize(text) when the caller has it already (the labeler reads lemmas from the same tokens).
  for (const t of opts.tokens ?? tokenize(text)) {
    if (t.kind !== 'word') {
      if (t.kind === 'punct' && !/^[-–]$/.test(t.text)) runs.push([]);
      else if (t.kind === 'number') runs.push([]);
      continue;
    }
    const abbr = isCapsAbbreviation(t.text);
    const parses = abbr ? [] : morph.parse(t.text);
    runs[runs.length - 1].push({ token: t, parses, abbr, lemma: abbr ? t.text : (parses[0]?.lemma ?? t.text.toLowerCase()) });
  }
  for (const run of runs) {
    const isNounAt = (j: number) => isHeadNoun(run[j].parses, run[j + 1]?.parses);
    for (let h = 0; h < run.length; h++) {
      const headParse = run[h].abbr ? undefined : nounIn(run[h]);
      if (!headParse || PHRASE_PREPOSITIONS.has(run[h].token.text.toLowerCase())) continue;
      if (!isHeadNoun(run[h].parses, run[h + 1]?.parses)) continue;
      if (RUSSIAN_STOPWORDS.has(run[h].lemma)) continue;
      // Adjectives before the head that agree with one of its readings.
      const headReadings = run[h].parses.filter((p) => p.pos === 'NOUN');
      let start = h;
      for (const r of headReadings) {
        let s = h;
        while (s > 0 && adjectiveAgreeing(run[s - 1], r) && !RUSSIAN_STOPWORDS.has(run[s - 1].lemma) && !nounIn(run[s - 1], caseOf(r))) s--;
        start = Math.min(start, s);
      }
      // Every start from the furthest adjective to the head itself.
      for (let s = start; s <= h; s++) {
        const words = run.slice(s, h + 1);
        let content = words.length;
        if (content > maxWords) continue;
        let bareEnd = false;
        const emit = (ws: Word[], n: number) => {
          const key = ws.map((w) => (w.abbr ? w.token.text : w.lemma)).join(' ');
          out.push(new Occurrence(key, text.slice(ws[0].token.start, ws[ws.length - 1].token.end), morph, n, run[h].lemma, ws.length - words.length, bareEnd));
        };
        const markTruncated = () => {
          const last = out[out.length - 1];
          if (last && last.head === run[h].lemma) last.truncated = true;
        };
        emit(words, content);
        // The tail: genitive nouns (each with its adjectives), then one prepositional complement.
        let i = h + 1;
        const tail = [...words];
        let prepUsed = false;
        while (i < run.length) {
          if (content >= maxWords) {
            // The text goes on with a genitive or a preposition: this phrase is a cut.
            // Only inside a prepositional complement: «дети с расстройствами | аутистического спектра»
            // lost what the noun means; «вовлечение родительской общественности | в процесс» did not.
            const w = run[i];
            const genitive = w.abbr || (isNounAt(i) && !!nounIn(w, 'gent')) || (!!w.parses[0] && isAdjective(w.parses[0]) && w.parses.some((p) => isAdjective(p) && p.grammemes.has('gent')));
            if (prepUsed && genitive) markTruncated();
            break;
          }
          const w = run[i];
          const lower = w.token.text.toLowerCase();
          if (!prepUsed && PHRASE_PREPOSITIONS.has(lower) && i + 1 < run.length) {
            // «с ОВЗ», «через СМИ», «с ограниченными возможностями здоровья».
            let j = i + 1;
            const comp: Word[] = [w];
            while (j < run.length && !run[j].abbr && !isNounAt(j) && run[j].parses.some(isAdjective)) comp.push(run[j++]);
            if (j < run.length && (run[j].abbr || isNounAt(j)) && !RUSSIAN_STOPWORDS.has(run[j].lemma)) {
              comp.push(run[j]);
              if (content + comp.length - 1 > maxWords) break;
              tail.push(...comp);
              content += comp.length - 1;
              prepUsed = true;
              i = j + 1;
              bareEnd = comp.length === 2;
              emit(tail, content);
              continue;
            }
            break;
          }
          // A genitive complement, possibly with its own adjectives: «семей», «массовой информации».
          let j = i;
          const comp: Word[] = [];
          while (j < run.length && !run[j].abbr && !(isNounAt(j) && nounIn(run[j], 'gent')) && run[j].parses.some((p) => isAdjective(p) && p.grammemes.has('gent'))) comp.push(run[j++]);
          if (j < run.length && (run[j].abbr || (isNounAt(j) && nounIn(run[j], 'gent'))) && !RUSSIAN_STOPWORDS.has(run[j].lemma)) {
            comp.push(run[j]);
            if (content + comp.length > maxWords) {
              if (prepUsed) markTruncated();
              break;
            }
            tail.push(...comp);
            content += comp.length;
            i = j + 1;
            bareEnd = comp.length === 1;
            emit(tail, content);
            continue;
          }
          break;
        }
      }
    }
  }
  return out;
}
