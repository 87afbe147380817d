import type { Morph } from '../../text/morph.js';
import { defineRule } from './registry.js';
import { addresseeFrom, type Addressee } from './headings.js';
export { APPEAL_LEAD_IN } from './headings.js';

export const APPEAL_VOCATIVE = defineRule({
  id: 'appeal.vocative',
  family: 'appeals',
  role: 'addressee',
  summary: 'A second-person appeal opens with "Уважаемые X!" / "Дорогие X!": X (already a nominative) is the addressee of the requests that follow.',
  example: 'Уважаемые родители! Призываем вас …',
});

export const APPEAL_SENTENCE = defineRule({
  id: 'appeal.sentence',
  family: 'appeals',
  role: 'item',
  summary: 'Each sentence led by a first-person appeal verb ("призываем", "просим", "предлагаем", "приглашаем", "рекомендуем") is one request; other sentences of the paragraph are narrative.',
  example: 'Просим вас внимательно относиться к тому, что ребёнок смотрит …',
});

/** "Помните: …", "Знайте, что …", "Не забывайте: …": a reminder stated as a truth, not an action asked. */
export const REMINDER_RE = /^(?:помните|запомните|знайте|не\s+забывайте)\s*(?::|,\s*что|\s+[—–]\s)/iu;

export const SIGN_OFF = defineRule({
  id: 'appeal.sign-off',
  family: 'appeals',
  role: 'closing',
  summary: 'A short exclamation after the requests ("Берегите себя и своих детей!", "Вместе мы сможем …!") closes an appeal; it is a wish, not a request. So is a reminder that states a truth ("Помните: ваш пример — главный урок для ваших детей.", "Знайте, что …").',
  example: 'Берегите себя и своих детей!',
  thresholds: { words: { value: 8, origin: 'closing wishes of appeals are a short line; requests with "!" are longer or stand in a list' } },
});

// "Уважаемые родители!", "Дорогие коллеги!", and a bare "Коллеги!" / "Родители первоклассников!",
// also after the appeal's own title run in ("Обращение к родителям. Уважаемые родители! …")
const VOCATIVE_RE = /^(?:обращение\s[^.!?:\n]{2,100}[.:]\s+)?(?:(?:уважаем\p{L}*|дорог\p{L}*)\s+([^!]{2,120}?)|((?:коллеги|родители|педагоги|учителя|воспитатели|наставники)(?:\s+[^!]{1,80}?)?))\s*!/iu;

/** "Уважаемые родители!" at the start of a paragraph: the addressee and where the vocative ends. */
export function vocativeAt(s: string, morph: Morph): { addressee: Addressee; end: number } | null {
  const m = VOCATIVE_RE.exec(s);
  if (!m) return null;
  const a = addresseeFrom(m[0], m[1] ?? m[2], morph, 'nomn');
  return { addressee: a, end: m[0].length };
}

/** First-person plural appeal verbs that lead a request sentence. */
export const APPEAL_SENTENCE_RE = /^(?:мы\s+)?(?:призываем|просим|предлагаем|приглашаем|рекомендуем|обращаемся|настаиваем|требуем|считаем\s+(?:необходимым|важным|целесообразным))(?!\p{L})/iu;

/** "Приглашаем принять участие в конференции …": an invitation to an event, not a request. */
export const INVITATION_RE = /пригла\p{L}*\s+(?:вас\s+|всех\s+(?:желающих\s+)?)?(?:принять\s+участие|участвовать|посетить|к\s+участию)\s+(?:в\s+)?(?:[\p{L}-]+\s+){0,3}?(?:конференц|семинар|форум|конкурс|вебинар|мероприяти|фестивал|олимпиад|кругл\p{L}*\s+стол|чтени|съезд|совещани|акци)/iu;
