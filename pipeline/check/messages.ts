/**
 * Why a draft could not be read, in Russian for the explorer. The readers' messages (ConfrecError,
 * English like the rest of the CLI) are matched by their stable beginnings; anything else is shown as
 * it is after a Russian lead-in, so no reason is ever hidden.
 */
import { ConfrecError, errorMessage } from '../errors.js';

const REASONS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^unsupported file type (\S+)/, (m) => `формат ${m[1].replace(/;$/, '')} не поддерживается — сохраните проект как .docx, .pdf или .txt`],
  [/^empty file/, () => 'файл пустой (0 байт)'],
  [/^not a valid \.docx/, () => 'файл не похож на документ Word .docx (повреждён или другого формата) — откройте его в Word или LibreOffice и сохраните заново как .docx'],
  [/^not a valid \.pdf/, () => 'файл не похож на PDF (повреждён или другого формата)'],
  [/^password-protected PDF/, () => 'PDF защищён паролем — снимите защиту (распечатайте в новый PDF) и загрузите копию'],
  [/^no text layer/, () => 'в PDF нет текстового слоя (это скан?) — распознайте текст (OCR) и загрузите результат или вставьте текст'],
  [/^binary file, not text/, () => 'файл не текстовый'],
  [/^no text|holds no readable words/, () => 'в файле нет читаемого текста'],
];

export function readFailureRu(err: unknown): string {
  const msg = err instanceof ConfrecError ? err.message : errorMessage(err);
  for (const [re, say] of REASONS) {
    const m = re.exec(msg);
    if (m) return say(m);
  }
  return `файл не удалось прочитать (${msg})`;
}

/** The verdicts as people read them (the CLI text, the explorer, the CSV); --json keeps the codes. */
/**
 * Provenance of a check's verdicts, in Russian: which space and threshold they used, and why two runs
 * of the check may differ (the lexical space is refitted when documents are added).
 */
export function provenanceRu(r: { embedder: string; embedRun: number; threshold: number; thresholdCalibrated: boolean; compared: number }): string {
  return (
    `Основа вердиктов: пространство ${r.embedder} (векторы из запуска № ${r.embedRun}), порог почти-дубликата ${r.threshold.toFixed(3)} ` +
    `(${r.thresholdCalibrated ? 'откалиброван для этого семейства моделей' : 'по умолчанию, без калибровки'}), сравнение с ${r.compared} рекомендациями базы. ` +
    'После добавления документов пространство пересчитывается (другой идентификатор или номер запуска) — тогда пограничные пункты могут сменить вердикт.'
  );
}

export const VERDICT_RU: Record<string, string> = { repeated: 'повтор', similar: 'похожее', new: 'новое' };

/** How an earlier proposal matches an item, as people read it (the codes stay in --json). */
export const MATCH_RU: Record<string, string> = {
  identical: 'тот же текст',
  similar: 'близкая формулировка',
  contained: 'одна содержит другую',
  related: 'близко по смыслу',
};
