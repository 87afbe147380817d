/**
 * Freshness for readers: is the output of a stage what a run would write now, and if not, why and
 * which command brings it up to date? Every command that shows stored results (duplicates, similar,
 * compare, report, status — and the explorer's serve and check) asks here, so they all give the same
 * answer. The comparison itself is store/freshness.ts; each stage declares its fingerprint
 * (PipelineStage.fingerprint) and the stages it reads (PipelineStage.after).
 */
import { DOWNSTREAM_STAGES } from './pipeline.js';
import type { AnyStage } from './stages.js';
import type { Store } from './store/db.js';
import { checkFreshness, type FreshnessStatus } from './store/freshness.js';

export interface StageFreshness {
  stage: string;
  /** True when the stage's output is what a run would write now (and so is everything it reads). */
  fresh: boolean;
  /** The stage's own comparison: fresh, inputs-changed, config-changed or never-ran. */
  status: FreshnessStatus;
  /** Stale stages it reads, in pipeline order (empty when they are all fresh). */
  staleUpstream: string[];
  /** For people: why it is stale, e.g. "data/synonyms.json changed since the last run". Empty when fresh. */
  reason: string;
  /** The same in Russian, for the explorer's pages and other text for people who read Russian. */
  reasonRu: string;
  /** The command that makes it fresh (several stages: `confrec run <folder>`), or null when fresh. */
  refreshCommand: string | null;
  /** The run whose output is stored (null: never ran). */
  lastRunId: number | null;
}

/** What people call the parts of a fingerprint. */
const PART_NAMES: Record<string, string> = {
  'config.synonyms': 'the synonym groups (data/synonyms.json) changed',
  'config.themes': 'the theme definitions (data/themes.json) changed',
  'config.model': 'the theme calibration (data/theme-calibration.json) changed',
  'config.threshold': 'the near-duplicate threshold changed (data/near-duplicate-calibration.json or --threshold)',
  'config.embedder': 'the embedding space changed (the embedder or its fitted lexical space)',
  'config.version': 'confrec computes it differently now (a newer version)',
  'config.segmenter': 'the segmentation rules changed (a newer version)',
  'config.method': 'the pair method changed',
  'inputs.recommendations': 'the recommendations changed',
  'inputs.segment_run': 'documents were segmented again',
  'inputs.texts': 'recommendation texts were added or removed',
  'inputs.documents': 'documents were added or replaced',
};

/** PART_NAMES in Russian (the explorer's pages are Russian). */
const PART_NAMES_RU: Record<string, string> = {
  'config.synonyms': 'изменились группы синонимов (data/synonyms.json)',
  'config.themes': 'изменились определения тем (data/themes.json)',
  'config.model': 'изменилась калибровка тем (data/theme-calibration.json)',
  'config.threshold': 'изменился порог почти-дубликатов (data/near-duplicate-calibration.json или --threshold)',
  'config.embedder': 'изменилось пространство векторов (эмбеддер или его обученное лексическое пространство)',
  'config.version': 'новая версия confrec считает это иначе',
  'config.segmenter': 'изменились правила сегментации (новая версия)',
  'config.method': 'изменился способ поиска пар',
  'inputs.recommendations': 'изменились рекомендации',
  'inputs.segment_run': 'документы сегментированы заново',
  'inputs.texts': 'добавились или исчезли тексты рекомендаций',
  'inputs.documents': 'добавились или заменены документы',
};

function describeRu(changed: string[], status: FreshnessStatus): string {
  if (status === 'never-ran') return 'этап ещё не выполнялся на этой базе (или выполнялся до того, как confrec стал записывать свежесть)';
  const parts = changed.map((c) => PART_NAMES_RU[c] ?? (c.startsWith('inputs.') ? `изменились входные данные (${c.slice(7)})` : `изменилась настройка ${c.slice(7)}`));
  return [...new Set(parts)].join('; ') + ' после последнего запуска';
}

function describe(changed: string[], status: FreshnessStatus): string {
  if (status === 'never-ran') return 'it has not run on this database yet (or ran before freshness was recorded)';
  const parts = changed.map((c) => PART_NAMES[c] ?? (c.startsWith('inputs.') ? `its input ${c.slice(7)} changed` : `its setting ${c.slice(7)} changed`));
  return [...new Set(parts)].join('; ') + ' since its last run';
}

function findStage(name: string): AnyStage {
  const stage = DOWNSTREAM_STAGES.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage named "${name}"`);
  return stage;
}

/** The folder the last ingest read (for `confrec run <folder>`), or a placeholder. */
async function lastFolder(store: Store): Promise<string> {
  const dir = await store.scalar<string | null>(`SELECT json_extract_string(params, '$.dir') FROM latest_runs WHERE stage = 'ingest'`);
  return dir ? (/[\s'"$`\\]/.test(dir) ? `'${dir.replace(/'/g, `'\\''`)}'` : dir) : '<folder>';
}

/**
 * One stage's freshness, with its default options (what `confrec run` would do), including the
 * stages it reads: a stage whose input stage is stale is stale too.
 */
export async function stageFreshness(store: Store, name: string, cache = new Map<string, StageFreshness>()): Promise<StageFreshness> {
  const known = cache.get(name);
  if (known) return known;
  const stage = findStage(name);
  const own = await checkFreshness(store, stage.name, await stage.fingerprint(store, stage.parseOptions({})));
  const upstream: StageFreshness[] = [];
  for (const u of stage.after) upstream.push(await stageFreshness(store, u, cache));
  const staleUpstream = [...new Set(upstream.filter((u) => !u.fresh).flatMap((u) => [...u.staleUpstream, u.stage]))];
  const ownFresh = own.status === 'fresh';
  const fresh = ownFresh && staleUpstream.length === 0;
  const reasons = [
    ...(staleUpstream.length ? [`${staleUpstream.join(', ')} ${staleUpstream.length > 1 ? 'are' : 'is'} stale`] : []),
    ...(ownFresh ? [] : [describe(own.changed, own.status)]),
  ];
  const reasonsRu = [
    ...(staleUpstream.length ? [staleUpstream.length > 1 ? `устарели этапы ${staleUpstream.join(', ')}` : `устарел этап ${staleUpstream[0]}`] : []),
    ...(ownFresh ? [] : [describeRu(own.changed, own.status)]),
  ];
  const toRun = [...staleUpstream, ...(fresh ? [] : [stage.name])];
  const refreshCommand = fresh ? null : toRun.length > 1 ? `confrec run ${await lastFolder(store)}` : stage.refresh;
  const result: StageFreshness = {
    stage: stage.name,
    fresh,
    status: own.status,
    staleUpstream,
    reason: reasons.join('; '),
    reasonRu: reasonsRu.join('; '),
    refreshCommand,
    lastRunId: own.last?.runId ?? null,
  };
  cache.set(name, result);
  return result;
}

/** Every downstream stage, in pipeline order (what `confrec status` shows). */
export async function pipelineFreshness(store: Store): Promise<StageFreshness[]> {
  const cache = new Map<string, StageFreshness>();
  const out: StageFreshness[] = [];
  for (const s of DOWNSTREAM_STAGES) out.push(await stageFreshness(store, s.name, cache));
  return out;
}

/** One line for stale results (`what` is plural: "the near-duplicates"): why, and the command that refreshes them. */
export function staleLine(what: string, f: StageFreshness): string {
  return `${what} are stale: ${f.reason} — run \`${f.refreshCommand}\` to bring them up to date`;
}

/**
 * For commands that read a stage's output without running it (similar, compare, report…): one
 * warning line when it is stale. Returns the freshness so a caller can say more.
 */
export async function warnIfStale(store: Store, stage: string, what: string, log: { warn(line: string): void }, command: string): Promise<StageFreshness> {
  const f = await stageFreshness(store, stage);
  if (!f.fresh) log.warn(`${command}: ${staleLine(what, f)}`);
  return f;
}

/**
 * One line for a reader of several stages (the report): which of them are stale, the root causes
 * (the stages stale on their own account, not only because of what they read) and one command.
 * null when all are fresh.
 */
export async function staleStagesLine(store: Store, stages: readonly string[]): Promise<string | null> {
  const cache = new Map<string, StageFreshness>();
  const all: StageFreshness[] = [];
  for (const s of stages) all.push(await stageFreshness(store, s, cache));
  const stale = all.filter((f) => !f.fresh);
  if (stale.length === 0) return null;
  // Every stale stage and what it reads, in pipeline order, with the reason of each that changed itself.
  const order = DOWNSTREAM_STAGES.map((s) => s.name);
  const involved = [...new Set(stale.flatMap((f) => [...f.staleUpstream, f.stage]))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const roots = involved.map((s) => cache.get(s)!).filter((f) => f.status !== 'fresh');
  // Stages with the same reason are named together ("segment, embed: it has not run …").
  const byReason = new Map<string, string[]>();
  for (const f of roots) {
    const own = f.reason.split('; ').filter((r) => !/ stale$/.test(r)).join('; ');
    byReason.set(own, [...(byReason.get(own) ?? []), f.stage]);
  }
  const reasons = [...byReason].map(([reason, names]) => `${names.join(', ')}: ${reason}`);
  const command = involved.length > 1 ? `confrec run ${await lastFolder(store)}` : cache.get(involved[0])!.refreshCommand;
  return `${involved.join(', ')} ${involved.length > 1 ? 'are' : 'is'} stale (${reasons.join('; ')}) — run \`${command}\``;
}
