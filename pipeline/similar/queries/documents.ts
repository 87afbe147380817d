import { resolve } from 'node:path';
import { ConfrecError } from '../../errors.js';
import type { Store } from '../../store/db.js';

export interface DocumentRef {
  doc_id: string;
  source_file: string;
  source_path: string;
  title: string | null;
  year: number | null;
}

const COLUMNS = 'doc_id, source_file, source_path, title, year';
const describe = (d: DocumentRef) => `${d.doc_id}  ${d.source_path}${d.title ? `  (${d.title}${d.year ? `, ${d.year}` : ''})` : ''}`;

/**
 * A current document named by its doc_id, its file name, its path, or a unique doc_id prefix.
 * Two files of one name in different folders are ambiguous: the error lists both with their
 * doc_ids, which are always unique.
 */
export async function resolveDocument(store: Store, name: string): Promise<DocumentRef> {
  const exact = await store.all<DocumentRef>(
    `SELECT ${COLUMNS} FROM current_documents WHERE (doc_id = $1 OR source_file = $1 OR source_path = $2) ORDER BY source_path`,
    [name, resolve(name)],
  );
  const byId = exact.filter((d) => d.doc_id === name);
  if (byId.length === 1) return byId[0];
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) {
    throw new ConfrecError(`"${name}" names ${exact.length} current documents:\n  ${exact.map(describe).join('\n  ')}`, {
      hint: 'name the document by its doc_id',
    });
  }
  const prefixed =
    /^[0-9a-f]{4,}$/i.test(name) ?
      await store.all<DocumentRef>(`SELECT ${COLUMNS} FROM current_documents WHERE starts_with(doc_id, $1) ORDER BY doc_id`, [name.toLowerCase()])
    : [];
  if (prefixed.length === 1) return prefixed[0];
  if (prefixed.length > 1) {
    throw new ConfrecError(`doc_id prefix "${name}" matches ${prefixed.length} documents:\n  ${prefixed.map(describe).join('\n  ')}`, {
      hint: 'give more digits of the doc_id',
    });
  }
  const similar = await store.all<DocumentRef>(
    `SELECT ${COLUMNS} FROM current_documents ORDER BY jaro_winkler_similarity(lower(source_file), lower($1)) DESC, source_path LIMIT 5`,
    [name],
  );
  throw new ConfrecError(
    similar.length ? `no current document named "${name}"; closest names:\n  ${similar.map(describe).join('\n  ')}` : `no current document named "${name}": the database has no documents`,
    { hint: similar.length ? 'name a document by its file name or doc_id (`confrec status` lists them)' : 'run `confrec run <folder>` first' },
  );
}
