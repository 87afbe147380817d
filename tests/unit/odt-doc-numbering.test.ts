import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readLimits } from '../../pipeline/ingest/limits.js';
import { eachSprm } from '../../pipeline/ingest/readers/doc-binary.js';
import { formatNfc } from '../../pipeline/ingest/readers/doc.js';
import { formatNumber, odtReader } from '../../pipeline/ingest/readers/odt.js';

const NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"';

function odt(body: string, styles = ''): Uint8Array {
  const content = `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${NS}><office:automatic-styles>${styles}</office:automatic-styles><office:body><office:text>${body}</office:text></office:body></office:document-content>`;
  return zipSync({ mimetype: strToU8('application/vnd.oasis.opendocument.text'), 'content.xml': strToU8(content) });
}

const LIST_STYLES = `
<text:list-style style:name="L1">
  <text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"/>
  <text:list-level-style-number text:level="2" style:num-suffix="." style:num-format="1" text:display-levels="2"/>
</text:list-style>
<text:list-style style:name="L2">
  <text:list-level-style-number text:level="1" style:num-suffix=")" style:num-format="а, б, .., аа, бб, ... (ru)"/>
</text:list-style>
<text:list-style style:name="L3"><text:list-level-style-bullet text:level="1" text:bullet-char="•"/></text:list-style>`;

const read = async (bytes: Uint8Array) => (await odtReader.read('x.odt', bytes, { ocr: 'off', limits: readLimits() })).text;

describe('odt', () => {
  it('counts list numbers from the list styles: multi-level, Russian letters, continued lists, explicit starts', async () => {
    const body = `
<text:p>Участники<text:s text:c="2"/>рекомендуют:</text:p>
<text:list xml:id="list1" text:style-name="L1">
  <text:list-item><text:p>В сфере кадров:</text:p>
    <text:list><text:list-item><text:p>Расширить обучение.</text:p></text:list-item><text:list-item><text:p>Создать центры.</text:p></text:list-item></text:list>
  </text:list-item>
</text:list>
<text:p>Перерыв в списке.</text:p>
<text:list text:continue-list="list1" text:style-name="L1"><text:list-item><text:p>В сфере детей:</text:p></text:list-item></text:list>
<text:list text:style-name="L2"><text:list-item><text:p>рассмотреть;</text:p></text:list-item><text:list-item text:start-value="5"><text:p>разработать.</text:p></text:list-item></text:list>
<text:list text:style-name="L3"><text:list-item><text:p>пункт</text:p><text:p>и его продолжение</text:p></text:list-item></text:list>`;
    expect(await read(odt(body, LIST_STYLES))).toBe(
      ['Участники рекомендуют:', '', '1. В сфере кадров:', '1.1. Расширить обучение.', '1.2. Создать центры.', '', 'Перерыв в списке.', '', '2. В сфере детей:', 'а) рассмотреть;', 'д) разработать.', '- пункт и его продолжение'].join('\n'),
    );
  });

  it('reads tables as rows, moves notes to the end, and leaves tracked deletions and annotations out', async () => {
    const body = `
<text:tracked-changes><text:changed-region><text:deletion><text:p>удалённый текст</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:p>Итоги<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Сноска.</text:p></text:note-body></text:note>.<office:annotation><text:p>комментарий</text:p></office:annotation></text:p>
<table:table><table:table-header-rows><table:table-row><table:table-cell><text:p>Адресат</text:p></table:table-cell><table:table-cell><text:p>Срок</text:p></table:table-cell></table:table-row></table:table-header-rows>
<table:table-row><table:table-cell><text:p>Школы</text:p><text:p>и детсады</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>2025</text:p></table:table-cell></table:table-row></table:table>
<text:p>Первая строка<text:line-break/>вторая строка</text:p>`;
    expect(await read(odt(body))).toBe(['Итоги.', '', 'Адресат | Срок', 'Школы и детсады | 2025', '', 'Первая строка', 'вторая строка', '', 'Сноска.'].join('\n'));
  });

  it('rejects a package without content.xml', async () => {
    await expect(odtReader.read('x.odt', zipSync({ mimetype: strToU8('x') }), { ocr: 'off', limits: readLimits() })).rejects.toThrow(/not a valid \.odt/);
  });

  it('formats numbers as ODF and Word number formats say', () => {
    expect([1, 4, 9].map((n) => formatNumber(n, 'I'))).toEqual(['I', 'IV', 'IX']);
    expect(formatNumber(3, 'а, б, .., аа, бб, ... (ru)')).toBe('в');
    expect(formatNumber(2, 'A')).toBe('B');
    expect(formatNumber(7, '')).toBe('');
    expect([formatNfc(3, 0), formatNfc(4, 1), formatNfc(4, 2), formatNfc(2, 4), formatNfc(3, 58), formatNfc(3, 59), formatNfc(5, 22)]).toEqual(['3', 'IV', 'iv', 'b', 'в', 'В', '05']);
  });
});

describe('.doc paragraph properties', () => {
  it('walks sprms of every operand size, including sprmTDefTable whose size is two bytes', () => {
    const buf = Buffer.from([
      0x0a, 0x26, 0x01, // sprmPIlvl = 1
      0x08, 0xd6, 0x05, 0x00, 0xaa, 0xbb, 0xcc, 0xdd, // sprmTDefTable, cb = 5 → 4 more bytes
      0x0b, 0x46, 0x03, 0x00, // sprmPIlfo = 3
      0x49, 0x66, 0x02, 0x00, 0x00, 0x00, // sprmPItap = 2
    ]);
    const seen: [number, number][] = [];
    eachSprm(buf, 0, buf.length, (sprm, at) => seen.push([sprm, at]));
    expect(seen.map(([s]) => s.toString(16))).toEqual(['260a', 'd608', '460b', '6649']);
    expect(buf.readUInt16LE(seen[2][1])).toBe(3);
  });
});
