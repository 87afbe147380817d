/**
 * Named bodies and kinds of bodies the genre addresses, matched on a name's key (lemmas in order,
 * «рф» for the Russian Federation; see forms.ts). Two tables:
 *
 * - KNOWN_BODIES: federal bodies that are one body whatever the spelling («Министерство просвещения
 *   Российской Федерации», «Минпросвещения России», «Министерство просвещения РФ»).
 * - KINDS: kinds of bodies at one level that resolutions name in many ways and mean the same:
 *   «органам местного самоуправления, осуществляющим управление в сфере образования» and
 *   «муниципальным органам управления образованием» are one generic addressee, the municipal
 *   education authorities, wherever they stand.
 *
 * Every entry has an id (what `addressee_forms.detail` shows), its canonical name, the addressee
 * type and level, an example, and — where it is a judgement call — why. Written from the official
 * names of the bodies (Федеральный закон № 273-ФЗ «Об образовании», ст. 89; Положения о
 * министерствах), not from the sample resolutions. Add a kind by adding an entry.
 */
import type { AddresseeType } from '../store/types.js';

/** Government level of an addressee; `organisation` for institutions, `people` for groups of people. */
export type AddresseeLevel = 'federal' | 'regional' | 'municipal' | 'organisation' | 'people';

export interface BodyRule {
  id: string;
  name: string;
  type: AddresseeType;
  level: AddresseeLevel | null;
  /** Matches the whole key. */
  key: RegExp;
  example: string;
  why?: string;
}

export const KNOWN_BODIES: readonly BodyRule[] = [
  {
    id: 'minprosv',
    name: 'Министерство просвещения Российской Федерации',
    type: 'federal',
    level: 'federal',
    key: /^министерство просвещение(?: рф)?$/,
    example: 'Минпросвещения России',
    why: 'only the federal ministry has this name (since 2018), so the form without «РФ» is it too',
  },
  {
    id: 'minobrnauki_rf',
    name: 'Министерство образования и науки Российской Федерации',
    type: 'federal',
    level: 'federal',
    key: /^министерство образование и наука рф$/,
    example: 'Министерству образования и науки Российской Федерации',
    why: 'regional ministries share the name, so «РФ» is required',
  },
  {
    id: 'minnauki_rf',
    name: 'Министерство науки и высшего образования Российской Федерации',
    type: 'federal',
    level: 'federal',
    key: /^министерство наука и высокий образование(?: рф)?$/,
    example: 'Министерство науки и высшего образования РФ',
  },
  {
    id: 'obrnadzor',
    name: 'Федеральная служба по надзору в сфере образования и науки',
    type: 'federal',
    level: 'federal',
    key: /^федеральный служба по надзор в сфера образование и наука(?: рф)?$/,
    example: 'Рособрнадзор',
  },
  { id: 'government_rf', name: 'Правительство Российской Федерации', type: 'federal', level: 'federal', key: /^правительство рф$/, example: 'Правительству РФ' },
  {
    id: 'duma',
    name: 'Государственная Дума Федерального Собрания Российской Федерации',
    type: 'federal',
    level: 'federal',
    key: /^государственный дума(?: федеральный собрание)?(?: рф)?$/,
    example: 'Государственной Думе',
  },
  {
    id: 'sovfed',
    name: 'Совет Федерации Федерального Собрания Российской Федерации',
    type: 'federal',
    level: 'federal',
    key: /^совет федерация(?: федеральный собрание)?(?: рф)?$/,
    example: 'Совету Федерации',
  },
  { id: 'minzdrav_rf', name: 'Министерство здравоохранения Российской Федерации', type: 'federal', level: 'federal', key: /^министерство здравоохранение рф$/, example: 'Минздраву России' },
  {
    id: 'mintrud_rf',
    name: 'Министерство труда и социальной защиты Российской Федерации',
    type: 'federal',
    level: 'federal',
    key: /^министерство труд и социальный защита рф$/,
    example: 'Минтруду России',
  },
  { id: 'minkult_rf', name: 'Министерство культуры Российской Федерации', type: 'federal', level: 'federal', key: /^министерство культура рф$/, example: 'Минкультуры России' },
  { id: 'minsport_rf', name: 'Министерство спорта Российской Федерации', type: 'federal', level: 'federal', key: /^министерство спорт рф$/, example: 'Минспорту России' },
  {
    id: 'rosmolodezh',
    name: 'Федеральное агентство по делам молодежи',
    type: 'federal',
    level: 'federal',
    key: /^федеральный агентство по дело молодежь(?: рф)?$/,
    example: 'Росмолодёжи',
  },
  { id: 'firo', name: 'Федеральный институт развития образования', type: 'institute', level: 'federal', key: /^федеральный институт развитие образование(?: .*)?$/, example: 'ФГБУ «ФИРО» РАНХиГС' },
  { id: 'rao', name: 'Российская академия образования', type: 'institute', level: 'federal', key: /^российский академия образование$/, example: 'Российской академии образования' },
  {
    id: 'iidsv',
    name: 'Институт изучения детства, семьи и воспитания',
    type: 'institute',
    level: 'federal',
    key: /^институт изучение детство семья и воспитание(?: .*)?$/,
    example: 'ФГБНУ «Институт изучения детства, семьи и воспитания»',
  },
];

/**
 * The territorial scope a kind may carry without becoming another kind: «образовательные
 * организации Смоленской области», «… муниципального района», «… всех типов и видов».
 */
const SCOPE = String.raw`(?: (?:все|всех|весь|всякий|любой)(?: уровень| тип(?: и вид)?)?| [\p{L}-]+(?:ий|ый|ой) (?:область|край|округ)| республика [\p{L}-]+| [\p{L}-]+ий республика| регион| субъект рф| рф| муниципальный (?:образование|район|округ)(?: [\p{L}-]+)?| и [\p{L}-]+(?:ий|ый|ой) (?:район|округ)| городской округ| город [\p{L}-]+| район| округ| территория)*`;

const kindKey = (body: string) => new RegExp(`^(?:${body})${SCOPE}$`, 'u');

export const KINDS: readonly BodyRule[] = [
  {
    id: 'regional_education_authorities',
    name: 'Региональные органы управления образованием',
    type: 'regional',
    level: 'regional',
    key: kindKey(
      [
        String.raw`(?:орган (?:исполнительный|государственный) власть субъект рф|региональный орган(?: исполнительный| государственный)? власть|региональный орган)(?: (?:осуществлять|осуществляющий) (?:государственный )?управление в сфера образование| в сфера образование| управление образование)`,
        String.raw`орган (?:государственный )?управление(?: в сфера)? образование субъект рф`,
        String.raw`региональный орган (?:государственный )?управление(?: в сфера)? образование`,
        String.raw`региональный орган(?: власть)?(?: (?:осуществлять|осуществляющий) (?:государственный )?управление в сфера образование)`,
      ].join('|'),
    ),
    example: 'органам исполнительной власти субъектов Российской Федерации, осуществляющим государственное управление в сфере образования',
  },
  {
    id: 'regional_executive_authorities',
    name: 'Органы исполнительной власти субъектов Российской Федерации',
    type: 'regional',
    level: 'regional',
    key: kindKey(String.raw`орган (?:исполнительный|государственный) власть субъект рф|региональный орган (?:исполнительный|государственный) власть`),
    example: 'органам государственной власти субъектов РФ',
    why: 'without «в сфере образования» the kind is wider than the education authorities and stays apart',
  },
  {
    id: 'municipal_education_authorities',
    name: 'Муниципальные органы управления образованием',
    type: 'municipal',
    level: 'municipal',
    key: kindKey(
      [
        String.raw`(?:орган местный самоуправление(?: муниципальный (?:образование|район|округ))?|муниципальный орган(?: власть| местный самоуправление)?|администрация муниципальный (?:образование|район|округ))(?: (?:осуществлять|осуществляющий) управление в сфера образование| в сфера образование| управление образование| управление в сфера образование)`,
        String.raw`муниципальный орган (?:управление|власть)(?: в сфера)? образование`,
        String.raw`орган управление(?: в сфера)? образование муниципальный (?:образование|район|округ)`,
        String.raw`муниципальный (?:управление|отдел|комитет|департамент)(?: по)? образование`,
        String.raw`(?:управление|отдел|комитет)(?: по)? образование(?: администрация)? муниципальный (?:образование|район|округ)`,
      ].join('|'),
    ),
    example: 'органам местного самоуправления, осуществляющим управление в сфере образования',
  },
  {
    id: 'local_self_government',
    name: 'Органы местного самоуправления',
    type: 'municipal',
    level: 'municipal',
    key: kindKey(String.raw`орган местный самоуправление|администрация муниципальный (?:образование|район|округ)|глава муниципальный (?:образование|район|округ)`),
    example: 'органам местного самоуправления',
    why: 'without a word about education: all municipal authorities, wider than the education ones',
  },
  {
    id: 'education_authorities',
    name: 'Органы управления образованием',
    type: 'other',
    level: null,
    key: kindKey(String.raw`орган управление(?: в сфера)? образование|орган(?:,)? (?:осуществлять|осуществляющий) управление в сфера образование`),
    example: 'органам управления образованием всех уровней',
    why: 'no level stated: neither the regional nor the municipal kind',
  },
  {
    id: 'educational_organisations',
    name: 'Образовательные организации',
    type: 'educational_org',
    level: 'organisation',
    key: kindKey(String.raw`образовательный (?:организация|учреждение)|организация осуществлять образовательный деятельность|организация(?:,)? осуществляющий образовательный деятельность`),
    example: 'образовательным организациям',
  },
  {
    id: 'schools',
    name: 'Общеобразовательные организации',
    type: 'educational_org',
    level: 'organisation',
    key: kindKey(String.raw`общеобразовательный (?:организация|учреждение|школа)|школа|средний общеобразовательный школа|образовательный организация общий образование`),
    example: 'общеобразовательным организациям',
  },
  {
    id: 'preschools',
    name: 'Дошкольные образовательные организации',
    type: 'educational_org',
    level: 'organisation',
    key: kindKey(String.raw`дошкольный образовательный (?:организация|учреждение)|дошкольный (?:организация|учреждение)|детский сад|образовательный организация дошкольный образование`),
    example: 'дошкольным образовательным организациям',
  },
  {
    id: 'additional_education',
    name: 'Организации дополнительного образования',
    type: 'educational_org',
    level: 'organisation',
    key: kindKey(String.raw`(?:образовательный )?(?:организация|учреждение) дополнительный образование(?: ребенок)?`),
    example: 'организациям дополнительного образования',
  },
  {
    id: 'vocational',
    name: 'Профессиональные образовательные организации',
    type: 'educational_org',
    level: 'organisation',
    key: kindKey(String.raw`профессиональный образовательный (?:организация|учреждение)|(?:образовательный )?организация средний профессиональный образование|колледж|техникум|колледж и техникум`),
    example: 'профессиональным образовательным организациям',
  },
  {
    id: 'higher_education',
    name: 'Образовательные организации высшего образования',
    type: 'institute',
    level: 'organisation',
    key: kindKey(String.raw`(?:образовательный )?организация высокий образование|вуз|высокий учебный заведение|университет`),
    example: 'образовательным организациям высшего образования',
  },
  {
    id: 'pedagogical_universities',
    name: 'Педагогические вузы',
    type: 'institute',
    level: 'organisation',
    key: kindKey(String.raw`педагогический (?:вуз|университет)|педагогический образовательный организация высокий образование|образовательный организация высокий образование(?:,)? (?:осуществлять|осуществляющий) подготовка педагогический кадр`),
    example: 'педагогическим вузам',
  },
  {
    id: 'heads_of_organisations',
    name: 'Руководители образовательных организаций',
    type: 'participants',
    level: 'people',
    key: kindKey(String.raw`руководитель (?:образовательный|общеобразовательный) (?:организация|учреждение)`),
    example: 'руководителям образовательных организаций',
  },
  {
    id: 'teachers',
    name: 'Педагогические работники',
    type: 'participants',
    level: 'people',
    key: kindKey(String.raw`(?:педагогический работник|педагог|педагогический коллектив|педагогический кадр)(?: (?:образовательный|общеобразовательный) (?:организация|учреждение))?`),
    example: 'педагогическим работникам образовательных организаций',
  },
  {
    id: 'parents',
    name: 'Родители (законные представители)',
    type: 'participants',
    level: 'people',
    key: kindKey(String.raw`родитель(?: законный представитель)?(?: обучающийся| ребенок| воспитанник)?|родитель и законный представитель|законный представитель(?: обучающийся| ребенок)?|родительский (?:общественность|сообщество)`),
    example: 'родителям (законным представителям) обучающихся',
    why: '«родительская общественность» and «родительское сообщество» are the parents as addressees, not a body of their own',
  },
  {
    id: 'participants',
    name: 'Участники конференции',
    type: 'participants',
    level: 'people',
    key: /^участник(?: (?:конференция|форум|семинар|совещание|съезд|чтение|педагогический чтение|круглый стол|мероприятие|слет|фестиваль|конгресс|школа|августовский совещание|научно-практический конференция|всероссийский конференция|региональный конференция)(?: .*)?)?$/u,
    example: 'участникам конференции «Благо Дарю»',
    why: 'the participants of the event the resolution records, whatever the event is called',
  },
  {
    id: 'methodological_services',
    name: 'Муниципальные методические службы',
    type: 'municipal',
    level: 'municipal',
    key: kindKey(String.raw`муниципальный методический (?:служба|центр|кабинет)|методический служба муниципальный (?:образование|район|округ)`),
    example: 'муниципальным методическим службам',
  },
  {
    id: 'ppms_centres',
    name: 'Центры психолого-педагогической, медицинской и социальной помощи',
    type: 'educational_org',
    level: 'organisation',
    key: kindKey(String.raw`центр психолого-педагогический(?:,)? медицинский и социальный помощь|центр психолого-педагогический медицинский и социальный помощь|ппмс-центр`),
    example: 'центрам психолого-педагогической, медицинской и социальной помощи',
  },
  {
    id: 'pmpk',
    name: 'Психолого-медико-педагогические комиссии',
    type: 'other',
    level: null,
    key: kindKey(String.raw`(?:центральный |территориальный )?психолого-медико-педагогический комиссия`),
    example: 'ПМПК',
  },
  {
    id: 'students',
    name: 'Обучающиеся',
    type: 'participants',
    level: 'people',
    key: kindKey(String.raw`обучающийся|учащийся|школьник|студент`),
    example: 'обучающимся',
  },
  {
    id: 'institutes_of_education_development',
    name: 'Региональные институты развития образования',
    type: 'institute',
    level: 'regional',
    key: kindKey(String.raw`(?:региональный )?институт развитие образование|(?:региональный )?институт повышение квалификация(?: работник образование)?|организация дополнительный профессиональный образование`),
    example: 'региональным институтам развития образования',
    why: 'only in the plural: «Институту развития образования» in one region is that region’s institute (resolve.ts)',
  },
];

export function matchRule(rules: readonly BodyRule[], key: string): BodyRule | undefined {
  return rules.find((r) => r.key.test(key));
}
