/**
 * The conference a resolution comes from: kind, level, title, dates, place, participants, format and
 * organiser, with every word form the header and narrative need, plus the gold metadata.
 */
import type { ConferenceMeta } from '../../pipeline/store/types.js';
import { adjective, capitalise, inflect, MONTHS_GEN, roman, TITLE_CASES, type Gender } from './forms.js';
import { TITLE_PHRASES, TITLE_TEMPLATES } from './phrases.js';
import type { Rng } from './random.js';
import { REGIONS, type Region } from './regions.js';
import type { Topic } from './themes.js';

export interface Kind {
  /** Gold value: "конференция", "круглый стол". */
  name: string;
  gender: Gender;
  nom: string;
  gen: string;
  /** After "на": "на конференции", "на круглом столе". */
  loc: string;
  /** "(далее – Конференция)". */
  short: string;
  /** Adjectives that may stand between level and noun ("научно-практическая"). */
  subtypes: string[];
  /** Past tense of "состояться" in the kind's gender. */
  held: string;
  /** Past tense of "проходить". */
  ran: string;
  /** Past tense of "включать". */
  included: string;
  weight: number;
}

export const KINDS: Kind[] = [
  {
    name: 'конференция', gender: 'f', nom: 'конференция', gen: 'конференции', loc: 'конференции', short: 'Конференция',
    subtypes: ['научно-практическая', 'научно-практическая', 'научно-методическая', ''], held: 'состоялась', ran: 'проходила',
    included: 'включала', weight: 5,
  },
  {
    name: 'форум', gender: 'm', nom: 'форум', gen: 'форума', loc: 'форуме', short: 'Форум',
    subtypes: ['педагогическая', 'образовательная', ''], held: 'состоялся', ran: 'проходил', included: 'включал', weight: 1.5,
  },
  {
    name: 'семинар', gender: 'm', nom: 'семинар', gen: 'семинара', loc: 'семинаре', short: 'Семинар',
    subtypes: ['научно-методическая', 'практико-ориентированная', ''], held: 'состоялся', ran: 'проходил', included: 'включал', weight: 1.2,
  },
  {
    name: 'совещание', gender: 'n', nom: 'совещание', gen: 'совещания', loc: 'совещании', short: 'Совещание',
    subtypes: ['педагогическая', 'методическая', 'августовская педагогическая'], held: 'состоялось', ran: 'проходило',
    included: 'включало', weight: 0.8,
  },
  {
    name: 'круглый стол', gender: 'm', nom: 'круглый стол', gen: 'круглого стола', loc: 'круглом столе', short: 'Круглый стол',
    subtypes: [''], held: 'состоялся', ran: 'проходил', included: 'включал', weight: 0.8,
  },
  {
    name: 'педагогические чтения', gender: 'pl', nom: 'педагогические чтения', gen: 'педагогических чтений',
    loc: 'педагогических чтениях', short: 'Чтения', subtypes: [''], held: 'состоялись', ran: 'проходили', included: 'включали',
    weight: 0.6,
  },
];

export const LEVELS = ['международная', 'всероссийская', 'межрегиональная', 'региональная', 'межмуниципальная', 'муниципальная'] as const;

export type Format = 'очный' | 'гибридный' | 'смешанный' | 'заочный';
const FORMAT_PHRASE: Record<Format, string> = {
  очный: 'в очном формате',
  гибридный: 'в гибридном формате',
  смешанный: 'в смешанном формате',
  заочный: 'в заочном формате',
};

export interface Conference {
  kind: Kind;
  /** Gold level (feminine nominative) or null when the text names none. */
  level: string | null;
  /** Ordinal in roman numerals ("VII") or null. */
  ordinal: string | null;
  /** "межрегиональная научно-практическая конференция" — level + subtype + kind, nominative. */
  fullNom: string;
  /** The same in the genitive ("межрегиональной научно-практической конференции"). */
  fullGen: string;
  title: string;
  /** Title subject in nom|gen|dat for the narrative. */
  subject: string;
  focus: Topic;
  region: Region;
  /** The city is named in the text; when false the conference is located by region only. */
  cityNamed: boolean;
  start: { y: number; m: number; d: number };
  end: { y: number; m: number; d: number };
  participants: number | null;
  format: Format | null;
  organizer: { mode: 'explicit' | 'host' | 'support' | 'none'; name: string | null; host: string | null };
}

function agree(kind: Kind, feminine: string): { nom: string; gen: string } {
  if (!feminine) return { nom: '', gen: '' };
  // "августовская педагогическая" → both words agree.
  const words = feminine.split(' ').map(adjective);
  return { nom: words.map((w) => w.nom[kind.gender]).join(' '), gen: words.map((w) => w.gen[kind.gender]).join(' ') };
}

function inYears(p: { from?: number; to?: number }, year: number): boolean {
  return (p.from === undefined || year >= p.from) && (p.to === undefined || year <= p.to);
}

function makeTitle(rng: Rng, focus: Topic, year: number): { title: string; subject: string } {
  const subject = rng.pick(TITLE_PHRASES[focus]);
  const templates = TITLE_TEMPLATES.filter((t) => inYears(t, year));
  let t = rng.pick(templates).t;
  // "Развитие развития …" reads wrong; so does "Лучшие практики лучших практик".
  if (/^развити|^лучши/.test(subject) && /модели|практики/.test(t)) t = '{Nom}: опыт, проблемы, перспективы';
  const title = t
    .replace('{Nom}', capitalise(inflect(subject, 'nom', TITLE_CASES)))
    .replace('{gen}', inflect(subject, 'gen', TITLE_CASES))
    .replace('{dat}', inflect(subject, 'dat', TITLE_CASES));
  return { title, subject };
}

/** A realistic conference month: the school year, rarely summer. */
function pickDate(rng: Rng, year: number, august: boolean) {
  const m = august ? 8 : rng.weighted<number>([[2, 2], [3, 3], [4, 3], [5, 1], [8, 1.5], [9, 1], [10, 3], [11, 3], [12, 2], [1, 0.5], [6, 0.5]]);
  const d = rng.int(1, 28);
  const days = rng.weighted<number>([[0, 5], [1, 3], [2, 1.5], [3, 0.8]]);
  // A range that crosses into the next month ("30 ноября – 1 декабря") happens near the month's end.
  const cross = days > 0 && rng.chance(0.15) && m < 12;
  if (cross) {
    const startD = rng.int(28, 30) - (m === 2 ? 2 : 0);
    return { start: { y: year, m, d: startD }, end: { y: year, m: m + 1, d: days } };
  }
  const startD = Math.min(d, 28 - days);
  return { start: { y: year, m, d: startD }, end: { y: year, m, d: startD + days } };
}

function hostName(rng: Rng, region: Region): string {
  const n = rng.int(1, 48);
  return rng.pick([
    `МОУ «Гимназия № ${n}»`,
    `МАОУ «Лицей № ${n}»`,
    `МБОУ «Средняя общеобразовательная школа № ${n}»`,
    `МАДОУ «Детский сад № ${n}»`,
    `${region.institute.legal} «${region.institute.nom}»`,
  ]);
}

export function makeConference(rng: Rng, year: number, focus: Topic): Conference {
  const kind = rng.weighted(KINDS.map((k) => [k, k.weight] as const));
  const region = rng.pick(REGIONS);
  const subtypeF = rng.pick(kind.subtypes);
  const august = subtypeF.startsWith('августовская');
  const hasLevel = !august && rng.chance(0.85);
  let levelF: string | null = hasLevel
    ? rng.weighted<string>([
        ['международная', 0.6],
        ['всероссийская', 1],
        ['межрегиональная', 1.3],
        ['региональная', 1.5],
        ['межмуниципальная', 0.6],
        ['муниципальная', 0.8],
      ])
    : null;
  if (region.federalCity && (levelF === 'межмуниципальная' || levelF === 'муниципальная')) levelF = 'региональная';
  const level = levelF ? agree(kind, levelF) : { nom: '', gen: '' };
  const subtype = agree(kind, subtypeF);
  const ordinal = (kind.name === 'конференция' || kind.name === 'форум' || kind.name === 'педагогические чтения') && rng.chance(0.25)
    ? roman(rng.int(2, 12))
    : null;
  const fullNom = [level.nom, subtype.nom, kind.nom].filter(Boolean).join(' ');
  const fullGen = [level.gen, subtype.gen, kind.gen].filter(Boolean).join(' ');
  const { title, subject } = makeTitle(rng, focus, year);
  const { start, end } = pickDate(rng, year, august);
  const big = levelF === 'международная' || levelF === 'всероссийская';
  const participants = rng.chance(0.75) ? 5 * rng.int(big ? 40 : 8, big ? 240 : 90) : null;
  const format: Format | null = rng.chance(0.7)
    ? rng.weighted<Format>(year >= 2020 ? [['гибридный', 3], ['смешанный', 2], ['очный', 2], ['заочный', 1]] : [['очный', 3], ['смешанный', 1], ['гибридный', 0.5], ['заочный', 0.5]])
    : null;
  const mode = rng.weighted<Conference['organizer']['mode']>([['explicit', 3], ['host', 2], ['support', 2], ['none', 2]]);
  const name =
    mode === 'explicit'
      ? rng.chance(0.5)
        ? region.authority.nom
        : `${region.institute.legal} «${region.institute.nom}»`
      : null;
  const host = mode === 'host' ? hostName(rng, region) : null;
  return {
    kind,
    level: levelF,
    ordinal,
    fullNom,
    fullGen,
    title,
    subject,
    focus,
    region,
    cityNamed: rng.chance(0.85),
    start,
    end,
    participants,
    format,
    organizer: { mode, name, host },
  };
}

const iso = (d: { y: number; m: number; d: number }) => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;

export function conferenceMeta(c: Conference): ConferenceMeta {
  return {
    title: c.title,
    kind: c.kind.name,
    level: c.level,
    date_start: iso(c.start),
    date_end: iso(c.end),
    year: c.start.y,
    city: c.cityNamed ? c.region.city : null,
    region: c.region.name,
    participants: c.participants,
    format: c.format,
    organizer: c.organizer.mode === 'explicit' ? c.organizer.name : c.organizer.mode === 'host' ? c.organizer.host : null,
  };
}

/** "22.11.2024" */
export function numericDate(d: { y: number; m: number; d: number }): string {
  return `${String(d.d).padStart(2, '0')}.${String(d.m).padStart(2, '0')}.${d.y}`;
}

/** The dates as the narrative writes them; a single day or one of the range forms of the genre. */
export function dateInWords(c: Conference, rng: Rng): string {
  const { start: s, end: e } = c;
  const yearWord = rng.pick(['г.', 'года']);
  if (s.m === e.m && s.d === e.d) return `${s.d} ${MONTHS_GEN[s.m - 1]} ${s.y} ${yearWord}`;
  if (s.m !== e.m) return `${s.d} ${MONTHS_GEN[s.m - 1]} – ${e.d} ${MONTHS_GEN[e.m - 1]} ${e.y} ${yearWord}`;
  return rng.chance(0.5)
    ? `с ${s.d} по ${e.d} ${MONTHS_GEN[s.m - 1]} ${s.y} года`
    : `${s.d}–${e.d} ${MONTHS_GEN[s.m - 1]} ${s.y} ${yearWord}`;
}

export function formatPhrase(f: Format): string {
  return FORMAT_PHRASE[f];
}
