/**
 * Operative verbs grouped by what they ask for. The director's question behind section 6 is "do our
 * conferences keep asking to continue what exists, or to start something new?", so the two classes
 * that answer it come first; the others keep the profile complete instead of hiding half the verbs.
 *
 * | class          | reads as                                | typical verbs                                  |
 * |----------------|-----------------------------------------|------------------------------------------------|
 * | continuation   | keep, extend or improve what exists      | продолжить, сохранить, поддерживать, развивать |
 * | initiative     | create or introduce something new        | разработать, создать, внедрить, организовать   |
 * | provision      | secure resources, conditions, help       | обеспечить, оказывать, содействовать           |
 * | dissemination  | inform, publish, spread practice         | информировать, распространять, опубликовать    |
 * | review         | consider or study (no commitment yet)    | рассмотреть, изучить, проанализировать         |
 * | other          | any verb not listed, or no verb found    | —                                              |
 *
 * Both aspects of a verb are listed (внедрить/внедрять): the segmenter stores the infinitive as written.
 */
export const VERB_CLASSES = [
  {
    id: 'continuation',
    label: 'продолжение начатого',
    meaning: 'сохранить, расширить или улучшить то, что уже делается',
    verbs: [
      'продолжить', 'продолжать', 'сохранить', 'сохранять', 'поддерживать', 'поддержать', 'развивать', 'развить',
      'совершенствовать', 'усовершенствовать', 'укреплять', 'укрепить', 'расширять', 'расширить', 'активизировать',
      'усилить', 'усиливать', 'актуализировать', 'обновить', 'обновлять',
    ],
  },
  {
    id: 'initiative',
    label: 'новые инициативы',
    meaning: 'создать или ввести то, чего ещё нет',
    verbs: [
      'разработать', 'разрабатывать', 'создать', 'создавать', 'внедрить', 'внедрять', 'организовать', 'организовывать',
      'провести', 'проводить', 'открыть', 'открывать', 'ввести', 'вводить', 'инициировать', 'запустить', 'сформировать',
      'формировать', 'подготовить', 'учредить', 'включить', 'включать', 'предусмотреть',
    ],
  },
  {
    id: 'provision',
    label: 'обеспечение и содействие',
    meaning: 'дать ресурсы, условия, помощь',
    verbs: [
      'обеспечить', 'обеспечивать', 'оказывать', 'оказать', 'содействовать', 'способствовать', 'осуществлять',
      'осуществить', 'реализовывать', 'реализовать', 'использовать', 'уделять', 'уделить', 'привлекать', 'привлечь',
    ],
  },
  {
    id: 'dissemination',
    label: 'информирование и распространение опыта',
    meaning: 'сообщить, опубликовать, передать практику другим',
    verbs: [
      'информировать', 'распространять', 'распространить', 'опубликовать', 'публиковать', 'обобщить', 'обобщать',
      'транслировать', 'освещать', 'осветить', 'представить', 'представлять',
    ],
  },
  {
    id: 'review',
    label: 'рассмотреть и изучить',
    meaning: 'обсудить или изучить вопрос, пока без обязательства действовать',
    verbs: ['рассмотреть', 'рассматривать', 'изучить', 'изучать', 'проанализировать', 'анализировать'],
  },
] as const;

export type VerbClassId = (typeof VERB_CLASSES)[number]['id'] | 'other';

export const OTHER_CLASS = { id: 'other' as const, label: 'другие глаголы или глагол не найден', meaning: 'глагол не из списков выше или не распознан' };

export const VERB_CLASS_LABELS: Record<VerbClassId, string> = {
  ...Object.fromEntries(VERB_CLASSES.map((c) => [c.id, c.label])),
  other: OTHER_CLASS.label,
} as Record<VerbClassId, string>;

export const VERB_CLASS_ORDER: VerbClassId[] = [...VERB_CLASSES.map((c) => c.id), 'other'];

/** Two parallel arrays for the SQL join (verbs, classes): lists bind as parameters, never as SQL text. */
export function verbClassParams(): [string[], string[]] {
  const verbs: string[] = [];
  const classes: string[] = [];
  for (const c of VERB_CLASSES) {
    for (const v of c.verbs) {
      verbs.push(v);
      classes.push(c.id);
    }
  }
  return [verbs, classes];
}

export function verbClassOf(verb: string | null): VerbClassId {
  if (!verb) return 'other';
  for (const c of VERB_CLASSES) if ((c.verbs as readonly string[]).includes(verb)) return c.id;
  return 'other';
}
