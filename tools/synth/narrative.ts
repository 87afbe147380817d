/**
 * The non-operative text of a resolution: the title block, the account of the event and the closing
 * lines. Every fact the gold metadata records is written here in one of the genre's wordings.
 */
import { heading, para, type DocBlock } from './blocks.js';
import { dateInWords, numericDate, type Conference, formatPhrase } from './conference.js';
import { capitalise, inflect, MONTHS_GEN, takesGenitivePlural, TITLE_CASES } from './forms.js';
import { TITLE_PHRASES } from './phrases.js';
import type { Rng } from './random.js';
import { cityIn } from './regions.js';
import { TOPICS } from './themes.js';

/** "VII Международной научно-практической конференции", capitalised as a title line wants. */
function designation(c: Conference, gen: boolean, cap: boolean): string {
  const base = gen ? c.fullGen : c.fullNom;
  if (c.ordinal) return `${c.ordinal} ${capitalise(base)}`;
  return cap ? capitalise(base) : base;
}

/** Splits a long title over two lines at a space, as Word title blocks do. */
function splitTitle(title: string): [string, string] | null {
  const words = title.split(' ');
  if (words.length < 6) return null;
  const at = Math.ceil(words.length / 2);
  return [words.slice(0, at).join(' '), words.slice(at).join(' ')];
}

function placeDateLines(c: Conference, rng: Rng, md: boolean): string[] {
  const city = c.cityNamed ? `г. ${c.region.city}` : null;
  const date = numericDate(c.start);
  const b = (s: string) => (md ? `**${s}**` : s);
  const style = rng.weighted<number>([[0, 3], [1, 2], [2, 1.5], [3, 1]]);
  if (style === 0) return [];
  if (style === 1) return city ? ['', b(city), '', b(date)] : ['', b(date)];
  if (style === 2 && city) {
    const words = `${c.start.d} ${MONTHS_GEN[c.start.m - 1]} ${c.start.y} г.`;
    return ['', `${words}\t\t\t${city}`];
  }
  return city ? ['', `${c.region.city}, ${date}`] : ['', date];
}

export function renderHeader(c: Conference, rng: Rng, md: boolean): string[] {
  const q = `«${c.title}»`;
  if (md) {
    const style = rng.int(0, 2);
    if (style === 0) return ['## **РЕЗОЛЮЦИЯ**', '', `### **${designation(c, false, true)} ${q}**`, ...placeDateLines(c, rng, false)];
    if (style === 1) {
      const split = splitTitle(c.title);
      const lines = split
        ? [`**${designation(c, true, false)} «${split[0]}**  `, `**${split[1]}»**`]
        : [`**${designation(c, true, false)} ${q}**`];
      return ['**Резолюция**  ', ...lines, ...placeDateLines(c, rng, true)];
    }
    return ['# Резолюция', '', `${designation(c, true, true)} ${q}`, ...placeDateLines(c, rng, false)];
  }
  const style = rng.weighted<number>([[0, 3], [1, 2], [2, 1], [3, 1], [4, 1]]);
  let lines: string[];
  if (style === 0) {
    const split = rng.chance(0.5) ? splitTitle(c.title) : null;
    lines = ['РЕЗОЛЮЦИЯ', designation(c, true, rng.chance(0.5)), ...(split ? [`«${split[0]}`, `${split[1]}»`] : [q])];
  } else if (style === 1) lines = ['Резолюция', `${designation(c, true, false)} ${q}`];
  else if (style === 2) lines = [`РЕЗОЛЮЦИЯ ${designation(c, true, false)} ${q}`];
  else if (style === 3) lines = ['РЕЗОЛЮЦИЯ', `по итогам работы ${designation(c, true, false)} ${q}`];
  else lines = ['РЕЗОЛЮЦИЯ', '', `${designation(c, true, true)} ${q}`];
  return [...lines, ...placeDateLines(c, rng, false)];
}

const BECAME: Record<string, string> = { f: 'стала', m: 'стал', n: 'стало', pl: 'стали' };

function otherSubjects(c: Conference, rng: Rng, n: number): string[] {
  const topics = rng.shuffle(TOPICS.filter((t) => t !== c.focus)).slice(0, n);
  return topics.map((t) => rng.pick(TITLE_PHRASES[t]));
}

function eventSentence(c: Conference, rng: Rng): string {
  const { kind, region, organizer } = c;
  const date = dateInWords(c, rng);
  const place = c.cityNamed ? cityIn(region, rng.chance(0.7)) : `в ${region.loc}`;
  const host = organizer.host ? ` на базе ${organizer.host}` : '';
  const support = organizer.mode === 'support' ? ` при поддержке ${region.authority.gen}` : '';
  const fmt = c.format && rng.chance(0.5) ? ` ${formatPhrase(c.format)}` : '';
  const dalee = rng.chance(0.5) ? ` (далее – ${kind.short})` : '';
  const name = `${designation(c, false, true)} «${c.title}»`;
  const sentence = rng.chance(0.6)
    ? `${name}${dalee} ${kind.held} ${date} ${place}${host}${support}${fmt}.`
    : `${capitalise(date)} ${place}${host}${support} ${kind.held} ${c.ordinal ? designation(c, false, false) : c.fullNom} «${c.title}»${fmt}.`;
  // A format not stated in the event sentence gets its own sentence.
  if (c.format && !fmt) return `${sentence} ${kind.short} ${kind.ran} ${formatPhrase(c.format)}.`;
  return sentence;
}

function participantsSentence(c: Conference, rng: Rng): string | null {
  const { kind, region } = c;
  if (c.participants === null) {
    return rng.chance(0.5)
      ? `В мероприятиях ${kind.gen} принимали участие специалисты органов местного самоуправления, руководящие и педагогические работники образовательных организаций, центров психолого-педагогической, медицинской и социальной помощи, вузов и институтов развития образования.`
      : null;
  }
  const n = c.participants;
  let m = rng.int(5, 70);
  while (!takesGenitivePlural(m)) m++;
  const big = c.level === 'международная' || c.level === 'всероссийская' || c.level === 'межрегиональная';
  const from = big ? `${m} регионов России` : `${m} муниципальных образований ${region.gen}`;
  const style = rng.int(0, 3);
  if (style === 0) {
    const more = rng.pick(['более ', 'свыше ', '']);
    const noun = rng.pick(['участников', 'человек', 'педагогов', 'специалистов']);
    return `В работе ${kind.gen} приняли участие ${more}${n} ${noun} из ${from}.`;
  }
  if (style === 1) {
    return `${kind.short} ${BECAME[kind.gender]} профессиональной площадкой для обмена опытом более ${n} участников из ${region.gen}${big ? ` и ${m} регионов России` : ''}.`;
  }
  if (style === 2) {
    return `Участниками ${kind.gen} стали свыше ${n} человек: руководители и педагогические работники образовательных организаций, специалисты органов управления образованием, преподаватели вузов.`;
  }
  return `В ${kind.loc} приняли участие ${n} педагогов и руководителей образовательных организаций ${region.gen}.`;
}

/** A paragraph on what was discussed; `style` picks one of four wordings (random when omitted). */
export function contentParagraph(c: Conference, rng: Rng, style = rng.int(0, 3)): string {
  const [a, b, d] = [c.subject, ...otherSubjects(c, rng, 2)];
  const gen = (s: string) => inflect(s, 'gen', TITLE_CASES);
  const dat = (s: string) => inflect(s, 'dat', TITLE_CASES);
  return [
    `На пленарном заседании и в работе секций обсуждались вопросы ${gen(a)}, ${gen(b)} и ${gen(d)}.`,
    `Участники ${c.kind.gen} обсудили тенденции и перспективы ${gen(a)}, а также вопросы ${gen(b)}.`,
    `Особое внимание было уделено ${dat(a)} и ${dat(b)}.`,
    `В выступлениях была представлена практика ${gen(a)} в образовательных организациях ${c.region.gen}, обсуждены вопросы ${gen(d)}.`,
  ][style];
}

/** The account of the event, in paragraphs. */
export function renderIntro(c: Conference, rng: Rng): DocBlock[] {
  const out: DocBlock[] = [para(eventSentence(c, rng))];
  const who = participantsSentence(c, rng);
  if (who) out.push(para(who));
  if (c.organizer.mode === 'explicit') {
    out.push(para(rng.chance(0.5) ? `Организатор ${c.kind.gen} – ${c.organizer.name}.` : `Организатор – ${c.organizer.name}.`));
  }
  const styles = rng.shuffle([0, 1, 2, 3]).slice(0, rng.int(0, 2));
  for (const style of styles) out.push(para(contentParagraph(c, rng, style)));
  return out;
}

/** Optional lines after the operative part. */
export function renderClosing(c: Conference, rng: Rng): DocBlock[] {
  const style = rng.weighted<number>([[0, 5], [1, 1.5], [2, 1], [3, 1], [4, 0.8]]);
  if (style === 1) return [para('Резолюция принята единогласно.')];
  if (style === 2) return [para(`Резолюция принята на пленарном заседании ${numericDate(c.end)}.`)];
  if (style === 3) {
    return [para(`Участники ${c.kind.gen} выражают благодарность организаторам за высокий уровень проведения мероприятия.`)];
  }
  if (style === 4) return [heading(`Оргкомитет ${c.kind.gen}`)];
  return [];
}
