/**
 * Russian labels for the codes the database stores. The report is read by people who never see the
 * codes, so every code shown goes through here; an unknown code is shown as written rather than hidden.
 */

export const ADDRESSEE_LABELS: Record<string, string> = {
  federal: 'федеральные органы',
  regional: 'региональные органы',
  municipal: 'муниципальные органы',
  institute: 'институты и ДПО',
  educational_org: 'образовательные организации',
  participants: 'участники и педагоги',
  other: 'другие адресаты',
  none: 'адресат не указан',
};

/** Top of the hierarchy first: the order a director expects to read addressees in. */
export const ADDRESSEE_ORDER = Object.keys(ADDRESSEE_LABELS);

export function addresseeLabel(type: string | null): string {
  return ADDRESSEE_LABELS[type ?? 'none'] ?? type ?? 'адресат не указан';
}

/** Conference levels as ingest reads them (feminine nominative), widest first. */
export const LEVEL_ORDER = ['международная', 'всероссийская', 'межрегиональная', 'региональная', 'межмуниципальная', 'муниципальная'];

export const MISSING = 'не указано';

export function levelLabel(level: string | null): string {
  return level ?? 'уровень не указан';
}

export function orderIndex(order: readonly string[], value: string | null): number {
  const i = value === null ? -1 : order.indexOf(value);
  return i === -1 ? order.length : i;
}

/**
 * A theme label short enough for an axis: the part before the first comma, then the part before
 * " и " when still long (theme labels in data/themes.json are descriptive phrases, so no map of ids).
 */
export function shortThemeLabel(label: string, max = 28): string {
  let s = label.split(',')[0].trim();
  if (s.length > max && s.includes(' и ')) s = s.slice(0, s.indexOf(' и '));
  return s.length > max ? s.slice(0, max - 1).trimEnd() + '…' : s;
}

/** Breaks a label into lines of at most `width` characters at spaces, for multi-line axis ticks. */
export function wrapLabel(label: string, width: number, maxLines = 3): string {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = kept[maxLines - 1].replace(/.?$/, '…');
    return kept.join('\n');
  }
  return lines.join('\n');
}

/** A string cut to `max` characters on a word boundary, with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, '') + '…';
}

/** Reasons the segmenter gives for sending a document to review (segment/verdict.ts), in Russian. */
const REVIEW_REASON_LABELS: [RegExp, string][] = [
  [/^operative part found only by weak cues/, 'рекомендательная часть найдена только по косвенным признакам'],
  [/^items without verbs/, 'пункты без глаголов'],
  [/^trap-like list taken/, 'взят список без вводной фразы (возможно, цели, задачи или планы)'],
  [/^news article/, 'новостная статья: предложения в пересказе'],
  [/^unusually many items/, 'необычно много пунктов'],
  [/^correction not applied: /, 'исправление не применено: '],
];

export function reviewReasonLabel(reason: string): string {
  for (const [re, label] of REVIEW_REASON_LABELS) if (re.test(reason)) return label + reason.replace(re, '').replace(/^:\s*/, '');
  return reason;
}
