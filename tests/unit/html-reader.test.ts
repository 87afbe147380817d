import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readLimits } from '../../pipeline/ingest/limits.js';
import { decodeHtml, declaredCharset, htmlReader, mhtmlHtmlPart } from '../../pipeline/ingest/readers/html.js';
import { htmlOrderedMarker } from '../../pipeline/ingest/readers/html-blocks.js';

const opts = { ocr: 'off' as const, limits: readLimits() };
const read = async (html: string | Uint8Array) => htmlReader.read('page.html', typeof html === 'string' ? new Uint8Array(Buffer.from(html)) : html, opts);

/** A page as institute sites have them: menu, breadcrumbs, the article, a sidebar of news, a footer. */
function sitePage(article: string, charset = 'utf-8'): string {
  return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}"><title>Резолюция</title>
<script>var x = "<p>не текст</p>";</script><style>p { color: red }</style></head><body>
<header><nav><ul><li><a href="/">Главная</a></li><li><a href="/news">Новости</a></li><li><a href="/about">Об институте</a></li></ul></nav></header>
<div class="crumbs"><a href="/">Главная</a> / Резолюция</div>
<div class="wrap"><main><article>${article}</article></main>
<aside><h3>Новости</h3><ul><li><a href="/n1">Открыт приём заявок на курсы</a></li><li><a href="/n2">Итоги конкурса «Учитель года»</a></li></ul></aside></div>
<footer><p>© 2024 Институт развития образования. Все права защищены.</p></footer></body></html>`;
}

const ARTICLE = `<h1>Резолюция конференции «Школа равных возможностей»</h1>
<p>Конференция состоялась 12 марта 2024 года в г. Вологде. В ней приняли участие педагоги, руководители школ и специалисты служб сопровождения из всех районов области.<br>Место проведения: ВИРО.</p>
<p>Участники конференции рекомендуют:</p>
<p><strong>Образовательным организациям:</strong></p>
<ol>
<li>Развивать инклюзивную практику в общеобразовательных школах;</li>
<li>Организовать консультации для родителей:
  <ol><li>в очной форме;</li><li>в дистанционной форме.</li></ol>
</li>
</ol>
<p>Продолжение решений:</p>
<ol start="3"><li value="5">Провести конкурс проектов.</li><li>Подвести итоги в декабре.</li></ol>
<ul><li>обобщить опыт;</li><li>опубликовать сборник.</li></ul>
<table><thead><tr><th>Мероприятие</th><th>Срок</th></tr></thead><tbody><tr><td>Семинар<br>для педагогов</td><td>2024</td></tr></tbody></table>
<p>Резолюция принята единогласно<sup><a href="#fn1">1</a></sup>.</p>
<div class="notes"><p id="fn1"><a href="#r1">1</a> На пленарном заседании.</p></div>`;

describe('web pages', () => {
  it('keeps the article, drops menus, sidebars, footers and scripts, and writes list markers as a browser draws them', async () => {
    const { text, reader } = await read(sitePage(ARTICLE));
    expect(reader).toBe('html:readability');
    expect(text).not.toMatch(/Главная|Новости|Все права|не текст|Учитель года/);
    const lines = text.split('\n');
    expect(lines).toContain('1. Развивать инклюзивную практику в общеобразовательных школах;');
    expect(lines).toContain('2. Организовать консультации для родителей:');
    expect(lines).toContain('1) в очной форме;');
    expect(lines).toContain('5. Провести конкурс проектов.');
    expect(lines).toContain('6. Подвести итоги в декабре.');
    expect(lines).toContain('- обобщить опыт;');
    expect(lines).toContain('Мероприятие | Срок');
    expect(lines).toContain('Семинар для педагогов | 2024');
    // <br> keeps its line; the note reference does not glue "1" to the sentence.
    expect(lines).toContain('Место проведения: ВИРО.');
    expect(lines).toContain('Резолюция принята единогласно.');
  });

  it('honours a windows-1251 charset declaration', async () => {
    const bytes = new Uint8Array(iconv.encode(sitePage(ARTICLE, 'windows-1251'), 'windows-1251'));
    const { text, encoding } = await read(bytes);
    expect(encoding).toBe('windows-1251');
    expect(text).toContain('Развивать инклюзивную практику');
  });

  it('detects the encoding of a page that declares none, and says so when a page declares the wrong one', () => {
    const page = '<html><body><p>Рекомендовать школам развивать наставничество и проектную деятельность.</p></body></html>';
    expect(decodeHtml(new Uint8Array(iconv.encode(page, 'windows-1251'))).encoding).toBe('windows-1251');
    const lying = decodeHtml(new Uint8Array(iconv.encode(page.replace('<html>', '<html><meta charset="utf-8">'), 'windows-1251')));
    expect(lying.encoding).toBe('windows-1251');
    expect(lying.notes.join()).toMatch(/declares UTF-8 but is windows-1251/);
  });

  it('finds charsets in meta charset, http-equiv and the XML declaration', () => {
    expect(declaredCharset('<meta charset="windows-1251">')).toBe('windows-1251');
    expect(declaredCharset("<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=koi8-r'>")).toBe('koi8-r');
    expect(declaredCharset('<?xml version="1.0" encoding="cp1251"?><html>')).toBe('cp1251');
    expect(declaredCharset('<p>no declaration</p>')).toBeNull();
  });

  it('reads a Word "web page" as the whole document (its markers are typed in the text)', async () => {
    const word = `<html xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta name=Generator content="Microsoft Word 15"></head><body>
<p class=MsoNormal>Участники рекомендуют:</p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span>1.<span>&nbsp;&nbsp;&nbsp;</span></span><![endif]>Обеспечить доступность программ.</p></body></html>`;
    const { text, reader } = await read(word);
    expect(reader).toBe('html:body');
    expect(text.split('\n').map((l) => l.replace(/\s+/g, ' '))).toContain('1. Обеспечить доступность программ.');
  });

  it('extracts the HTML part of an MHTML archive (quoted-printable, cp1251)', async () => {
    const html = iconv.encode('<html><body><p>Рекомендовать школам развивать наставничество.</p></body></html>', 'windows-1251');
    const qp = [...html].map((b) => (b >= 0x80 || b === 0x3d ? `=${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b))).join('');
    const mht = `MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart"\r\n\r\n------=_NextPart\r\nContent-Type: text/html; charset="windows-1251"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${qp}\r\n------=_NextPart--\r\n`;
    expect(mhtmlHtmlPart(new Uint8Array(Buffer.from(mht, 'latin1')))).not.toBeNull();
    const out = await htmlReader.read('page.mht', new Uint8Array(Buffer.from(mht, 'latin1')), opts);
    expect(out.text).toContain('Рекомендовать школам развивать наставничество.');
    expect(out.reader.startsWith('mhtml:')).toBe(true);
  });

  it('numbers ordered lists by type and depth', () => {
    expect(htmlOrderedMarker(3, null, 0)).toBe('3.');
    expect(htmlOrderedMarker(2, null, 1)).toBe('2)');
    expect(htmlOrderedMarker(2, null, 2)).toBe('б)');
    expect(htmlOrderedMarker(4, 'I', 0)).toBe('IV.');
    expect(htmlOrderedMarker(28, 'a', 0)).toBe('ab.');
  });

  it('rejects a page without words', async () => {
    await expect(read('<html><body><script>1</script><img src="x.png"></body></html>')).rejects.toThrow(/no text/);
  });
});

describe("confrec's own report in the folder of resolutions", () => {
  it('is recognised by its generator tag in any attribute order and quoting, and only by it', async () => {
    const { writtenByConfrec } = await import('../../pipeline/store/outputs.js');
    expect(writtenByConfrec('<html><head><meta charset="utf-8"><meta name="generator" content="confrec"></head>')).toBe(true);
    expect(writtenByConfrec("<HTML><HEAD><META CONTENT='confrec 1.2' NAME='Generator'></HEAD>")).toBe(true);
    expect(writtenByConfrec('<html><head><meta name="generator" content="WordPress 6.4"></head>')).toBe(false);
    expect(writtenByConfrec('<html><head><meta name="description" content="confrec"></head>')).toBe(false);
    expect(writtenByConfrec('<html><body><p>Отчёт подготовлен программой confrec.</p></body></html>')).toBe(false);
  });

  it('a page confrec wrote is refused with a clear reason; a site page with a generator tag of its own is read', async () => {
    const page = sitePage(ARTICLE).replace('<title>', '<meta name="generator" content="confrec"><title>');
    await expect(read(page)).rejects.toThrow(/a report written by confrec, not a resolution/);
    const wordpress = sitePage(ARTICLE).replace('<title>', '<meta name="generator" content="WordPress 6.4"><title>');
    await expect(read(wordpress)).resolves.toMatchObject({ text: expect.stringContaining('Развивать инклюзивную практику') });
  });
});

describe('nested lists', () => {
  it('draws a nested <ul> item with «o», a level below the «-» items, so it completes its parent', async () => {
    const { text } = await read(
      '<html><body><p>Участники рекомендуют:</p><ul><li>создать ресурсные центры;</li><li>обеспечить подготовку специалистов, в том числе:<ul><li>логопедов;</li><li>Специалистов по адаптивной физкультуре;</li></ul></li><li>предусмотреть финансирование.</li></ul></body></html>',
    );
    expect(text.split('\n').filter((l) => /^[-o] /.test(l))).toEqual([
      '- создать ресурсные центры;',
      '- обеспечить подготовку специалистов, в том числе:',
      'o логопедов;',
      'o Специалистов по адаптивной физкультуре;',
      '- предусмотреть финансирование.',
    ]);
  });
});
