/**
 * Why a file was not read, in Russian, for the report the institute's leadership reads (and any page
 * for people). ingest_issues keeps the reason as the CLI printed it («empty file — the file has no
 * content (0 bytes)»); this puts the known reasons into Russian with what to do, and leaves any other
 * as it is. Pure.
 */
import { DATABASE_HINTS } from './readers.js';

/** [pattern of the English reason, its Russian wording (from the match)]. The first match wins. */
const REASONS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^empty file/, () => 'пустой файл (0 байт)'],
  [/^binary file, not text/, () => 'двоичный файл, а не текст — сохраните резолюцию как .docx, .pdf или .txt'],
  [
    /^unsupported file type (\S+?);/,
    (m) =>
      Object.hasOwn(DATABASE_HINTS, m[1])
        ? 'база данных, а не резолюция — храните базы вне папки с резолюциями'
        : `формат ${m[1]} не читается — сохраните файл как .docx, .pdf или .txt`,
  ],
  [/^unsupported file type \(no extension\)/, () => 'файл без расширения — добавьте расширение (.txt, .docx, .pdf …)'],
  [/^a report written by confrec/, () => 'отчёт confrec, а не резолюция — сохраняйте отчёты вне папки с резолюциями'],
  [/^(?:image: |no text layer: )OCR needed/, () => 'скан без текстового слоя: нужно распознавание текста (OCR)'],
  [/^no text found by OCR/, () => 'распознавание не нашло на страницах текста'],
  [/^no text/, () => 'в файле нет текста'],
  [/^password-protected/, () => 'файл защищён паролем — снимите пароль и сохраните файл заново'],
  [/^not a Word document/, () => 'не документ Word (файл Excel, PowerPoint или зашифрованный .docx)'],
  [/^not a valid (\.\w+)/, (m) => `файл ${m[1]} повреждён или в другом формате — откройте его в Word или LibreOffice и сохраните заново`],
  [/^not a readable image/, () => 'изображение не читается (повреждено или в другом формате)'],
  [/^image too small/, () => 'изображение слишком мало, чтобы вместить страницу текста'],
  [/^not a web page/, () => 'не веб-страница (нет HTML-разметки)'],
  [/^file too large \((\d+) MB; limit (\d+) MB\)/, (m) => `файл слишком большой (${m[1]} МБ при пределе ${m[2]} МБ)`],
  [/^the reader crashed/, () => 'чтение этого файла прервалось с ошибкой; остальные файлы прочитаны'],
  [/^cannot unpack/, () => 'архив не распаковывается — распакуйте его другой программой'],
  [/^cannot read file/, () => 'файл не открывается (нет прав на чтение?)'],
  [/^the file changed while it was being read/, () => 'файл изменился во время чтения — запустите чтение ещё раз'],
];

export function ingestReasonRu(reason: string): string {
  for (const [re, ru] of REASONS) {
    const m = re.exec(reason);
    if (m) return ru(m);
  }
  return reason;
}
