/**
 * From one surface form of an addressee (the segmenter's nominative, in its document) to the entity
 * it names, and how that was decided. Order of the rules — the first that applies decides:
 *
 * 1. `alias`: the user's data/addressee-aliases.json says what the form stands for;
 * 2. `definition`: the document defines the abbreviation («(далее – ВИРО)»);
 * 3. `known_body`: a federal body in KNOWN_BODIES, after built-in abbreviations are expanded;
 * 4. `kind`: a kind of bodies at one level (KINDS): «муниципальным органам управления образованием»;
 * 5. `initials`: an abbreviation the document spells out somewhere («ЧИППКРО»);
 * 6. `unresolved`: an abbreviation nobody explains stays its own entity (scoped to the document's
 *    region, since «ИРО» is a different institute in each region) and is listed for review;
 * 7. `document_region`: «Министерству образования» or «Институту развития образования» without a
 *    region, in a regional or municipal conference, is that region's body;
 * 8. `name`: any other name is the entity its key (lemmas) names — a proper name is one body, a
 *    common phrase («классным руководителям») a kind of its own.
 *
 * A heading that joins two addressees («органам местного самоуправления и образовательным
 * организациям») is split when every part is a known body or kind; otherwise it stays whole.
 * Corpus-wide steps (an abbreviation matching a full name seen elsewhere, typos) are in group.ts.
 */
import { createHash } from 'node:crypto';
import type { Morph } from '../text/morph.js';
import type { AddresseeType } from '../store/types.js';
import { classifyAddressee } from '../segment/addressee.js';
import { expandBuiltin, findSpelledOut, type DefinedAbbreviation } from './abbreviations.js';
import { aliasKey, findAlias, type AddresseeAlias } from './aliases.js';
import { headIsPlural, isAcronym, keyOf, looksProper, nameWords, splitLegalForm } from './forms.js';
import { KINDS, KNOWN_BODIES, matchRule, type AddresseeLevel } from './kinds.js';
import { regionOfName } from './regions.js';
import { withoutRegionTail } from './region-tail.js';

export type ResolutionMethod =
  | 'alias'
  | 'definition'
  | 'known_body'
  | 'kind'
  | 'initials'
  | 'unresolved'
  | 'document_region'
  | 'name'
  | 'acronym'
  | 'string_distance';

export interface FormResolution {
  /** 1 for a whole heading; 1, 2, … for the parts of a split one. */
  part: number;
  /** The entity key before corpus-wide merges: «body:minprosv», «kind:schools», «name:…», «acr:…». */
  key: string;
  /** A name for the entity (the canonical name of a rule, else the form's name without legal form). */
  name: string;
  type: AddresseeType;
  level: AddresseeLevel | null;
  region: string | null;
  /** A kind of bodies rather than one body. */
  generic: boolean;
  method: ResolutionMethod;
  /** Which rule, alias, definition or distance decided, for `addressee_forms.detail`. */
  detail: string;
  /** Why a person should look at this form, or null. */
  review: string | null;
  /** The abbreviation of an unresolved form, for the corpus-wide abbreviation match. */
  acronym: string | null;
  /** The name's words' texts (for abbreviation matching against this entity). */
  nameWords: string[];
  /**
   * The key without the region: of a name with a trailing region («министерство образование» for
   * «Министерство образования Вологодской области»), or of a name placed by the document's region.
   * «Министерству образования» in a Vologda conference joins the Vologda ministry through it.
   */
  baseKey: string | null;
  /** Placed in the document's region because the name has none («Институт развития образования»). */
  placedByDocument: boolean;
}

/** What the resolver knows about the document a form comes from. */
export interface FormContext {
  region: string | null;
  level: string | null;
  /** «(далее – …)» definitions of the document. */
  definitions: readonly DefinedAbbreviation[];
  /** The document text, for abbreviations it spells out (read only when needed). */
  text: () => string;
}

export interface ResolveEnv {
  morph: Morph;
  aliases: readonly AddresseeAlias[];
  /** Path of the alias file, for details. */
  aliasFile: string;
}

/** Conference levels at which an unnamed regional body is the conference's own region's. */
const REGIONAL_LEVELS = new Set(['региональная', 'межмуниципальная', 'муниципальная']);

/** Authorities named without their region: «Министерство образования», «Департамент образования и науки». */
const UNPLACED_AUTHORITY_RE = /^(?:министерство|департамент|комитет|главный управление|управление)(?: по)? (?:общий и профессиональный |общий |профессиональный )?образование/;
const UNPLACED_INSTITUTE_RE = /^(?:институт развитие образование|институт повышение квалификация|центр непрерывный повышение профессиональный мастерство)/;

export function levelOf(type: AddresseeType, region: string | null): AddresseeLevel | null {
  switch (type) {
    case 'federal':
      return 'federal';
    case 'regional':
      return 'regional';
    case 'municipal':
      return 'municipal';
    case 'institute':
      return region ? 'regional' : null;
    case 'educational_org':
      return 'organisation';
    case 'participants':
      return 'people';
    default:
      return null;
  }
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 10);
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface Attempt {
  res: Omit<FormResolution, 'part'>;
  /** Decided by a rule that knows the body (alias, definition, known body, kind). */
  confident: boolean;
}

function fromRule(rule: (typeof KINDS)[number], generic: boolean, method: ResolutionMethod, detail: string, words: string[]): Attempt {
  return {
    res: {
      key: `${generic ? 'kind' : 'body'}:${rule.id}`,
      name: rule.name,
      type: rule.type,
      level: rule.level,
      region: null,
      generic,
      method,
      detail,
      review: null,
      acronym: null,
      nameWords: words,
      baseKey: null,
      placedByDocument: false,
    },
    confident: true,
  };
}

/** One name (no splitting). `via` carries an alias or definition that produced this name. */
function resolveName(raw: string, ctx: FormContext, env: ResolveEnv, via: { method: ResolutionMethod; detail: string } | null, depth: number): Attempt {
  const { morph } = env;
  const split = splitLegalForm(raw, morph);
  const region0 = ctx.region;
  if (depth < 2) {
    const alias = findAlias(env.aliases, split.core, region0) ?? findAlias(env.aliases, split.form, region0);
    if (alias) {
      const r = resolveName(alias.name, ctx, env, { method: 'alias', detail: `${env.aliasFile} entry #${alias.entry}: «${alias.form}» → «${alias.name}»` }, depth + 1);
      return { res: { ...r.res, region: r.res.region ?? alias.region }, confident: true };
    }
    const def = ctx.definitions.find((d) => aliasKey(d.abbr) === aliasKey(split.core));
    if (def) {
      const r = resolveName(def.expansion, ctx, env, { method: 'definition', detail: `«${def.abbr}» defined in the document as «${def.expansion}»` }, depth + 1);
      return { res: r.res, confident: true };
    }
  }
  const expanded = expandBuiltin(split.core);
  const words = nameWords(expanded.text, morph);
  const key = keyOf(words);
  const texts = words.map((w) => w.text);
  const builtin = expanded.rules.length ? `built-in abbreviation ${expanded.rules.map((r) => r.id).join(', ')}; ` : '';
  const method = (m: ResolutionMethod) => via?.method ?? m;
  const detail = (d: string) => (via ? `${via.detail}; ${d}` : `${builtin}${d}`);

  const body = matchRule(KNOWN_BODIES, key);
  if (body) return fromRule(body, false, method('known_body'), detail(`known body ${body.id}`), texts);
  const kind = matchRule(KINDS, key);
  if (kind && (kind.id !== 'institutes_of_education_development' || headIsPlural(split.core, morph) || /^организация/.test(key))) {
    return fromRule(kind, true, method('kind'), detail(`kind ${kind.id}`), texts);
  }

  const region = regionOfName(words, morph);
  const acronyms = words.filter((w) => isAcronym(w.text, morph) && w.lower !== 'рф');
  const onlyAcronym = acronyms.length > 0 && words.every((w) => isAcronym(w.text, morph) || w.lower === 'и' || /^\d/.test(w.text));
  if (onlyAcronym) {
    const abbr = split.core;
    if (depth < 2) {
      const spelled = findSpelledOut(ctx.text(), abbr.replace(/\s+/g, ''), morph) ?? (acronyms.length === 1 ? findSpelledOut(ctx.text(), acronyms[0].text, morph) : null);
      if (spelled) {
        const r = resolveName(spelled.expansion, ctx, env, { method: 'initials', detail: `«${abbr}» spelled out in the document as «${spelled.expansion}»` }, depth + 1);
        return { res: r.res, confident: true };
      }
    }
    const scope = region ?? ctx.region;
    const type = classifyAddressee(split.form);
    return {
      res: {
        key: `acr:${key}|${scope ?? ''}`,
        name: split.form,
        type: type === 'other' ? 'institute' : type,
        level: scope ? 'regional' : null,
        region: scope,
        generic: false,
        method: method('unresolved'),
        detail: detail(`abbreviation «${abbr}» not explained in the document${scope ? `; region of the document: ${scope}` : ''}`),
        review: `abbreviation «${abbr}» not expanded: add it to the alias file (data/addressee-aliases.json) or check the document`,
        acronym: abbr,
        nameWords: texts,
        baseKey: null,
        placedByDocument: false,
      },
      confident: false,
    };
  }

  const proper = looksProper(split, words, morph);
  const type0 = classifyAddressee(expanded.text);
  const name = upperFirst(expanded.rules.length ? expanded.text : split.core);
  // Without a region: «Министерству образования», «ГАУ ДПО ЯО «Институт развития образования»» in a regional conference are that region's bodies.
  const unplaced = region === null && (UNPLACED_AUTHORITY_RE.test(key) || (UNPLACED_INSTITUTE_RE.test(key) && !headIsPlural(split.core, morph)));
  if ((!proper && region === null) || unplaced) {
    if (unplaced) {
      if (ctx.region && (REGIONAL_LEVELS.has(ctx.level ?? '') || UNPLACED_INSTITUTE_RE.test(key))) {
        const type = UNPLACED_INSTITUTE_RE.test(key) ? 'institute' : 'regional';
        return {
          res: {
            key: `name:${key}@${ctx.region}`,
            name: `${name} (${ctx.region})`,
            type,
            level: 'regional',
            region: ctx.region,
            generic: false,
            method: method('document_region'),
            detail: detail(`named without a region in a conference of ${ctx.region}${ctx.level ? ` (${ctx.level})` : ''}`),
            review: null,
            acronym: null,
            nameWords: texts,
            baseKey: key,
            placedByDocument: true,
          },
          confident: false,
        };
      }
      return {
        res: {
          key: `name:${key}`,
          name,
          type: type0,
          level: levelOf(type0, null),
          region: null,
          generic: false,
          method: method('unresolved'),
          detail: detail('an authority named without its region, in a conference that is not regional'),
          review: 'authority named without its region: add an alias with the full name',
          acronym: null,
          nameWords: texts,
          baseKey: null,
          placedByDocument: false,
        },
        confident: false,
      };
    }
    return {
      res: {
        key: `name:${key}`,
        name,
        type: type0,
        level: levelOf(type0, null),
        region: null,
        generic: true,
        method: method('name'),
        detail: detail('a kind of its own (no rule names it)'),
        review: null,
        acronym: null,
        nameWords: texts,
        baseKey: null,
        placedByDocument: false,
      },
      confident: false,
    };
  }
  return {
    res: {
      key: `name:${key}`,
      name,
      type: type0,
      level: levelOf(type0, region),
      region,
      generic: false,
      method: method('name'),
      detail: detail(region ? `proper name; region from the name: ${region}` : 'proper name'),
      review: null,
      acronym: null,
      nameWords: texts,
      baseKey: region ? keyOf(nameWords(withoutRegionTail(texts).join(' '), morph)) : null,
      placedByDocument: false,
    },
    confident: false,
  };
}

/** Splits «A и B», «A, B» at the top level (outside quotes). */
function splitParts(form: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < form.length; i++) {
    const c = form[i];
    if (c === '«' || c === '(') depth++;
    else if ((c === '»' || c === ')') && depth > 0) depth--;
    else if (depth === 0 && (c === ',' || (c === ' ' && form.slice(i, i + 3) === ' и '))) {
      parts.push(form.slice(from, i).trim());
      from = c === ',' ? i + 1 : i + 3;
      if (c === ' ') i += 2;
    }
  }
  parts.push(form.slice(from).trim());
  const kept = parts.filter(Boolean);
  return kept.length > 1 ? kept : null;
}

/**
 * Resolves one surface form in its document. Returns one resolution, or several when the heading
 * names several addressees that each resolve by a rule.
 */
export function resolveForm(form: string, ctx: FormContext, env: ResolveEnv): FormResolution[] {
  const whole = resolveName(form, ctx, env, null, 0);
  if (whole.confident) return [{ part: 1, ...whole.res }];
  const parts = splitParts(form);
  if (parts) {
    const each = parts.map((p) => resolveName(p, ctx, env, null, 0));
    // A part stands on its own when a rule knows it, or it is a body named with its own region, or an abbreviation.
    // An abbreviation stands alone only with its legal form («ГАУ ДПО ИО ИРО»), not as the tail of a longer one («СКИРО ПК и ПРО»).
    const standsAlone = (a: Attempt, i: number) =>
      a.confident ||
      (a.res.acronym !== null && splitLegalForm(parts[i], env.morph).legalPrefix !== null) ||
      (a.res.method === 'name' && !a.res.generic && a.res.region !== null);
    if (each.every((a, i) => standsAlone(a, i))) {
      return each.map((a, i) => ({ part: i + 1, ...a.res, detail: `heading split into ${parts.length} addressees; ${a.res.detail}` }));
    }
  }
  return [{ part: 1, ...whole.res }];
}
