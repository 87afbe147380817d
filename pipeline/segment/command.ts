import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CommandSpec } from '../command.js';
import { ConfrecError } from '../errors.js';
import { readDocument } from '../ingest/readers.js';
import { withStore } from '../store/db.js';
import { loadMorph } from '../text/morph.js';
import { normaliseText } from '../text/normalise.js';
import { segmentDocument, type SegmentInput } from './document.js';
import { formatExplain, formatRules } from './explain.js';
import { segmentStage } from './stage.js';

/** The document to explain: a current document by doc_id, file name or path; else a file on disk. */
async function explainTarget(dbPath: string, target: string): Promise<{ input: SegmentInput; name: string }> {
  const inDb = await stat(dbPath).then(() => true, () => false);
  if (inDb) {
    const found = await withStore(
      dbPath,
      async (store) => {
        const doc = await store.one<{ doc_id: string; source_file: string; text: string; source_path: string }>(
          `SELECT doc_id, source_file, text, source_path FROM current_documents
           WHERE (doc_id = $1 OR source_file = $1 OR source_path = $1 OR source_path LIKE '%/' || $1)
           ORDER BY doc_id LIMIT 1`,
          [target],
        );
        if (!doc) return null;
        const c = await store.one<{ content: string; sidecar_path: string }>(
          `SELECT content, sidecar_path FROM segment_corrections WHERE source_path = $1`,
          [doc.source_path],
        );
        return { input: { text: doc.text, corrections: c ? { content: c.content, file: c.sidecar_path } : null }, name: `${doc.source_file} [${doc.doc_id}]` };
      },
      { readOnly: true },
    );
    if (found) return found;
  }
  const bytes = await readFile(target).catch(() => null);
  if (!bytes) {
    throw new ConfrecError(`no current document with that doc_id or file name, and no such file: ${target}`, {
      hint: 'give a doc_id or file name from `confrec status`/`confrec export documents`, or a path to a resolution',
    });
  }
  const raw = await readDocument(target, bytes);
  const sidecar = target.replace(/\.[^./]+$/, '') + '.segments.json';
  const corrections = await readFile(sidecar, 'utf8').then((content) => ({ content, file: sidecar }), () => null);
  return { input: { text: normaliseText(raw.text), corrections }, name: `${basename(target)} (read from the file, not the database)` };
}

export const segmentCommand: CommandSpec = {
  name: 'segment',
  summary: 'split every ingested resolution into recommendations; --explain shows why, line by line; --rules lists the rules',
  usage: 'confrec segment [--all] [--explain <doc_id|file>] [--rules] [--db FILE]',
  options: { ...segmentStage.flags, explain: { type: 'string' }, rules: { type: 'boolean' } },
  positionals: [0, 0],
  async run({ values }, ctx) {
    if (values.rules) {
      process.stdout.write(formatRules() + '\n');
      return;
    }
    if (typeof values.explain === 'string') {
      const { input, name } = await explainTarget(ctx.dbPath, values.explain);
      const morph = await loadMorph();
      const { seg, correctionError } = segmentDocument(input, morph);
      if (correctionError) ctx.log.warn(`correction not applied — ${correctionError.toLine()}`);
      process.stdout.write(formatExplain(input.text, seg, `${name}${input.corrections ? `, corrections from ${input.corrections.file}` : ''}`) + '\n');
      return;
    }
    const summary = await withStore(ctx.dbPath, (store) =>
      segmentStage.run(store, { log: ctx.log, quiet: ctx.quiet, options: segmentStage.parseOptions(values) }),
    );
    ctx.log.info(summary.line);
  },
};
