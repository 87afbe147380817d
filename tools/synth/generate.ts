/**
 * Generates the synthetic corpus one document at a time: conference, intro with traps, operative
 * part, gold. Documents come out in year order so that planted near-duplicates always point back to
 * an earlier (or same-year) conference; a bounded reservoir of earlier recommendations feeds them.
 */
import type { ConferenceMeta } from '../../pipeline/store/types.js';
import { addresseesFor, chooseAddressees } from './addressees.js';
import { para, type DocBlock } from './blocks.js';
import { conferenceMeta, makeConference } from './conference.js';
import { chooseLayout, chooseOperativeStyle, chooseRenderStyle, chooseTraps, trapMarker } from './document.js';
import { copyParts, editRecommendation, type Edited, type EditKind } from './edits.js';
import type { Bullet, Layout, Wants } from './layout.js';
import { renderOperative } from './layout.js';
import { contentParagraph, renderClosing, renderHeader, renderIntro } from './narrative.js';
import { createRng, hash32, type Rng } from './random.js';
import { buildRecommendation, renderRecommendation, themesOf, topicsOf, type RecContext, type RecParts } from './recommendation.js';
import { renderBlocks } from './render.js';
import { FIRST_YEAR, LAST_YEAR, TOPICS, topicWeights, yearShare, type Topic } from './themes.js';
import { makeTrap, type TrapKind } from './traps.js';

export const SYNTH_VERSION = '1.0.0';

export interface SynthOptions {
  docs: number;
  seed: number;
  /** Share of documents written as markdown. */
  mdShare?: number;
  /** Share of recommendations that are planted near-duplicates of earlier ones. */
  plantedShare?: number;
}

/** One recommendation in the gold schema of tests/fixtures/gold. */
export interface GoldRecommendation {
  addressee: string | null;
  addressee_raw: string | null;
  text: string;
  verb: string;
  themes: string[];
  topics: string[];
}

export interface SynthGold {
  file: string;
  conference: ConferenceMeta;
  recommendations: GoldRecommendation[];
  not_recommendations: string[];
}

export interface PlantedPair {
  a: { file: string; seq: number };
  b: { file: string; seq: number };
  edit: string;
}

/** How one document was made: the index line in documents.jsonl. */
export interface DocInfo {
  file: string;
  path: string;
  year: number;
  focus: Topic;
  layout: Layout;
  bullet: Bullet;
  md: boolean;
  trigger: boolean;
  blank: string;
  wrap: number | null;
  noise: boolean;
  crlf: boolean;
  traps: TrapKind[];
  recommendations: number;
  planted: number;
}

export interface SynthDoc {
  index: number;
  text: string;
  gold: SynthGold;
  info: DocInfo;
  planted: PlantedPair[];
}

interface PoolItem {
  file: string;
  seq: number;
  parts: RecParts;
  addressee: string | null;
}

const POOL_SIZE = 2000;

/** Documents per year, in proportion to yearShare, by largest remainder (exactly `n` in total). */
export function yearPlan(n: number): number[] {
  const years: number[] = [];
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) years.push(y);
  const total = years.reduce((s, y) => s + yearShare(y), 0);
  const exact = years.map((y) => (n * yearShare(y)) / total);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const missing = n - counts.reduce((s, c) => s + c, 0);
  for (let k = 0; k < missing; k++) counts[order[k][1]]++;
  const plan: number[] = [];
  years.forEach((y, k) => {
    for (let j = 0; j < counts[k]; j++) plan.push(y);
  });
  return plan;
}

export function fileName(index: number, total: number, md: boolean): string {
  const width = Math.max(5, String(total).length);
  return `resolution-${String(index + 1).padStart(width, '0')}.${md ? 'md' : 'txt'}`;
}

function pickTopic(rng: Rng, weights: Record<Topic, number>, not?: Topic): Topic {
  return rng.weighted(TOPICS.filter((t) => t !== not).map((t) => [t, weights[t]] as const));
}

const norm = (s: string) => s.toLowerCase().replace(/ё/g, 'е');

/**
 * Yields the documents of a corpus in order. State between documents is the reservoir of earlier
 * recommendations (bounded) and a set of hashes of texts already used, so that the only repeated
 * texts are planted ones.
 */
export function* generateDocuments(opts: SynthOptions): Generator<SynthDoc> {
  const root = createRng(opts.seed);
  const poolRng = root.fork('pool');
  const mdShare = opts.mdShare ?? 0.08;
  const plantedShare = opts.plantedShare ?? 0.08;
  const plan = yearPlan(opts.docs);
  const pool: PoolItem[] = [];
  let originals = 0;
  const seen = new Set<number>();

  for (let i = 0; i < opts.docs; i++) {
    const rng = root.fork(`doc:${i}`);
    const year = plan[i];
    const weights = topicWeights(year);
    const focus = pickTopic(rng, weights);
    const c = makeConference(rng, year, focus);
    if (c.region.federalCity) c.cityNamed = true;
    const md = rng.chance(mdShare);
    const file = fileName(i, opts.docs, md);
    const ctx: RecContext = { year, regionGen: c.region.gen, at: `на ${c.kind.loc}` };

    // Recommendations: fresh ones drawn by topic, and planted copies of earlier ones.
    const n = rng.int(3, 12);
    const recs: RecParts[] = [];
    const copies = new Map<RecParts, { from: PoolItem; kind: EditKind; detail: string }>();
    const used = new Set<PoolItem>();
    const wants: Wants = new Map();
    for (let k = 0; k < n; k++) {
      if (pool.length && poolRng.chance(plantedShare)) {
        const from = poolRng.pick(pool);
        if (!used.has(from)) {
          used.add(from);
          // One copy in five keeps its words and changes only its addressee.
          const moveOnly = poolRng.chance(0.2);
          const e: Edited = moveOnly ? { parts: copyParts(from.parts), kind: 'exact', detail: 'exact' } : editRecommendation(from.parts, poolRng, ctx);
          wants.set(e.parts, moveOnly ? { avoid: from.addressee } : { same: from.addressee });
          recs.push(e.parts);
          copies.set(e.parts, { from, kind: e.kind, detail: e.detail });
          seen.add(hash32(norm(renderRecommendation(e.parts))));
          continue;
        }
      }
      let p: RecParts;
      let tries = 0;
      do {
        const topic = rng.chance(0.5) ? focus : pickTopic(rng, weights);
        const second = rng.chance(0.2) ? pickTopic(rng, weights, topic) : null;
        p = buildRecommendation(rng, topic, ctx, second);
      } while (seen.has(hash32(norm(renderRecommendation(p)))) && ++tries < 20);
      seen.add(hash32(norm(renderRecommendation(p))));
      recs.push(p);
    }

    const layout = chooseLayout(rng, md);
    const op = chooseOperativeStyle(rng, layout, c);
    const groupCount = layout === 'run-on' ? rng.int(1, 3) : rng.int(1, 5);
    const candidates = addresseesFor(c.region, year, c.kind.gen, rng);
    const addressees = chooseAddressees(candidates, groupCount, rng);
    // A copy keeps its original's addressee when this conference could name it too.
    for (const w of wants.values()) {
      const a = 'same' in w && w.same ? candidates.find((x) => x.nom === w.same) : undefined;
      if (a && !addressees.includes(a)) addressees.push(a);
    }
    addressees.sort((x, y) => x.rank - y.rank);
    const operative = renderOperative(op, recs, addressees, wants, c, rng);

    // The intro, with each trap placed whole between paragraphs, after the first one.
    const units: DocBlock[][] = renderIntro(c, rng).map((b) => [b]);
    const trapKinds = chooseTraps(rng);
    const marker = trapMarker(rng, op.bullet, md);
    const trapQuotes = new Map<DocBlock[], string[]>();
    for (const kind of trapKinds) {
      const trap = makeTrap(kind, c, rng, marker);
      units.splice(rng.int(1, units.length), 0, trap.blocks);
      trapQuotes.set(trap.blocks, trap.quotes);
    }
    // Without a trigger line nothing would separate a trap list from the operative list; resolutions
    // always have some sentence there.
    if (trapQuotes.has(units[units.length - 1]) && !op.trigger) units.push([para(contentParagraph(c, rng))]);
    const intro = units.flat();
    const quotes = [...units.flatMap((u) => trapQuotes.get(u) ?? []), ...operative.quotes];

    const blocks: DocBlock[] = [
      { type: 'header', lines: renderHeader(c, rng, md) },
      ...intro,
      ...operative.blocks,
      ...renderClosing(c, rng),
    ];
    const render = chooseRenderStyle(rng, md);
    const text = renderBlocks(blocks, render, rng);

    const recommendations: GoldRecommendation[] = operative.placed.map((p) => ({
      addressee: p.addressee,
      addressee_raw: p.addresseeRaw,
      text: p.text,
      verb: p.parts.verb,
      themes: themesOf(p.parts),
      topics: topicsOf(p.parts),
    }));

    const planted: PlantedPair[] = [];
    operative.placed.forEach((p, k) => {
      const copy = copies.get(p.parts);
      if (!copy) return;
      const kinds: string[] = copy.kind === 'exact' ? [] : [copy.kind];
      const details: string[] = copy.kind === 'exact' ? [] : [copy.detail.replace(/^[a-z-]+: /, '')];
      if (copy.from.addressee !== p.addressee) {
        kinds.push('addressee');
        details.push(`${copy.from.addressee ?? 'none'} → ${p.addressee ?? 'none'}`);
      }
      planted.push({
        a: { file: copy.from.file, seq: copy.from.seq },
        b: { file, seq: k + 1 },
        edit: kinds.length ? `${kinds.join('+')}: ${details.join('; ')}` : 'exact',
      });
    });

    // Reservoir sampling keeps a uniform sample of all earlier originals in bounded memory.
    operative.placed.forEach((p, k) => {
      if (copies.has(p.parts)) return;
      originals++;
      const entry = { file, seq: k + 1, parts: p.parts, addressee: p.addressee };
      if (pool.length < POOL_SIZE) pool.push(entry);
      else {
        const j = Math.floor(poolRng.next() * originals);
        if (j < POOL_SIZE) pool[j] = entry;
      }
    });

    // Documents live apart from the gold and index files, so `confrec run DIR/docs` reads only them.
    const path = `docs/${year}/${file}`;
    yield {
      index: i,
      text,
      gold: { file, conference: conferenceMeta(c), recommendations, not_recommendations: quotes },
      info: {
        file,
        path,
        year,
        focus,
        layout,
        bullet: op.bullet,
        md,
        trigger: op.trigger !== null,
        blank: render.blank,
        wrap: render.wrap,
        noise: render.noise,
        crlf: render.crlf,
        traps: trapKinds,
        recommendations: recommendations.length,
        planted: planted.length,
      },
      planted,
    };
  }
}
