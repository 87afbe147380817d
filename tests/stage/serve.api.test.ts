/**
 * Every endpoint of the explorer against a small real database (the sample corpus plus the
 * explorer's fixture resolutions of 2016–2024), through app.request(): no socket, real snapshot.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../pipeline/serve/app.js';
import { SnapshotSource } from '../../pipeline/serve/source.js';
import { buildExplorerDb, DRAFT_DOCX } from '../helpers/explorer.js';
import { MAX_DRAFT_ITEMS } from '../../pipeline/check/check.js';
import { join } from 'node:path';

type Json = Record<string, any>;

let source: SnapshotSource;
let app: ReturnType<typeof createApp>;
let db: string;

const get = (path: string, init?: RequestInit) => app.request(`http://127.0.0.1${path}`, init);
const json = async (path: string) => {
  const res = await get(path);
  return { status: res.status, body: (await res.json()) as Json };
};
const q = (s: string) => encodeURIComponent(s);

beforeAll(async () => {
  ({ db } = await buildExplorerDb());
  source = new SnapshotSource(db, { pollMs: 0 });
  await source.start();
  app = createApp(source, { allowedHosts: ['127.0.0.1', 'localhost'] });
});
afterAll(async () => {
  await source?.close();
});

describe('search', () => {
  it('finds every recommendation holding the query words, highlights them, counts facets over the hits', async () => {
    const { status, body } = await json(`/search?q=${q('наставничество')}&format=json`);
    expect(status).toBe(200);
    expect(body.mode).toBe('search');
    const texts = body.hits.map((h: Json) => h.text.toLowerCase());
    // The three fixture proposals of a regional mentoring programme, in three conferences.
    expect(texts.filter((t: string) => t.includes('программу наставничества для молодых педагогов'))).toHaveLength(3);
    for (const h of body.hits.filter((x: Json) => x.all_query_words)) expect(h.text.toLowerCase()).toMatch(/наставни/);
    const years = body.facets.find((f: Json) => f.key === 'level');
    expect(years.values.reduce((s: number, v: Json) => s + v.count, 0)).toBe(body.total);
    const html = await (await get(`/search?q=${q('наставничество')}`)).text();
    expect(html).toMatch(/<mark>наставничества<\/mark>/);
  });

  it('finds «ОВЗ» for «с ограниченными возможностями здоровья» and the other way round, and says so', async () => {
    const has = (body: Json) => [body.hits.some((h: Json) => /с ОВЗ/.test(h.text)), body.hits.some((h: Json) => /ограниченными возможностями здоровья/.test(h.text))];
    const full = (await json(`/search?q=${q('с ограниченными возможностями здоровья')}&format=json`)).body;
    expect(has(full)).toEqual([true, true]);
    const abbr = (await json(`/search?q=${q('ОВЗ')}&format=json`)).body;
    expect(has(abbr)).toEqual([true, true]);
    expect(abbr.expanded).toEqual([{ from: 'ОВЗ', to: 'ограниченные возможности здоровья' }]);
    // Every literal hit holds one form or the other.
    for (const h of abbr.hits.filter((x: Json) => x.all_query_words)) expect(h.text).toMatch(/ОВЗ|ограниченными возможностями здоровья/);
    const html = await (await get(`/search?q=${q('ОВЗ')}`)).text();
    expect(html).toMatch(/Сокращения учтены: искали также «ОВЗ» → «ограниченные возможности здоровья»/);
  });

  it('never misses a literal hit, however far its vector is from the query', async () => {
    // A rare word present in one recommendation only.
    const { body } = await json(`/search?q=${q('поликлиники')}&format=json`);
    const hit = body.hits.find((h: Json) => h.text.includes('детских поликлиник'));
    expect(hit).toBeDefined();
    expect(hit.all_query_words).toBe(true);
  });

  it('narrows by a facet and by a year range, and the narrowed total matches the facet count', async () => {
    const all = (await json(`/search?q=${q('наставничество молодых педагогов')}&format=json`)).body;
    const y2024 = all.years.find((y: Json) => y.year === 2024);
    expect(y2024.count).toBeGreaterThan(0);
    const narrowed = (await json(`/search?q=${q('наставничество молодых педагогов')}&year_from=2024&year_to=2024&format=json`)).body;
    expect(narrowed.total).toBe(y2024.count);
    expect(narrowed.hits.every((h: Json) => h.year === 2024)).toBe(true);
    const level = all.facets.find((f: Json) => f.key === 'level').values[0];
    const byLevel = (await json(`/search?q=${q('наставничество молодых педагогов')}&level=${q(level.value)}&format=json`)).body;
    expect(byLevel.total).toBe(level.count);
  });

  it('lists everything the filters let through when there is no query, and downloads it as CSV', async () => {
    const browse = (await json('/search?format=json&year_from=2016&year_to=2016')).body;
    expect(browse.mode).toBe('browse');
    expect(browse.total).toBe(7); // the 2016 fixture resolution has seven recommendations
    const res = await get('/search?year_from=2016&year_to=2016&format=csv');
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel reads Cyrillic right
    const csv = new TextDecoder().decode(bytes);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^место,идентификатор,сходство/);
    expect(lines).toHaveLength(8);
  });

  it('answers bad input with a Russian message and the right status, never a stack trace', async () => {
    const empty = await get('/search?q=');
    expect(empty.status).toBe(400);
    expect(await empty.text()).toMatch(/Пустой запрос/);
    const long = 'наставничество '.repeat(7000); // ~100 KB
    const res = await get(`/search?q=${q(long)}`);
    expect(res.status).toBe(414);
    const text = await res.text();
    expect(text).toMatch(/Слишком длинный запрос/);
    expect(text).not.toMatch(/at .*\.js:\d+/);
    const post = await get('/api/search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: 'x'.repeat(100_000) }) });
    expect(post.status).toBe(413);
    expect(((await post.json()) as Json).error).toMatch(/Слишком большой/);
    expect((await get('/search?q=a&page=0')).status).toBe(400);
    expect((await get('/search?year_from=abc')).status).toBe(400);
    expect((await get('/search?bbox=1,2')).status).toBe(400);
    expect((await get('/search?q=a&format=xml')).status).toBe(400);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const res = await app.request('http://evil.example/search');
    expect(res.status).toBe(400);
  });
});

describe('recommendation page', () => {
  it('shows the text inside its source at the stored offsets, near-duplicates with their kind and diff, and the history', async () => {
    const search = (await json(`/search?q=${q('консультационных центров для родителей')}&year_from=2024&format=json`)).body;
    const rec = search.hits.find((h: Json) => h.text.startsWith('Организовать работу консультационных центров'));
    expect(rec).toBeDefined();
    const { status, body } = await json(`/rec/${rec.rec_id}?format=json`);
    expect(status).toBe(200);
    expect(body.near_duplicates.map((n: Json) => n.year).sort()).toEqual([2016, 2019]);
    expect(body.near_duplicates.every((n: Json) => ['identical', 'similar', 'contained'].includes(n.kind))).toBe(true);
    expect(body.history.summary).toMatch(/^Впервые предложено в 2016 году .*повторено 2 раза.*последний раз — в 2024 году/);
    const html = await (await get(`/rec/${rec.rec_id}`)).text();
    const marked = /<mark id="hl"[^>]*>([^<]*)<\/mark>/.exec(html)?.[1];
    expect(marked).toBe(rec.text.replace(/&/g, '&amp;'));
    expect(html).toMatch(/<ins>/);
    expect(html).toMatch(/<del>/);
  });

  it('is a 404 with a Russian message for an unknown id', async () => {
    const res = await get('/rec/0000000000000000-999');
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/Рекомендация не найдена/);
    expect((await json('/rec/nope?format=json')).body.error).toBe('Рекомендация не найдена');
  });
});

describe('near-duplicate groups', () => {
  it('lists groups across documents, sorts by span of years and filters by theme and year', async () => {
    const { body } = await json('/groups?format=json');
    expect(body.length).toBeGreaterThanOrEqual(4);
    expect(body.every((g: Json) => g.documents >= 2)).toBe(true);
    const bySpan = (await json('/groups?sort=span&format=json')).body;
    const spans = bySpan.map((g: Json) => g.span_years);
    expect(spans).toEqual([...spans].sort((a: number, b: number) => b - a));
    expect(spans[0]).toBe(8); // the counselling centres: 2016 → 2024
    const only2019 = (await json('/groups?year_from=2019&year_to=2019&format=json')).body;
    expect(only2019.length).toBeGreaterThan(0);
    expect(only2019.length).toBeLessThan(body.length);
    for (const g of only2019) expect(g.first_year <= 2019 && g.last_year >= 2019).toBe(true);
    expect((await get('/groups?sort=nonsense')).status).toBe(400);
  });

  it('shows a group with every member, its match to the centre and a word diff', async () => {
    const top = (await json('/groups?sort=span&format=json')).body[0];
    const members = (await json(`/groups/${top.group_id}?format=json`)).body;
    expect(members).toHaveLength(top.size);
    expect(members.filter((m: Json) => m.is_centre)).toHaveLength(1);
    const html = await (await get(`/groups/${top.group_id}`)).text();
    expect(html).toMatch(/<ins>[^<]*поликлиник/);
    expect((await get('/groups/nope')).status).toBe(404);
  });
});

describe('conferences', () => {
  it('registers every current document with its share of repeated recommendations', async () => {
    const { body } = await json('/conferences?format=json');
    expect(body).toHaveLength(9);
    const c2024 = body.find((d: Json) => d.source_file === '2024-region-vospitanie.txt');
    expect(c2024.recommendations).toBe(6);
    expect(c2024.repeated_from_earlier).toBe(3);
    const c2016 = body.find((d: Json) => d.source_file === '2016-oblast-semya.txt');
    expect(c2016.repeated_from_earlier).toBe(0);
    const filtered = (await json(`/conferences?q=${q('одарённые')}&format=json`)).body;
    expect(filtered.map((d: Json) => d.source_file)).toContain('2022-vseross-odarennost.txt');
  });

  it('marks each recommendation of a conference new or repeated, with where it was first proposed', async () => {
    const reg = (await json('/conferences?format=json')).body;
    const id = reg.find((d: Json) => d.source_file === '2024-region-vospitanie.txt').doc_id;
    const rows = (await json(`/conferences/${id}?format=csv`.replace('csv', 'json'))).body;
    expect(rows.document.doc_id).toBe(id);
    const csv = await (await get(`/conferences/${id}?format=csv`)).text();
    expect(csv).toMatch(/,повтор,/);
    expect(csv).not.toMatch(/repeated/);
    const html = await (await get(`/conferences/${id}`)).text();
    expect(html).toMatch(/Семья и школа: партнёрство в воспитании, 2016/);
    expect((await get(`/conferences/${id}/text`)).status).toBe(200);
  });

  it('compares two conferences: shared, similar and unique recommendations', async () => {
    const { body } = await json(`/compare?a=2016-oblast-semya.txt&b=2024-region-vospitanie.txt&format=json`);
    const shared = body.filter((r: Json) => r.relation === 'shared');
    expect(shared).toHaveLength(2);
    expect(body.filter((r: Json) => r.relation === 'only_a').length + shared.length + body.filter((r: Json) => r.relation === 'similar').length).toBe(7);
    expect((await get('/compare?a=2016-oblast-semya.txt&b=nope.txt')).status).toBe(404);
    expect((await get('/compare?a=2016-oblast-semya.txt&b=resolution')).status).toBe(409);
  });
});

describe('trends and map', () => {
  it('gives theme shares by year over the filtered recommendations', async () => {
    const { body } = await json('/trends?format=json');
    const total = body.years.reduce((s: number, y: Json) => s + y.recs, 0);
    expect(total + body.undated).toBe(body.total);
    const federal = (await json('/trends?addressee_type=federal&format=json')).body;
    expect(federal.total).toBeLessThan(body.total);
    const html = await (await get('/trends')).text();
    expect(html).toMatch(/<script type="application\/json" id="trend-data">/);
  });

  it('gives every recommendation a point, and a map selection narrows search to the points inside it', async () => {
    const { status, body } = await json('/api/map/points');
    expect(status).toBe(200);
    expect(body.ids.length).toBe(body.total);
    const k = 0;
    const [x, y] = [body.x[k], body.y[k]];
    const bbox = [x - 0.05, y - 0.05, x + 0.05, y + 0.05].join(',');
    const inside = body.ids.filter((_: string, i: number) => Math.abs(body.x[i] - x) <= 0.05 && Math.abs(body.y[i] - y) <= 0.05);
    const sel = (await json(`/search?bbox=${bbox}&format=json`)).body;
    expect(sel.total).toBe(inside.length);
    const filtered = (await json('/api/map/points?year_from=2024&year_to=2024')).body;
    expect(filtered.shown).toBeLessThan(filtered.total);
    const brief = (await json(`/api/rec/${body.ids[0]}/brief`)).body;
    expect(brief.text.length).toBeGreaterThan(10);
  });
});

describe('draft check', () => {
  const upload = (bytes: Uint8Array, name: string, path = '/api/check') => {
    const form = new FormData();
    form.append('file', new File([bytes], name));
    return get(path, { method: 'POST', body: form });
  };

  it('segments an uploaded .docx and gives each item its verdict and earlier proposals', async () => {
    const res = await upload(readFileSync(DRAFT_DOCX), 'draft.docx');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.items.map((i: Json) => i.verdict)).toEqual(['repeated', 'repeated', 'new']);
    expect(body.items[0].first_year).toBe(2019);
    expect(body.items[0].repeats).toBe(3);
    expect(body.items[1].first_year).toBe(2016);
    const html = await (await upload(readFileSync(DRAFT_DOCX), 'draft.docx', '/check')).text();
    expect(html).toMatch(/впервые — в 2019 году/);
    // Provenance: the space, its embed run and the threshold the verdicts used (they move after a refit).
    expect(html).toMatch(/Основа вердиктов: пространство lexical-v1:\w+ \(векторы из запуска № \d+\), порог почти-дубликата 0\.\d{3} \((откалиброван|по умолчанию)/);
    expect(body.embed_run).toEqual(expect.any(Number));
    expect(typeof body.threshold_calibrated).toBe('boolean');
  });

  it('takes pasted text as JSON', async () => {
    const res = await get('/api/check', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Участники конференции рекомендуют:\n\nОбразовательным организациям:\n1. Проводить ежегодный мониторинг удовлетворённости родителей качеством образовательных услуг.\n' }),
    });
    const body = (await res.json()) as Json;
    expect(body.items).toHaveLength(1);
    expect(body.items[0].verdict).toBe('repeated');
  });

  it('explains an unreadable upload, an empty one and a wrong request in Russian', async () => {
    const bad = await upload(readFileSync(join(__dirname, '..', 'fixtures', 'files', 'bad.docx')), 'bad.docx');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Json).detail).toMatch(/не похож на документ Word/);
    const empty = await upload(new Uint8Array(0), 'empty.docx');
    expect(empty.status).toBe(400);
    const wrongType = await get('/api/check', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(wrongType.status).toBe(415);
  });
});

describe('status and assets', () => {
  it('serves its scripts and the vendored charting bundles itself', async () => {
    for (const path of ['/static/app.css', '/static/map.js', '/static/trends.js', '/vendor/plot.js', '/vendor/d3.js']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
    }
    expect((await get('/static/../app.ts')).status).toBe(404);
    const status = (await json('/api/status')).body;
    expect(status.recommendations).toBeGreaterThan(60);
    expect(status.freshness).toEqual([]);
  });
});

describe('a database without vectors yet', () => {
  let bare: SnapshotSource;
  let bareApp: ReturnType<typeof createApp>;
  beforeAll(async () => {
    const { db: segmented } = await buildExplorerDb({ until: 'segment' });
    bare = new SnapshotSource(segmented, { pollMs: 0 });
    await bare.start();
    bareApp = createApp(bare);
  });
  afterAll(async () => {
    await bare?.close();
  });

  it('says in Russian what to run, with 503, and still lists and opens what is there', async () => {
    const search = await bareApp.request(`http://127.0.0.1/search?q=${q('наставничество')}`);
    expect(search.status).toBe(503);
    expect(await search.text()).toMatch(/нет векторных представлений.*confrec run/s);
    expect((await bareApp.request('http://127.0.0.1/api/map/points')).status).toBe(503);
    const check = await bareApp.request('http://127.0.0.1/api/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Рекомендовать школам: 1. Проводить олимпиады.' }) });
    expect(check.status).toBe(503);
    const browse = await bareApp.request('http://127.0.0.1/search?format=json');
    expect(browse.status).toBe(200);
    expect(((await browse.json()) as Json).total).toBeGreaterThan(60);
    const page = await (await bareApp.request('http://127.0.0.1/search')).text();
    expect(page).toMatch(/В базе ещё нет векторов/);
  });
});

describe('a draft too large to be one resolution', () => {
  const items = (n: number) => `Участники конференции рекомендуют:\n\n${Array.from({ length: n }, (_, k) => `${k + 1}. Провести конкурс проектов номер ${k + 1} для педагогов района.`).join('\n')}\n`;
  const post = (text: string, path = '/check') => {
    const form = new FormData();
    form.append('text', text);
    return get(path, { method: 'POST', body: form });
  };

  it('is refused with the count and the limit, in Russian, above the form: too many items or too much text', async () => {
    const many = await post(items(MAX_DRAFT_ITEMS + 100));
    expect(many.status).toBe(413);
    const html = await many.text();
    expect(html).toMatch(/role="alert"[^>]*>[\s\S]*Слишком большой проект[\s\S]*в проекте 600\u00a0пунктов — больше, чем бывает в одной резолюции \(проверяется не больше 500\)[\s\S]*<form class="check-form"/);
    expect(html.length).toBeLessThan(200_000);

    const long = 'Участники конференции рекомендуют:\n' + 'Развивать наставничество в школах района. '.repeat(60_000); // ≈ 2.5 M characters
    const res = await post(long);
    expect(res.status).toBe(413);
    const page = await res.text();
    expect(page).toMatch(/проект слишком длинный: 2\u00a0520\u00a0034\u00a0знака, проверяется не больше 300\u00a0000 \(около 100 страниц\)/);
    expect(page.length).toBeLessThan(100_000); // the text is not sent back
    const api = await post(items(MAX_DRAFT_ITEMS + 1), '/api/check');
    expect(api.status).toBe(413);
    expect(((await api.json()) as Json).detail).toMatch(/в проекте 501\u00a0пункт —/);
  });

  it('a draft at the limit is still checked', async () => {
    const res = await post(items(MAX_DRAFT_ITEMS), '/api/check');
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).items).toHaveLength(MAX_DRAFT_ITEMS);
  });
});

describe('an item repeated inside the draft', () => {
  const DUP = 'РЕЗОЛЮЦИЯ\nсеминара «Сенсорная среда»\n\nУчастники семинара рекомендуют:\n\n1. Разработать региональный стандарт оснащения сенсорных комнат в дошкольных образовательных организациях.\n2. Провести областной конкурс проектов сенсорных комнат.\n3. Разработать региональный стандарт оснащения сенсорных комнат в дошкольных образовательных организациях.\n';

  it('is flagged: «повторяет пункт 1 этого проекта» in JSON, the page, the CSV and the text of confrec check', async () => {
    const body = (await (await get('/api/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: DUP }) })).json()) as Json;
    expect(body.items.map((i: Json) => i.repeats_item)).toEqual([null, null, 1]);
    const form = new FormData();
    form.append('text', DUP);
    const html = await (await get('/check', { method: 'POST', body: form })).text();
    expect(html.match(/Повторяет пункт №1 этого проекта/g)).toHaveLength(1);
    const csvForm = new FormData();
    csvForm.append('text', DUP);
    const csv = (await (await get('/check?format=csv', { method: 'POST', body: csvForm })).text()).trim().split('\r\n');
    const col = csv[0].split(',').indexOf('повторяет пункт проекта');
    expect(col).toBeGreaterThan(0);
    expect(csv.slice(1).map((l) => l.split(',')[col])).toEqual(['', '', '1']);

    const { checkDraft } = await import('../../pipeline/check/check.js');
    const { formatCheck, proposalsOf } = await import('../../pipeline/check/cli.js');
    const s = source.current();
    const index = { corpus: s.corpus, embedder: s.embedder, morph: s.morph, thesaurus: s.thesaurus, nearDuplicateThreshold: s.nearDuplicateThreshold, proposals: (ids: readonly string[]) => s.sql((st) => proposalsOf(st, ids)) };
    const text = formatCheck(await checkDraft(index, { text: DUP }), s.corpus);
    expect(text).toMatch(/1\u00a0пункт повторяет другой пункт этого же проекта/);
    expect(text).toMatch(/^ 3\. .*\n.*\n    повторяет пункт 1 этого проекта$/m);
    expect(text.match(/повторяет пункт \d этого проекта/g)).toHaveLength(1);
  });
});

describe('the draft check form', () => {
  const post = (fields: Record<string, string | File>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return get('/check', { method: 'POST', body: form });
  };
  const textarea = (html: string) => /<textarea id="draft-text"[^>]*>\n?([\s\S]*?)<\/textarea>/.exec(html)?.[1];

  it('keeps the pasted text in the form after the check, to edit it and check again', async () => {
    const draft = 'Участники конференции рекомендуют:\n1. Проводить ежегодный мониторинг удовлетворённости родителей качеством образовательных услуг.\n2. Открыть «Точки роста» & кружки <робототехники>.\n';
    const res = await post({ text: draft });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/id="result"/);
    // (A form sends line breaks as CRLF.)
    expect(textarea(html)?.replace(/\r\n/g, '\n')).toBe(draft.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(textarea(await (await get('/check')).text())).toBe('');
  });

  it('answers an empty draft (400) and an unreadable file (422) with the form and the reason above it, not an error page', async () => {
    const empty = await post({ text: '   ' });
    expect(empty.status).toBe(400);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toMatch(/role="alert"[^>]*>[\s\S]*Нечего проверять[\s\S]*<form class="check-form"/);
    expect(emptyHtml).not.toMatch(/К поиску/);

    const pasted = 'Рекомендовать школам: 1. Проводить олимпиады.';
    const bad = await post({ file: new File([readFileSync(join(__dirname, '..', 'fixtures', 'files', 'bad.docx'))], 'bad.docx'), text: pasted });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toMatch(/role="alert"[^>]*>[\s\S]*Не удалось прочитать проект[\s\S]*не похож на документ Word[\s\S]*<form class="check-form"/);
    expect(textarea(badHtml)).toBe(pasted);
    expect(badHtml).not.toMatch(/К поиску/);

    // Refused while the upload streams in (over the size limit): the form too.
    const huge = await get('/check', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(30 * 1024 * 1024) }, body: 'x' });
    expect(huge.status).toBe(413);
    expect(await huge.text()).toMatch(/Слишком большой запрос[\s\S]*<form class="check-form"/);
    // Tools still get JSON.
    const api = await get('/check?format=json', { method: 'POST', body: (() => { const f = new FormData(); f.append('text', ' '); return f; })() });
    expect(api.status).toBe(400);
    expect(((await api.json()) as Json).error).toBe('Нечего проверять');
  });
});

describe('draft check as CSV', () => {
  it('downloads one row per item and earlier proposal, with Russian column names and values', async () => {
    const form = new FormData();
    form.append('file', new File([readFileSync(DRAFT_DOCX)], 'draft.docx'));
    const res = await get('/check?format=csv', { method: 'POST', body: form });
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = new TextDecoder().decode(await res.arrayBuffer()).trim().split('\r\n');
    expect(lines[0].replace(/^\ufeff/, '')).toMatch(/^№ пункта,строка проекта,вердикт,почти-дубликатов,впервые \(год\),текст пункта,адресат пункта,повторяет пункт проекта,совпадение,сходство,/);
    // Item 1: three near-duplicates; item 2: two; item 3: new, one row without a match.
    expect(lines.filter((l) => l.startsWith('1,')).length).toBeGreaterThanOrEqual(3);
    expect(lines.filter((l) => l.startsWith('3,'))).toHaveLength(1);
    const csv = lines.join('\n');
    expect(lines.find((l) => l.startsWith('1,'))).toMatch(/,повтор,/);
    expect(lines.find((l) => l.startsWith('3,'))).toMatch(/,новое,/);
    expect(csv).toMatch(/,(тот же текст|близкая формулировка|одна содержит другую),/);
    // No English codes among the values (the JSON keeps those).
    for (const code of ['repeated', 'similar', 'identical', 'contained', 'related', ',new,', ',none,', 'rank', 'verdict', 'match']) expect(csv, code).not.toContain(code);
  });
});

describe('provenance in the draft check CSV', () => {
  /** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks). */
  const parseCsv = (text: string): string[][] => {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    for (let k = 0; k < text.length; k++) {
      const ch = text[k];
      if (quoted) {
        if (ch === '"' && text[k + 1] === '"') (cell += '"'), k++;
        else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') row.push(cell), (cell = '');
      else if (ch === '\r' && text[k + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), k++;
      else cell += ch;
    }
    return rows;
  };

  it('gives each earlier proposal its file, line, date, city, region and addressee', async () => {
    const form = () => {
      const f = new FormData();
      f.append('file', new File([readFileSync(DRAFT_DOCX)], 'draft.docx'));
      return f;
    };
    const body = (await (await get('/api/check', { method: 'POST', body: form() })).json()) as Json;
    const [head, ...rows] = parseCsv((await (await get('/check?format=csv', { method: 'POST', body: form() })).text()).replace(/^\ufeff/, ''));
    const col = (name: string) => {
      expect(head, name).toContain(name);
      return head.indexOf(name);
    };
    const listed = body.items.flatMap((it: Json) => it.matches);
    const withMatch = rows.filter((r) => r[col('ранее: идентификатор')] !== '');
    expect(withMatch).toHaveLength(listed.length);
    for (const r of withMatch) {
      const m = listed.find((x: Json) => x.rec_id === r[col('ранее: идентификатор')]);
      expect(r[col('ранее: файл')].endsWith(`/${m.source_file}`)).toBe(true);
      expect(Number(r[col('ранее: строка')])).toBe(m.line);
      expect(r[col('ранее: дата')]).toBe(m.date ? m.date.split('-').reverse().join('.') : '');
      expect(r[col('ранее: регион')]).toBe(m.region ?? '');
      expect(r[col('ранее: город')]).toBe(m.city ?? '');
      expect(r[col('ранее: адресат')]).toBe(m.addressee ?? 'адресат не указан');
    }
    // The fixture conferences are dated and placed: the columns are not empty by accident.
    expect(withMatch.every((r) => /^\d\d\.\d\d\.\d{4}$/.test(r[col('ранее: дата')]))).toBe(true);
    expect(withMatch.some((r) => r[col('ранее: регион')] !== '')).toBe(true);
  });
});

describe('the Russian interface', () => {
  /** Latin words a person reads on a page: outside scripts, styles, <code> and tags; file names and a few names left out. */
  const latinWords = (html: string) => {
    const visible = html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>|<code>[\s\S]*?<\/code>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&[a-z]+;/g, ' ');
    const allowed = new Set(['confrec', 'CSV', 'JSON', 'Shift', 'PDF', 'Word']);
    return (visible.match(/[\w.\-/]+/g) ?? []).filter((w) => /[A-Za-z]/.test(w) && !/[.\-/\d_]/.test(w) && !allowed.has(w));
  };

  it('leaves no English on the recommendation page, the map and the draft check', async () => {
    // A recommendation without near-duplicates: its page explains what would have counted as one.
    let lonely = '';
    for (const hit of (await json('/search?format=json')).body.hits) {
      if ((await json(`/rec/${hit.rec_id}?format=json`)).body.near_duplicates.length === 0) {
        lonely = hit.rec_id;
        break;
      }
    }
    expect(lonely).not.toBe('');
    const form = new FormData();
    form.append('text', 'Участники конференции рекомендуют:\n1. Разработать региональную программу наставничества для молодых педагогов.\n2. Открыть в каждом районе музей занимательной лингвистики.\n');
    const pages = {
      rec: await (await get(`/rec/${lonely}`)).text(),
      map: await (await get('/map')).text(),
      check: await (await get('/check', { method: 'POST', body: form })).text(),
    };
    for (const [name, html] of Object.entries(pages)) expect(latinWords(html), name).toEqual([]);
  });
});

describe('the addressee facet with addressee entities', () => {
  it('groups recommendations under entities (every part of a heading) once the addressees stage has run', async () => {
    const { db: withEntities } = await buildExplorerDb();
    const { Store } = await import('../../pipeline/store/db.js');
    const store = await Store.open(withEntities);
    let schools = 0;
    try {
      // Entities as the addressees stage writes them (its own tables), replaced by a known set so the
      // counts below follow from this test's data.
      await store.run(`DELETE FROM addressees`);
      await store.run(`DELETE FROM rec_addressees`);
      await store.run(
        `INSERT INTO addressees (addressee_id, canonical_name, type, generic, n_forms, n_recommendations, n_documents, needs_review)
         VALUES ('kind:schools', 'Образовательные организации', 'educational_org', true, 1, 0, 0, false),
                ('kind:region', 'Региональные органы управления образованием', 'regional', true, 1, 0, 0, false)`,
      );
      await store.run(
        `INSERT INTO rec_addressees (rec_id, addressee_id, part) SELECT rec_id, 'kind:schools', 1 FROM recommendations WHERE addressee ILIKE '%образовательн%организац%'`,
      );
      // One heading naming two bodies: the first school recommendation is also addressed to the region.
      await store.run(`INSERT INTO rec_addressees (rec_id, addressee_id, part) SELECT min(rec_id), 'kind:region', 2 FROM rec_addressees`);
      schools = await store.scalar<number>(`SELECT count(*) FROM rec_addressees WHERE addressee_id = 'kind:schools'`);
    } finally {
      store.close();
    }
    expect(schools).toBeGreaterThan(5);
    const src = new SnapshotSource(withEntities, { pollMs: 0 });
    await src.start();
    try {
      const a = createApp(src);
      const body = (await (await a.request('http://127.0.0.1/search?format=json')).json()) as Json;
      const facet = body.facets.find((f: Json) => f.key === 'addressee');
      const entity = facet.values.find((v: Json) => v.value === 'kind:schools');
      expect(entity.label).toBe('Образовательные организации');
      expect(entity.count).toBe(schools);
      expect(facet.values.find((v: Json) => v.value === 'kind:region').count).toBe(1);
      const narrowed = (await (await a.request('http://127.0.0.1/search?addressee=kind:region&format=json')).json()) as Json;
      expect(narrowed.total).toBe(1);
    } finally {
      await src.close();
    }
  });
});

describe('a resolution saved twice (copy_of)', () => {
  it('is one conference in the register and its recommendations are compared once by the draft check', async () => {
    const { db: withCopy, corpus } = await buildExplorerDb();
    const { cpSync, mkdirSync } = await import('node:fs');
    const { Store } = await import('../../pipeline/store/db.js');
    const { ingestFolder } = await import('../../pipeline/ingest/stage.js');
    const { DOWNSTREAM_STAGES } = await import('../../pipeline/pipeline.js');
    const { silentLogger } = await import('../../pipeline/progress.js');
    // The same file in another folder: a second current document with copy_of set (README «Versions»).
    mkdirSync(join(corpus, 'again'), { recursive: true });
    cpSync(join(corpus, '2024-region-vospitanie.txt'), join(corpus, 'again', '2024-region-vospitanie.txt'));
    const store = await Store.open(withCopy);
    let copies = 0;
    try {
      const ctx = { log: silentLogger, quiet: true, options: { embedder: 'lexical' } };
      await ingestFolder(store, corpus, ctx);
      for (const stage of DOWNSTREAM_STAGES) if (stage.name !== 'report') await stage.run(store, ctx);
      copies = await store.scalar<number>(`SELECT count(*) FROM current_documents WHERE copy_of IS NOT NULL`);
    } finally {
      store.close();
    }
    expect(copies).toBe(1);
    const src = new SnapshotSource(withCopy, { pollMs: 0 });
    await src.start();
    try {
      const a = createApp(src);
      const req = (path: string, init?: RequestInit) => a.request(`http://127.0.0.1${path}`, init);
      const register = (await (await req('/conferences?format=json')).json()) as Json[];
      expect(register).toHaveLength(9);
      expect(register.filter((d) => d.source_file === '2024-region-vospitanie.txt')).toHaveLength(1);
      expect(register.find((d) => d.source_file === '2024-region-vospitanie.txt')!.copies).toBe(1);
      const page = await (await req('/conferences')).text();
      expect(page).toMatch(/9 документов \(файл, сохранённый в базе дважды, показан один раз\)/);
      expect(page.match(/2024-region-vospitanie\.txt/g)).toHaveLength(1);
      // Groups, «N похожих в других документах» and a recommendation's history count the copy once:
      // the same numbers as the database without it.
      const sizes = async (r: typeof req) => ((await (await r('/groups?format=json')).json()) as Json[]).map((g) => [g.size, g.documents, g.conferences].join('/')).sort();
      expect(await sizes(req)).toEqual(await sizes(get));
      const mentoring = async (r: typeof req) =>
        ((await (await r(`/search?q=${q('программу наставничества для молодых педагогов')}&format=json`)).json()) as Json).hits
          .filter((h: Json) => h.source_file !== '2024-region-vospitanie.txt' || !h.url.includes('again'))
          .map((h: Json) => `${h.source_file}:${h.line}:${h.near_duplicates_elsewhere}`)
          .sort();
      const withCopyHits = (await mentoring(req)).filter((x, k, all) => all.indexOf(x) === k);
      expect(withCopyHits).toEqual(await mentoring(get));
      const recOf = async (r: typeof req) => {
        const hit = ((await (await r(`/search?q=${q('программу наставничества для молодых педагогов')}&format=json`)).json()) as Json).hits.find((h: Json) => h.source_file === '2019-mezhreg-nastavnichestvo.txt');
        const rec = (await (await r(`/rec/${hit.rec_id}?format=json`)).json()) as Json;
        return [rec.history.repeats, rec.near_duplicates.length];
      };
      expect(await recOf(req)).toEqual(await recOf(get));

      const form = new FormData();
      form.append('file', new File([readFileSync(DRAFT_DOCX)], 'draft.docx'));
      const body = (await (await req('/api/check', { method: 'POST', body: form })).json()) as Json;
      // As without the copy: item 1 repeats three earlier recommendations, each listed once.
      expect(body.items.map((i: Json) => i.verdict)).toEqual(['repeated', 'repeated', 'new']);
      expect(body.items[0].repeats).toBe(3);
      for (const it of body.items) {
        const places = it.matches.map((m: Json) => `${m.source_file}:${m.line}`);
        expect(new Set(places).size).toBe(places.length);
        expect(it.matches.every((m: Json) => !String(m.source_path).includes('/again/'))).toBe(true);
      }
    } finally {
      await src.close();
    }
  });
});

describe('stale stages', () => {
  it('says which views are stale, why and what to run, as the shared freshness API says; so does the draft check', async () => {
    const { db: staleDb, corpus } = await buildExplorerDb();
    const { writeFileSync } = await import('node:fs');
    const { Store } = await import('../../pipeline/store/db.js');
    const { ingestFolder } = await import('../../pipeline/ingest/stage.js');
    const { segmentStage } = await import('../../pipeline/segment/stage.js');
    const { stageFreshness } = await import('../../pipeline/freshness.js');
    const { openCheckIndex } = await import('../../pipeline/check/cli.js');
    const { silentLogger } = await import('../../pipeline/progress.js');
    // A new resolution, ingested and segmented only: everything after segment is behind.
    writeFileSync(
      join(corpus, 'new-2025.txt'),
      'РЕЗОЛЮЦИЯ\nгородской конференции «Школьные медиацентры», 2025 год\n\nУчастники конференции рекомендуют:\n\nОбразовательным организациям:\n1. Создать школьные медиацентры с участием обучающихся.\n',
    );
    const ctx = { log: silentLogger, quiet: true };
    let expected: Awaited<ReturnType<typeof stageFreshness>>;
    {
      const store = await Store.open(staleDb);
      try {
        await ingestFolder(store, corpus, { ...ctx, options: {} });
        await segmentStage.run(store, ctx);
        expected = await stageFreshness(store, 'map');
      } finally {
        store.close();
      }
    }
    expect(expected.fresh).toBe(false);

    const src = new SnapshotSource(staleDb, { pollMs: 0 });
    await src.start();
    try {
      const a = createApp(src);
      const status = (await (await a.request('http://127.0.0.1/api/status')).json()) as Json;
      const stages = status.freshness.map((n: Json) => n.stage).filter(Boolean);
      expect(stages).toEqual(['embed', 'themes', 'clusters', 'similar', 'map']);
      const map = status.freshness.find((n: Json) => n.stage === 'map');
      expect(map.area).toBe('map');
      expect(map.reason).toBe(expected.reason);
      expect(map.command).toBe(expected.refreshCommand);
      const page = await (await a.request('http://127.0.0.1/map')).text();
      // The page is Russian, reason included (the API keeps the English reason `confrec status` prints).
      expect(page).toContain(`Карта: устарело — ${expected.reasonRu}.`);
      expect(expected.reasonRu).toMatch(/[а-я]/);
      expect(page).not.toContain(expected.reason);
    } finally {
      await src.close();
    }

    const warnings: string[] = [];
    const store = await Store.open(staleDb, { readOnly: true });
    try {
      const index = await openCheckIndex(store, { log: { info: () => {}, warn: (l) => warnings.push(l) } });
      await index.embedder?.dispose?.();
    } finally {
      store.close();
    }
    expect(warnings.join('\n')).toMatch(/^check: the stored vectors the draft is compared with are stale: .*confrec embed/m);
  });
});

describe('CSV downloads for people', () => {
  // Every list of the explorer (the draft check's own CSV is tested with the check): Russian column
  // names and values, and where each recommendation comes from (file, line, date, city).
  it('have Russian column names and values and keep file, line, date and city', async () => {
    const reg = (await json('/conferences?format=json')).body;
    const a = reg.find((d: Json) => d.source_file === '2024-region-vospitanie.txt').doc_id;
    const b = reg.find((d: Json) => d.source_file === '2016-oblast-semya.txt').doc_id;
    const group = (await json('/groups?format=json')).body[0].group_id;
    const rec = (await json(`/search?q=${q('наставничество')}&format=json`)).body.hits[0].rec_id;
    const urls = [`/search?q=${q('наставничество')}`, '/conferences', `/conferences/${a}`, `/compare?a=${a}&b=${b}`, '/groups', `/groups/${encodeURIComponent(group)}`, `/rec/${rec}`];
    for (const u of urls) {
      const res = await get(`${u}${u.includes('?') ? '&' : '?'}format=csv`);
      expect(res.status, u).toBe(200);
      const csv = (await res.text()).replace(/^\ufeff/, '');
      const head = csv.split('\r\n')[0];
      expect(head, u).not.toMatch(/[a-z]{3,}/); // no English column name
      // The register lists documents: no line.
      for (const col of u === '/conferences' ? ['файл', 'дата', 'город'] : ['файл', 'строка', 'дата', 'город']) expect(head, `${u}: ${col}`).toContain(col);
      for (const code of [',repeated,', ',new,', ',identical,', ',similar,', ',contained,', ',related,', ',only_a,', ',shared,', ',true,', ',false,', ',educational_org,', ',regional,']) expect(csv, `${u}: ${code}`).not.toContain(code);
    }
    // Themes by their Russian labels, not their ids.
    const themed = (await (await get(`/search?q=${q('ограниченными возможностями здоровья')}&format=csv`)).text()).split('\r\n').slice(1).join('\n');
    expect(themed).not.toMatch(/[,;]ovz[,;]|,ovz,|parental_competence/);
    const trends = (await (await get('/trends?format=csv')).text()).replace(/^\ufeff/, '').split('\r\n')[0];
    expect(trends).toMatch(/^год,тема \(код\),тема,/);
    // JSON keeps the English keys.
    expect(Object.keys((await json('/groups?format=json')).body[0])).toContain('group_id');
  });
});

describe('the database file deleted or replaced while the explorer runs', () => {
  it('says so in Russian above every page and keeps answering from the loaded data, never a 500', async () => {
    const { copyFileSync, mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'confrec-gone-'));
    const path = join(dir, 'live.duckdb');
    copyFileSync(db, path);
    const src = new SnapshotSource(path, { pollMs: 0 });
    await src.start();
    try {
      const a = createApp(src);
      const page = async (u: string) => {
        const res = await a.request(`http://127.0.0.1${u}`);
        return { status: res.status, text: await res.text() };
      };
      const urls = [`/search?q=${q('наставничество')}`, '/conferences', '/groups', '/check'];
      rmSync(path);
      await src.refresh();
      expect(src.state.pending).toBe('missing');
      for (const u of urls) {
        const p = await page(u);
        expect(p.status, u).toBe(200);
        expect(p.text, u).toMatch(/Файла базы больше нет \(его удалили или переместили\)/);
      }
      // Replaced by something that is not a database: Russian, without DuckDB's English reason.
      writeFileSync(path, 'не база данных');
      await src.refresh();
      expect(src.state.pending).toBe('failed');
      for (const u of urls) {
        const p = await page(u);
        expect(p.status, u).toBe(200);
        expect(p.text, u).toMatch(/Файл базы заменили или изменили, но прочитать новую версию не удалось/);
        expect(p.text, u).not.toContain(src.state.problem!);
      }
      // The real file back: loaded, the note gone.
      copyFileSync(db, path);
      await src.refresh();
      expect(src.state.pending).toBe('none');
      expect((await page('/conferences')).text).not.toMatch(/Файл(а)? базы/);
    } finally {
      await src.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
