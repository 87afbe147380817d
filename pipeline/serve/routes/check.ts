/**
 * /check — the draft check in the explorer: paste a draft or upload it (.txt, .md, .docx, .pdf, …);
 * every item with its closest earlier recommendations and a verdict. Nothing is stored. POST
 * /api/check (multipart `file` or `text`, or JSON {"text": …}) answers the same as JSON.
 */
import type { Context, Hono } from 'hono';
import { explorerConfig } from '../../config.js';
import { ConfrecError } from '../../errors.js';
import { checkDraft, DraftTooLarge, MAX_DRAFT_CHARS, MAX_LISTED, MAX_NEAR_LISTED, type CheckIndex, type CheckResult } from '../../check/check.js';
import { checkJson, proposalsOf } from '../../check/cli.js';
import { provenanceRu, readFailureRu, VERDICT_RU } from '../../check/messages.js';
import { segmentReasonRu } from '../../segment/segment.js';
import type { RouteKit } from '../kit.js';
import type { Corpus } from '../corpus.js';
import { HttpProblem } from '../problem.js';
import { toCsv } from '../csv.js';
import { tooLarge } from '../params.js';
import type { Snapshot } from '../snapshot.js';
import { addresseeText, docLine, fmtDate, fmtInt, plural } from '../html/components.js';
import { h, prose, type Safe } from '../html/h.js';
import { MATCH_LABELS } from './recommendation.js';
import { addresseeLabel } from '../../report/labels.js';


function indexOf(s: Snapshot): CheckIndex {
  return {
    corpus: s.corpus,
    embedder: s.embedder,
    morph: s.morph,
    thesaurus: s.thesaurus,
    nearDuplicateThreshold: s.nearDuplicateThreshold,
    thresholdCalibrated: s.thresholdCalibrated,
    proposals: (ids) => s.sql((st) => proposalsOf(st, ids)),
  };
}

/**
 * The draft from a form (file wins over pasted text) or a JSON body. The pasted text is put in `keep`
 * as soon as it is read, so the page can give it back in the form, after a result or a refusal.
 */
async function draftInput(c: Context, keep: { text: string } = { text: '' }): Promise<{ name: string; bytes: Uint8Array } | { text: string }> {
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > explorerConfig.maxUploadBytes + 64 * 1024) throw tooLarge(length, explorerConfig.maxUploadBytes);
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/json')) {
    const body = (await c.req.json().catch(() => null)) as { text?: unknown } | null;
    if (!body || typeof body.text !== 'string' || body.text.trim() === '') throw new HttpProblem(400, 'Пустой запрос', 'Передайте текст проекта: {"text": "…"}.');
    return { text: body.text };
  }
  if (!type.startsWith('multipart/form-data') && !type.startsWith('application/x-www-form-urlencoded')) {
    throw new HttpProblem(415, 'Неподдерживаемый запрос', 'Отправьте форму (multipart/form-data с полем file или text) или JSON {"text": "…"}.');
  }
  let form: Record<string, string | File | (string | File)[]>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new HttpProblem(400, 'Неверная форма', 'Не удалось разобрать отправленную форму. Выберите файл или вставьте текст и отправьте ещё раз.');
  }
  const file = form.file;
  keep.text = typeof form.text === 'string' ? form.text : '';
  if (file instanceof File && file.size > 0) {
    if (file.size > explorerConfig.maxUploadBytes) throw tooLarge(file.size, explorerConfig.maxUploadBytes);
    return { name: file.name || 'проект', bytes: new Uint8Array(await file.arrayBuffer()) };
  }
  const text = typeof form.text === 'string' ? form.text : '';
  if (text.trim() === '') {
    throw new HttpProblem(400, 'Нечего проверять', file instanceof File && file.name ? `Файл «${file.name}» пустой (0 байт). Выберите другой файл или вставьте текст проекта.` : 'Вставьте текст проекта резолюции или выберите файл.');
  }
  return { text };
}

async function runCheck(s: Snapshot, input: Awaited<ReturnType<typeof draftInput>>): Promise<CheckResult> {
  if (!s.embedder || !s.corpus.embedding) {
    throw new HttpProblem(503, 'Проверка пока недоступна', 'В базе ещё нет векторных представлений рекомендаций. Выполните `confrec run <папка>` (или `confrec embed`) — обозреватель подхватит новые данные сам.');
  }
  try {
    return await checkDraft(indexOf(s), input);
  } catch (err) {
    if (err instanceof DraftTooLarge) throw new HttpProblem(413, 'Слишком большой проект', `${err.file}: ${err.message}. Оставьте в файле только текст проекта резолюции или разделите его на части и проверьте каждую отдельно.`);
    if (err instanceof ConfrecError) {
      const name = 'name' in input ? input.name : 'текст';
      throw new HttpProblem(422, 'Не удалось прочитать проект', `${name}: ${readFailureRu(err)}.`);
    }
    throw err;
  }
}

export function checkRoutes(app: Hono, kit: RouteKit): void {
  app.get('/check', (c) => kit.html(c, { title: 'Проверка проекта', nav: 'check', areas: ['search', 'duplicates'] }, checkForm()));
  app.post('/check', async (c) => {
    const s = kit.snapshot();
    const pasted = { text: '' };
    let result: CheckResult;
    try {
      result = await runCheck(s, await draftInput(c, pasted));
    } catch (err) {
      // A person at the form (not ?format=json|csv): the form again, the message above it, the pasted
      // text still in it — not an error page with only «К поиску».
      const format = c.req.query('format');
      if (!(err instanceof HttpProblem) || format === 'json' || format === 'csv' || (c.req.header('accept') ?? '').startsWith('application/json')) throw err;
      // A text over the size limit is not sent back: the page would be as large as the text.
      return checkProblemPage(kit, c, err, pasted.text.length > MAX_DRAFT_CHARS ? '' : pasted.text);
    }
    if (c.req.query('format') === 'json') return c.json(checkJson(result, s.corpus));
    if (c.req.query('format') === 'csv') {
      c.header('Content-Disposition', 'attachment; filename="confrec-check.csv"');
      return c.body(toCsv(checkRows(s.corpus, result)), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    }
    // The pasted text stays in the form, to edit it and check again.
    return kit.html(c, { title: `Проверка: ${result.name}`, nav: 'check', areas: ['search', 'duplicates'] }, h`${checkForm(pasted.text)}${resultBody(s.corpus, result)}`);
  });
  app.post('/api/check', async (c) => {
    const s = kit.snapshot();
    const result = await runCheck(s, await draftInput(c));
    return c.json(checkJson(result, s.corpus));
  });
}

/**
 * The check as CSV, for people: one row per item and listed earlier proposal (an item without any:
 * one row with empty match columns). Column names and values are Russian (a methodologist opens it in
 * a spreadsheet); tools read `?format=json` or /api/check, whose keys and codes stay English and stable.
 */
export function checkRows(c: Corpus, r: CheckResult): Record<string, unknown>[] {
  return r.items.flatMap((it): Record<string, unknown>[] => {
    const base = {
      '№ пункта': it.seq,
      'строка проекта': it.line,
      вердикт: VERDICT_RU[it.verdict],
      'почти-дубликатов': it.repeats,
      'впервые (год)': it.first ? c.year[it.first.i] || null : null,
      'текст пункта': it.text,
      'адресат пункта': it.addressee ?? addresseeLabel(it.addresseeType),
      'повторяет пункт проекта': it.repeatsItem,
    };
    // Where each earlier proposal comes from, to find it without the explorer: conference, date, place,
    // addressee, and the file and line of the resolution.
    const earlier = (i: number | null) => {
      const d = i === null ? undefined : c.docs[c.doc[i]];
      return {
        'ранее: год': i === null ? null : c.year[i] || null,
        'ранее: дата': fmtDate(d?.date_start ?? null) ?? null,
        'ранее: конференция': d?.title ?? null,
        'ранее: город': d?.city ?? null,
        'ранее: регион': d?.region ?? null,
        'ранее: адресат': i === null ? null : (c.addressee[i] ?? addresseeLabel(c.addresseeType[i])),
        'ранее: текст': i === null ? null : c.text[i],
        'ранее: файл': d?.source_path ?? null,
        'ранее: строка': i === null ? null : c.lineStart[i],
        'ранее: идентификатор': i === null ? null : c.recId[i],
      };
    };
    if (it.matches.length === 0) return [{ ...base, совпадение: null, сходство: null, ...earlier(null) }];
    return it.matches.map((m) => ({ ...base, совпадение: MATCH_LABELS[m.kind], сходство: Number(m.similarity.toFixed(4)), ...earlier(m.i) }));
  });
}

/** The check form again with why the draft was refused above it (the status stays: 400, 413, 422…). */
export function checkProblemPage(kit: Pick<RouteKit, 'html'>, c: Context, p: HttpProblem, text = ''): Response {
  return kit.html(c, { title: p.title, nav: 'check', areas: ['search', 'duplicates'] }, checkForm(text, p), p.status);
}

function checkForm(text = '', problem: HttpProblem | null = null): Safe {
  return h`<h1>Проверка проекта резолюции</h1>
<p>Вставьте текст проекта или загрузите файл (.docx, .pdf, .txt, .md): он будет разобран на рекомендации так же, как любая резолюция, и каждая рекомендация сравнится со всеми, что уже есть в базе. Проект <strong>не сохраняется</strong> (сохранить: <code>confrec check файл --save</code>).</p>
${problem ? h`<div class="note note-warn check-problem" role="alert"><p><strong>${problem.title}.</strong> ${prose(problem.detail)}</p></div>` : ''}
<form class="check-form" method="post" action="/check" enctype="multipart/form-data">
  <p><label>Файл: <input type="file" name="file" accept=".docx,.pdf,.txt,.md,.doc,.rtf,.odt,.html,.htm"></label></p>
  <p><label for="draft-text">или текст:</label><br><textarea id="draft-text" name="text" placeholder="Участники конференции рекомендуют: 1. …">
${text}</textarea></p>
  <p><button type="submit">Проверить</button></p>
</form>`;
}

/** What an item's list leaves out, of each kind (near-duplicates and proposals only close in meaning). */
function moreNote(near: number, related: number): Safe | '' {
  const parts = [
    near > 0 ? `${fmtInt(near)} ${plural(near, 'почти-дубликат', 'почти-дубликата', 'почти-дубликатов')}` : '',
    related > 0 ? `${fmtInt(related)} ${plural(related, 'близкое по смыслу', 'близких по смыслу', 'близких по смыслу')}` : '',
  ].filter(Boolean);
  return parts.length ? h`<p class="muted small more">…и ещё ${parts.join(' и ')} (в CSV и JSON — до ${MAX_NEAR_LISTED} почти-дубликатов и ${MAX_LISTED} близких по смыслу).</p>` : '';
}

export function resultBody(c: Corpus, r: CheckResult): Safe {
  if (r.items.length === 0) {
    return h`<section id="result"><h2>${r.name}</h2><p class="note note-warn">В тексте не найдено ни одной рекомендации (${segmentReasonRu(r.reason ?? '')}). Проверьте, что это резолюция со списком предложений: «рекомендовать…», «предложить…», пункты с адресатами.</p></section>`;
  }
  return h`<section id="result"><h2>${r.name}: ${fmtInt(r.items.length)} ${plural(r.items.length, 'рекомендация', 'рекомендации', 'рекомендаций')}</h2>
<div class="verdicts"><div><span class="badge badge-repeated">повтор</span> ${fmtInt(r.counts.repeated)}</div><div><span class="badge badge-related">похожее</span> ${fmtInt(r.counts.similar)}</div><div><span class="badge badge-new">новое</span> ${fmtInt(r.counts.new)}</div></div>
<p class="downloads">Скачать: <a download="confrec-check.csv" href="data:text/csv;charset=utf-8,${encodeURIComponent(toCsv(checkRows(c, r)))}">CSV</a></p>
<p class="muted small">Повтор — почти-дубликат по тем же правилам, по которым ищутся повторы в базе (тот же текст, косинус ≥ ${r.threshold.toFixed(3)} или одно предложение содержит другое); похожее — близкое по смыслу (косинус ≥ ${r.relatedFloor.toFixed(2)}); пространство <code>${r.embedder}</code>.</p>
<p class="muted small provenance">${provenanceRu(r)}${r.excludedDoc ? ' Этот файл уже есть в базе: его собственные рекомендации в сравнение не входят.' : ''}</p>
${r.items.map((it) => {
  const near = it.matches.filter((m) => m.kind !== 'related');
  const related = it.matches.filter((m) => m.kind === 'related');
  const first = it.first;
  return h`<div class="check-item" data-verdict="${it.verdict}">
  <h3><span class="badge badge-${it.verdict === 'similar' ? 'related' : it.verdict}">${VERDICT_RU[it.verdict]}</span> №${it.seq} · <span class="muted">строка ${it.line}</span> ${it.addressee ? h`<span class="addressee">→ ${it.addressee}</span>` : ''}</h3>
  <p>${it.text}</p>
  ${it.repeatsItem !== null ? h`<p class="note note-warn internal-repeat">Повторяет пункт №${it.repeatsItem} этого проекта.</p>` : ''}
  ${first ? h`<p><strong>Почти-дубликат ${fmtInt(it.repeats)} ${plural(it.repeats, 'более ранней рекомендации', 'более ранних рекомендаций', 'более ранних рекомендаций')}, впервые — ${c.year[first.i] ? `в ${c.year[first.i]} году` : 'в документе без даты'}.</strong></p>` : ''}
  ${near.length || related.length ? h`<ol class="near">${[...near.slice(0, 10), ...related.slice(0, near.length ? 3 : 10)].map(
    (m) => h`<li><span class="badge badge-${m.kind}">${MATCH_LABELS[m.kind]}</span> <span class="muted">${m.similarity.toFixed(3)}</span> <a href="/rec/${c.recId[m.i]}">${c.text[m.i].length > 200 ? c.text[m.i].slice(0, 199) + '…' : c.text[m.i]}</a><br>${docLine(c.docs[c.doc[m.i]])} ${addresseeText(c, m.i)}</li>`,
  )}</ol>${moreNote(it.repeats - Math.min(near.length, 10), it.related - Math.min(related.length, near.length ? 3 : 10))}` : h`<p class="muted">Ничего похожего в базе нет.</p>`}
</div>`;
})}
</section>`;
}
