/**
 * Synonym swaps in the same grammatical form: the kind of wording change a later resolution makes
 * when it re-uses an earlier proposal. The threshold calibration (edits.ts) makes its "synonym"
 * edits with them, and the synthetic-corpus generator (tools/synth) plants near-duplicates with the
 * same lists, so both speak of one kind of edit.
 */

/** Aspect pairs and near-synonymous verbs that govern the same case: the near-duplicate editor swaps them. */
export const VERB_SWAPS: Record<string, string> = {
  обеспечить: 'обеспечивать',
  обеспечивать: 'обеспечить',
  продолжить: 'продолжать',
  продолжать: 'продолжить',
  создать: 'создавать',
  создавать: 'создать',
  разработать: 'разрабатывать',
  разрабатывать: 'разработать',
  внедрять: 'внедрить',
  внедрить: 'внедрять',
  провести: 'проводить',
  проводить: 'провести',
  организовать: 'организовывать',
  организовывать: 'организовать',
  содействовать: 'способствовать',
  способствовать: 'содействовать',
  развивать: 'совершенствовать',
  совершенствовать: 'развивать',
  активизировать: 'усилить',
};

/** Word-for-word synonyms in the same grammatical form. */
export const WORD_SWAPS: Record<string, string> = {
  обучающихся: 'учащихся',
  обучающимися: 'учащимися',
  обучающимся: 'учащимся',
  школьников: 'учащихся',
  педагогов: 'учителей',
  эффективных: 'результативных',
  лучших: 'передовых',
  передового: 'лучшего',
  развитие: 'совершенствование',
  развития: 'совершенствования',
  развитию: 'совершенствованию',
  организаций: 'учреждений',
  систему: 'модель',
  системы: 'модели',
  работу: 'деятельность',
  региона: 'субъекта',
  детей: 'воспитанников',
  особое: 'приоритетное',
  молодёжи: 'молодого поколения',
  специалистов: 'работников',
};
