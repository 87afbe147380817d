/**
 * The clusters stage's labelling helper (clusters/labelers/worker.ts), run in this thread: texts
 * prepared ahead (the head of the members), the rest sent with the label sample, and labels equal to
 * the labeler's own on the same texts — whether the helper prepared the whole head or was told early
 * which members the sample needs.
 */
import { describe, it, expect } from 'vitest';
import { runLabelTask, type LabelTask } from '../../pipeline/clusters/labelers/worker.js';
import { createLabeler } from '../../pipeline/clusters/labelers/index.js';

const TEXTS = [
  'Обеспечить психолого-педагогическое сопровождение детей с ограниченными возможностями здоровья',
  'Развивать систему выявления и поддержки одарённых детей через олимпиады и конкурсы',
  'Организовать консультирование родителей по вопросам воспитания детей',
  'Создать условия для инклюзивного образования обучающихся с ОВЗ',
  'Проводить муниципальные олимпиады для одарённых обучающихся',
  'Повысить педагогическую компетентность родителей через родительские собрания',
  'Расширить сеть ресурсных центров для детей с ОВЗ',
  'Поддержать участие одарённых школьников в региональных конкурсах',
  'Развивать семейное воспитание и просвещение родителей',
];

describe('the labelling helper', () => {
  it.each([{ labeler: 'phrase' }, { labeler: 'ctfidf' }])('labels as the $labeler labeler does on the same texts, with the head prepared ahead', async ({ labeler }) => {
    // Three clusters; members 0–5 are the head, 6–8 come with the sample.
    const clusters: [number, number[]][] = [
      [1, [0, 3, 6]],
      [2, [1, 4, 7]],
      [3, [2, 5, 8]],
    ];
    const expected = await createLabeler(labeler).label(new Map(clusters.map(([c, list]) => [c, list.map((i) => TEXTS[i])])));
    for (const early of [false, true]) {
      const need = new SharedArrayBuffer(4 + 6);
      if (early) {
        // The sample is known before the helper starts: member 1 of the head is not needed.
        const wanted = new Uint8Array(need, 4);
        for (const i of [0, 2, 3, 4, 5]) wanted[i] = 1;
        Atomics.store(new Int32Array(need, 0, 1), 0, 1);
      }
      const prepare: LabelTask = { op: 'prepare', labeler, texts: TEXTS.slice(0, 6), need };
      expect(await runLabelTask(prepare)).toBe(early ? 5 : 6);
      // Member 1 is sampled after all (early: not prepared, so it must come as an extra text).
      const label: LabelTask = { op: 'label', labeler, clusters, extra: [6, 7, 8, ...(early ? [1] : [])].map((i) => [i, TEXTS[i]]) };
      const got = new Map((await runLabelTask(label)) as [number, unknown][]);
      expect(got).toEqual(expected);
    }
  });
});
