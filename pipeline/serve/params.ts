/** Request parameters and bodies every route reads the same way, with a Russian 4xx when they are wrong. */
import { HttpProblem } from './problem.js';

export function pageNumber(v: string | undefined): number {
  if (v === undefined || v === '') return 1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new HttpProblem(400, 'Неверный номер страницы', `page=${v.slice(0, 20)}: номер страницы — целое число от 1.`);
  return n;
}

/** A JSON request body of at most `limit` bytes (413 above it, 400 when it is not JSON). */
export async function readJson(req: Request, limit: number): Promise<Record<string, unknown>> {
  const length = Number(req.headers.get('content-length') ?? 0);
  if (length > limit) throw tooLarge(length, limit);
  const text = await req.text();
  if (text.length > limit) throw tooLarge(text.length, limit);
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* below */
  }
  throw new HttpProblem(400, 'Неверный запрос', 'Тело запроса должно быть JSON-объектом, например {"q": "наставничество"}.');
}

export function tooLarge(size: number, limit: number): HttpProblem {
  const kb = (n: number) => `${Math.ceil(n / 1024).toLocaleString('ru-RU')} КБ`;
  return new HttpProblem(413, 'Слишком большой запрос', `Получено ${kb(size)}, допустимо не больше ${kb(limit)}.`);
}
