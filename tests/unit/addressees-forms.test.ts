import { describe, expect, it } from 'vitest';
import { testMorph } from '../helpers/morph.js';
import { abbreviates, expandBuiltin, findDefinitions, findSpelledOut } from '../../pipeline/addressees/abbreviations.js';
import { parseAliases } from '../../pipeline/addressees/aliases.js';
import { keyOf, nameWords, splitLegalForm } from '../../pipeline/addressees/forms.js';
import { typoVariants } from '../../pipeline/addressees/group.js';
import { withoutRegionTail } from '../../pipeline/addressees/region-tail.js';
import { regionOfName } from '../../pipeline/addressees/regions.js';
import { ConfrecError } from '../../pipeline/errors.js';

describe('legal forms and keys', () => {
  it.each([
    ['ГАУ ДПО СОИРО', 'ГАУ ДПО', 'СОИРО'],
    ['АОУ ВО ДПО «Вологодский институт развития образования»:', 'АОУ ВО ДПО', 'Вологодский институт развития образования'],
    ['ГАУ ДПО ЯО ИРО', 'ГАУ ДПО ЯО', 'ИРО'],
    ['МБОУ «СОШ № 5» г. Вологды', 'МБОУ', 'СОШ № 5 г. Вологды'],
    [
      'автономное образовательное учреждение Вологодской области дополнительного профессионального образования «Вологодский институт развития образования»',
      'автономное образовательное учреждение Вологодской области дополнительного профессионального образования',
      'Вологодский институт развития образования',
    ],
    ['Участники конференции «Благо Дарю»', null, 'Участники конференции Благо Дарю'],
    ['I. Министерству просвещения Российской Федерации:', null, 'Министерству просвещения Российской Федерации'],
  ])('%s → legal form %s, name %s', async (form, prefix, core) => {
    const s = splitLegalForm(form, await testMorph());
    expect(s.legalPrefix).toBe(prefix);
    expect(s.core).toBe(core);
  });

  it('spells the Russian Federation one way in keys', async () => {
    const m = await testMorph();
    const k = (s: string) => keyOf(nameWords(s, m));
    expect(k('Министерство просвещения Российской Федерации')).toBe('министерство просвещение рф');
    expect(k('Министерство просвещения РФ')).toBe('министерство просвещение рф');
    expect(k('Министерство просвещения России')).toBe('министерство просвещение рф');
    expect(k('Российская академия образования')).toBe('российский академия образование');
  });

  it('expands only the abbreviations everyone uses', () => {
    expect(expandBuiltin('Минпросвещения России').text).toBe('Министерство просвещения России');
    expect(expandBuiltin('руководители ОО').text).toBe('руководители образовательные организации');
    expect(expandBuiltin('Управление образования администрации г. Вологды').text).toBe('Управление образования администрации города Вологды');
    // Local abbreviations are documents' and users' business, not built in.
    expect(expandBuiltin('ГАУ ДПО СОИРО').rules).toEqual([]);
  });
});

describe('abbreviations', () => {
  it.each([
    ['ЧИППКРО', 'Челябинский институт переподготовки и повышения квалификации работников образования', true],
    ['НИПКиПРО', 'Новосибирский институт повышения квалификации и переподготовки работников образования', true],
    ['АмИРО', 'Амурский институт развития образования', true],
    ['СОИРО', 'Смоленский областной институт развития образования', true],
    ['ИРО', 'Институт развития образования Иркутской области', false],
    ['СОИРО', 'Саратовский институт развития образования', false],
    ['ВИРО', 'Вологодский институт развития', false],
  ])('%s abbreviates «%s»: %s', (abbr, name, yes) => {
    expect(abbreviates(abbr, name.split(' '))).toBe(yes);
  });

  it('drops a trailing region, which legal-form codes carry instead', () => {
    expect(withoutRegionTail('Институт развития образования Иркутской области'.split(' '))).toEqual(['Институт', 'развития', 'образования']);
    expect(withoutRegionTail('Институт развития образования Удмуртской Республики'.split(' '))).toEqual(['Институт', 'развития', 'образования']);
    expect(withoutRegionTail('Вологодский институт развития образования'.split(' '))).toHaveLength(4);
  });

  it('reads «(далее – …)» definitions: a quoted name, the words an abbreviation abbreviates, a repeated head noun', async () => {
    const m = await testMorph();
    const text =
      'Конференция прошла на базе автономного образовательного учреждения Вологодской области дополнительного профессионального образования «Вологодский институт развития образования» (далее – ВИРО). ' +
      'Поддержку оказал Челябинский институт переподготовки и повышения квалификации работников образования (далее – ЧИППКРО).\n' +
      'Организатор – Курский институт развития образования (далее – Институт). Итоги (далее соответственно – Мероприятие, Услуги).';
    const defs = findDefinitions(text, m);
    expect(defs.map((d) => [d.abbr, d.expansion])).toEqual([
      ['ВИРО', 'Вологодский институт развития образования'],
      ['ЧИППКРО', 'Челябинский институт переподготовки и повышения квалификации работников образования'],
      ['Институт', 'Курский институт развития образования'],
    ]);
  });

  it('finds where a document spells an abbreviation out, in the nominative', async () => {
    const m = await testMorph();
    const text = 'С 17 по 20 апреля в Челябинском институте переподготовки и повышения квалификации работников образования при поддержке министерства состоялась конференция.';
    expect(findSpelledOut(text, 'ЧИППКРО', m)?.expansion).toBe('Челябинский институт переподготовки и повышения квалификации работников образования');
    expect(findSpelledOut(text, 'ВИРО', m)).toBeNull();
    expect(findSpelledOut(text, 'ОО', m)).toBeNull();
  });
});

describe('regions named by addressees', () => {
  it.each([
    ['Министерство образования и науки Челябинской области', 'Челябинская область'],
    ['Вологодский институт развития образования', 'Вологодская область'],
    ['Управление образования Администрации города Вологды', 'Вологодская область'],
    ['Управление образования Администрации города Нижнего Новгорода', 'Нижегородская область'],
    ['Министерство образования и науки Республики Татарстан', 'Республика Татарстан'],
    ['Департамент образования и науки города Москвы', 'Москва'],
    ['Северный (Арктический) федеральный университет', null],
    ['Образовательные организации', null],
  ])('%s → %s', async (name, region) => {
    const m = await testMorph();
    expect(regionOfName(nameWords(name, m), m)).toBe(region);
  });
});

describe('typo variants', () => {
  it('merges names one edit per word apart, never different numbers or words', () => {
    expect(typoVariants('name:департамент смоленский область по образование и наука', 'name:департамент смоленский облость по образование и наука').merge).toBe(true);
    expect(typoVariants('name:средний общеобразовательный школа 5 город вологда', 'name:средний общеобразовательный школа 6 город вологда').merge).toBe(false);
    expect(typoVariants('name:образовательный организация', 'name:общеобразовательный организация').merge).toBe(false);
    expect(typoVariants('name:министерство образование', 'name:министерство образование и наука').merge).toBe(false);
  });
});

describe('the alias file', () => {
  const parse = (data: unknown) => parseAliases(JSON.stringify(data), 'data/addressee-aliases.json');
  const error = (data: unknown) => {
    try {
      typeof data === 'string' ? parseAliases(data, 'data/addressee-aliases.json') : parse(data);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfrecError);
      return (err as ConfrecError).toLine();
    }
    throw new Error('no error');
  };

  it('reads entries, regions as ingest writes them', () => {
    expect(parse({ aliases: [{ form: 'СОИРО', name: 'Смоленский областной институт развития образования', region: 'смоленская область' }] })).toEqual([
      { form: 'СОИРО', name: 'Смоленский областной институт развития образования', region: 'Смоленская область', entry: 1 },
    ]);
    expect(parse({ aliases: [] })).toEqual([]);
  });

  it('says which entry and which field is wrong, and what to write', () => {
    expect(error('{ "aliases": [ { "form": "СОИРО", } ] }')).toMatch(/data\/addressee-aliases\.json: invalid addressee aliases: not JSON/);
    expect(error({ aliases: {} })).toMatch(/"aliases" must be an array/);
    expect(error({ aliases: [{ form: 'СОИРО' }] })).toMatch(/entry #1 \(СОИРО\): "name" must be a non-empty string/);
    expect(error({ aliases: [{ form: 'ИРО', name: 'Институт развития образования', region: 'Смоленская обл' }] })).toMatch(/unknown region "Смоленская обл".*"Смоленская область"/);
    expect(error({ aliases: [{ form: 'ИРО', name: 'X', regoin: 'Смоленская область' }] })).toMatch(/unknown field "regoin"/);
    expect(
      error({ aliases: [{ form: 'КИРО', name: 'Курский институт развития образования' }, { form: 'КИРО', name: 'Костромской институт развития образования' }] }),
    ).toMatch(/entry #2 \(КИРО\) contradicts entry #1/);
  });
});
