import { EVENT_VERB_RE, sliceOf, type Layout } from './layout.js';
import { WB, WE } from './text.js';
import type { Format } from './vocab.js';

type Mode = 'очный' | 'заочный' | 'дистанционный';

/** Words that name a whole format on their own. */
const WHOLE_FORMAT: [RegExp, Format][] = [
  // in person and remote at once: "гибридный", "очно-дистанционный", "очно-онлайн", "онлайн/офлайн"
  [new RegExp(`${WB}(?:гибридн|очно-дистанционн|дистанционно-очн|очно-онлайн|офлайн\\s*[-/]\\s*онлайн|онлайн\\s*[-/]\\s*офлайн)\\p{L}*`, 'iu'), 'гибридный'],
  [new RegExp(`${WB}(?:смешанн|очно-заочн|комбинированн)\\p{L}*`, 'iu'), 'смешанный'],
];

const MODES: [RegExp, Mode][] = [
  [new RegExp(`${WB}(?:очн(?:ом|ой|ый|ая|ое|ого|ых|ым|ую)|очно|офлайн)${WE}(?!-)`, 'iu'), 'очный'],
  [new RegExp(`${WB}(?:заочн(?:ом|ой|ый|ая|ое|ого|ых|ым|ую)|заочно)${WE}`, 'iu'), 'заочный'],
  [
    new RegExp(
      `${WB}(?:дистанционн(?:ом|ой|ый|ая|ое|ого|ых|ым|ую)|дистанционно|онлайн(?:-(?:формат|режим)\\p{L}*)?|виртуальн\\p{L}*|видеоконференц\\p{L}*|ВКС)${WE}(?!-(?!формат|режим))`,
      'iu',
    ),
    'дистанционный',
  ],
];

/** "в … формате/режиме/форме": the phrase that states a format, with room for coordinated adjectives before it. */
/** What every match of FORMAT_PHRASE_RE holds (its second group): a sentence without it has none. */
const FORMAT_NOUN_RE = /формат|режим|форм[еау]/iu;
const FORMAT_PHRASE_RE = /(?:^|[\s(])в\s+([^.;:()]{0,80}?)\s*(формат\p{L}*|режим\p{L}*|форм[еау])(?![\p{L}])(\s+(?:(?:онлайн|офлайн)(?:\s*[-/]\s*(?:онлайн|офлайн))?|видеоконференц\p{L}*|ВКС))?/giu;

/**
 * "проведена с применением дистанционных технологий", "прошёл с использованием ВКС": the means of
 * holding the event, right after the verb that reports it (elsewhere "дистанционные технологии" are a topic).
 */
const HELD_REMOTELY_RE = /(?:провед[её]н\p{L}*|прош[её]л|прошл[аио]|состоял\p{L}*|проходил\p{L}*|организован\p{L}*)\s+(?:[^.;:()]{0,60}?\s)?с\s+(?:применением|использованием)\s+(?:дистанционн\p{L}*\s+(?:образовательн\p{L}*\s+)?технологий|видеоконференц\p{L}*|ВКС)/iu;

function modesIn(s: string): Set<Mode> {
  const out = new Set<Mode>();
  for (const [re, mode] of MODES) if (re.test(s)) out.add(mode);
  return out;
}

function combine(modes: Set<Mode>): Format | null {
  // in person plus by correspondence is "mixed"; in person plus remote is "hybrid"
  if (modes.has('очный') && modes.has('заочный')) return 'смешанный';
  if (modes.has('очный') && modes.has('дистанционный')) return 'гибридный';
  if (modes.has('дистанционный')) return 'дистанционный';
  if (modes.has('заочный')) return 'заочный';
  if (modes.has('очный')) return 'очный';
  return null;
}

function statedFormat(phrase: string): Format | null {
  for (const [re, f] of WHOLE_FORMAT) if (re.test(phrase)) return f;
  return combine(modesIn(phrase));
}

/**
 * The event's format, from "в гибридном формате"-style phrases in the head and narrative, else from
 * mode adjectives in the sentences that report the event or its participants ("в очном … и заочном
 * обсуждении … приняли участие"). The operative part is never read: "использовать платформы
 * дистанционного обучения" is advice, not a format.
 */
/**
 * "Формат: очный", "Форма проведения – дистанционная": a header field that states the format, at a
 * line's start or after a sentence on the same line («г. Ставрополь, 19 октября 2023 года. Формат
 * проведения: очный с трансляцией (гибридный).»).
 */
const FORMAT_FIELD_RE = /(?:^|[.!?]\s+)\s*(?:формат|форма)(?:\s+проведения)?\s*[:–—-]\s*([^\n.;]{2,60})/imu;

export function extractFormat(layout: Layout): Format | null {
  const scopes = [layout.head, ...layout.sentences].map((s) => sliceOf(layout.masked, s));
  for (const s of scopes) {
    const field = FORMAT_FIELD_RE.exec(s);
    const f = field ? statedFormat(field[1]) : null;
    if (f) return f;
  }
  for (const s of scopes) {
    // The phrase's noun first: without it FORMAT_PHRASE_RE tries up to 80 characters after every «в».
    if (!FORMAT_NOUN_RE.test(s)) continue;
    for (const m of s.matchAll(FORMAT_PHRASE_RE)) {
      // "в онлайн-формате": the hyphen joins the mode to the noun, no space between them
      const f = statedFormat(`${m[1]}${/-$/.test(m[1]) ? '' : ' '}${m[2]}${m[3] ?? ''}`);
      if (f) return f;
    }
  }
  for (const s of scopes) {
    const remote = HELD_REMOTELY_RE.exec(s);
    if (!remote) continue;
    // "в очном формате с использованием ВКС" is both; the in-person word before "с" says so
    return /(?:очн(?:ом|ой|о)|офлайн)(?![\p{L}-])/iu.test(s.slice(0, remote.index + remote[0].length)) ? 'гибридный' : 'дистанционный';
  }
  for (const s of scopes) {
    // the sentence must report the event or taking part in it ("Участники обсудили …" reports a topic)
    if (!EVENT_VERB_RE.test(s) && !/(?:принял\p{L}*|приняло)\s+участие|участвовал\p{L}*|участник\p{L}*\s+(?:очно|дистанционно|онлайн)/iu.test(s)) continue;
    // "онлайн-участников", "трансляция для онлайн-…" describe an audience, not the format; "дистанционных
    // технологий", "дистанционного обучения" are a topic
    const cleaned = s
      .replace(/онлайн-(?!формат|режим)\p{L}+/giu, '')
      .replace(/(?:дистанционн|очн|заочн)\p{L}*\s+(?:образовательн\p{L}*\s+)?(?:технологи|обучени|образовани|курс|школ|отделени|форм\p{L}*\s+обучения)\p{L}*/giu, '');
    const f = statedFormat(cleaned);
    if (f) return f;
  }
  return null;
}
