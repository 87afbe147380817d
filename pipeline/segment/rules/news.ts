import type { Block } from '../blocks.js';
import { defineRule } from './registry.js';

export const NEWS_DETECT = defineRule({
  id: 'news.detect',
  family: 'news',
  role: 'preamble',
  summary: 'A document that does not open with a decision title (РЕЗОЛЮЦИЯ, РЕШЕНИЕ, ПРОТОКОЛ, РЕКОМЕНДАЦИИ, ПРЕДЛОЖЕНИЯ, ОБРАЩЕНИЕ) and shows the marks of a news page (a publication time, "Фото:", "Поделиться", breadcrumbs, "говорится в документе", "сообщает пресс-служба") is an article about the event: source_kind = news.',
  example: '11 апреля 2024, 15:20 … «…», — говорится в резолюции. … Фото: пресс-служба',
  thresholds: {
    cues: {
      value: 2,
      origin: 'one cue alone is common in resolutions too (a date with a time, "Фото" in a caption, "отметила"); every news page of the fixtures shows at least three, no resolution of the samples or fixtures two',
    },
    titleLines: { value: 4, origin: 'a decision title stands in the first lines, after at most a letterhead of two or three lines (samples, fixtures)' },
  },
});

export const NEWS_QUOTED = defineRule({
  id: 'news.quoted',
  family: 'news',
  role: 'item',
  summary: 'In an article, a quotation of the resolution — after "говорится:", "записано:", "в резолюции … :" or before "— говорится в документе/резолюции" — holds recommendations; each operative sentence of the quotation is one, without quote marks and attribution.',
  example: 'В документе, в частности, говорится: «Рекомендовать муниципальным органам …».',
});

export const NEWS_REPORTED = defineRule({
  id: 'news.reported',
  family: 'news',
  role: 'item',
  summary: 'In an article, the participants\' proposals reported in the past tense ("участники призвали X сделать …", "рекомендовали Y …", "предложили …") are recommendations: each reporting verb gives one, the span after it (addressee and proposal) without the attribution.',
  example: 'Участники также призвали Институт развития образования расширить … и рекомендовали школам активнее привлекать …',
});

export const NEWS_HEADLINE = defineRule({
  id: 'news.headline',
  family: 'news',
  role: 'title',
  summary: 'The headline of an article (a short unpunctuated line among its first lines) announces what was proposed; the proposals themselves are in the text.',
  example: 'Эксперты предложили создать в регионе систему поддержки молодых учителей',
  thresholds: { chars: { value: 150, origin: 'headlines of news pages are one line; leads and paragraphs are longer and end with a period' } },
});

export const NEWS_SPEECH = defineRule({
  id: 'news.speech',
  family: 'news',
  role: 'trap',
  summary: 'A quotation of a person ("…, — отметила она", "— подчеркнул министр") is speech, not a decision of the event.',
  example: '«Сегодня важно не просто открыть класс …», — отметила она.',
});

export const NEWS_NOISE = defineRule({
  id: 'closing.noise',
  family: 'news',
  role: 'noise',
  summary: 'Web-page furniture: "Фото:", "Источник:", "Поделиться", "Читайте также", breadcrumbs; a copyright line ("© ГАУ ДПО …, 2026") and what is wrapped into it (p7d: the footer of a resolution published on a site).',
  example: 'Фото: пресс-служба Минобрнауки РТ',
});

const DECISION_TITLE_RE = /^(?:резолюци|решени|протокол|рекомендаци|предложени|обращени|итоговый\s+документ|постановлени|выписка)/iu;
const NEWS_CUES: RegExp[] = [
  /^\d{1,2}(?:\s+\p{L}+\s+|\.\d{1,2}\.)\d{4}(?:\s*г\.?)?,?\s+\d{1,2}:\d{2}$/u, // 11 апреля 2024, 15:20
  /^(?:фото|источник|поделиться|просмотр|теги|читайте\s+также)(?!\p{L})/iu,
  /^главная\s*[/›>»|]/iu,
  /^[\p{L} ]{2,40}\s[/›>»|]\s[\p{L} ]{2,40}$/u, // breadcrumbs: "Образование и наука / Новости региона"
  /^(?:дата\s+публикации|опубликовано|обновлено)\s*:?\s*\d/iu,
  /говорится\s+в\s+(?:документе|резолюции|обращении|решении|итоговом)/iu,
  /(?:сообщает|сообщили|сообщил[аи]?)\s+(?:в\s+)?пресс-служб|пресс-служб\p{L}*\s+(?:министерства|департамента|управления|института)/iu,
  /(?:рассказал[аи]?|отметил[аи]?|подчеркнул[аи]?|пояснил[аи]?|заявил[аи]?)\s+(?:он|она|министр|директор|ректор|глава|руководитель|заместитель|начальник)/iu,
  /[»"]\s*,?\s*[—–-]\s*(?:отметил|сказал|подчеркнул|рассказал|пояснил|заявил)\p{L}*/iu,
  // a byline: "15 ноября 2025 г. | Пресс-служба", "03.04.2025 • Новости"
  /^\d{1,2}(?:\s+\p{L}+\s+|\.\d{1,2}\.)\d{4}(?:\s*г\.?)?(?:,?\s+\d{1,2}:\d{2})?\s*[|•·]\s*\S/u,
  // an official's words reported: "проректор института отметила, что …" (participants' "отметили, что" is a resolution's)
  /(?<!\p{L})(?:ректор|проректор|министр|губернатор|директор|заместитель|начальник|глава|руководитель|председатель|президент|депутат|уполномоченн\p{L}*)(?:\s+[\p{L}-]+){0,4}\s+(?:отметил|подчеркнул|рассказал|заявил|пояснил|сообщил)[аи]?\s*,\s*что(?!\p{L})/iu,
];

/** Is the document a news article about the event? */
export function detectNews(blocks: readonly Block[]): boolean {
  const head = blocks.slice(0, 4);
  if (head.some((b) => DECISION_TITLE_RE.test(b.text))) return false;
  let cues = 0;
  const seen = new Set<number>();
  for (const b of blocks) {
    NEWS_CUES.forEach((re, k) => {
      if (!seen.has(k) && re.test(b.text)) {
        seen.add(k);
        cues++;
      }
    });
    if (cues >= 2) return true;
  }
  return false;
}

/** Attributions that make the quotation next to them the resolution's words. */
export const QUOTE_BEFORE_RE = /(?:говорится|записано|сказано|отмечается|указано|значится|зафиксировано|предлагается|рекомендуется|следующее)\s*:\s*$|(?:резолюци|документ|решени|обращени)\p{L}*[^.:«]{0,60}:\s*$|(?:говорится|сказано|записано|отмечается|речь\s+идёт|идёт\s+речь)(?:\s*,?\s*(?:в\s+частности|в\s+том\s+числе|прежде\s+всего),?)?\s+о\s+необходимости\s*$/iu;
/** Between two quotations of the resolution: "«разработать …» и «включить …»" — the second is one too. */
export const QUOTE_CHAIN_RE = /^\s*(?:,\s*)?(?:(?:и|а\s+также)\s*)?$/u;
export const QUOTE_AFTER_RE = /^\s*,?\s*[—–-]\s*(?:говорится|сказано|записано|отмечается|указано)\s+в\s+(?:документе|резолюции|обращении|решении|итоговом\s+документе|рекомендациях)/iu;
export const SPEECH_AFTER_RE = /^\s*,?\s*[—–-]\s*(?:отметил|сказал|подчеркнул|рассказал|пояснил|заявил|уверен|считает|добавил|призвал|резюмировал|уточнил)\p{L}*/iu;

/** Past-tense reporting verbs of proposals, and the case their addressee takes. */
export const REPORTED_VERB_RE = /(?<!\p{L})(призвали|рекомендовали|предложили|попросили|предлагают|рекомендуют|призывают|просят|обратились\s+к|обратились\s+с\s+просьбой\s+к|(?:было\s+)?предложено|(?:было\s+)?рекомендовано|решили|(?:было\s+)?решено|договорились)(?!\p{L})/giu;
/** Who reports: the event's participants (or the document), not a person quoted earlier. */
export const REPORTER_RE = /(?:участник|делегат|собравш|педагог|эксперт|форум|конференци|съезд|семинар|совещани|резолюци|документ|итогам|они|также|кроме\s+того)/iu;
/** A proposal of an earlier event ("в прошлом году участники рекомендовали …") is history. */
export const EARLIER_RE = /(?:ранее|в\s+прошлом\s+году|прошлогодн|в\s+(?:19|20)\d\d\s+году\s+участники|прошедш\p{L}+\s+в\s+(?:19|20)\d\d)/iu;
