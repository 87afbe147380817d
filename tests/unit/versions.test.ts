import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { cachedHash, decideVersions, newDocId, statMatches, touchedShas, versionsFor, type ObservedFile, type StoredVersion, type VersionDecision } from '../../pipeline/ingest/versions.js';
import { sha256Hex } from '../../pipeline/store/hash.js';

const sha = (content: string) => sha256Hex(content);
const file = (path: string, content: string, file_type = 'txt'): ObservedFile => ({ path, sha256: sha(content), file_type });

/**
 * What ingest's transaction does with the decisions, on plain rows: the model the property below
 * checks (the stage tests check that the SQL does the same).
 */
function apply(stored: StoredVersion[], observed: ObservedFile[], decisions: VersionDecision[]): StoredVersion[] {
  const rows = stored.map((r) => ({ ...r }));
  const byId = new Map(rows.map((r) => [r.doc_id, r]));
  decisions.forEach((d, i) => {
    if (d.kind === 'new') {
      if (d.supersedes) byId.get(d.supersedes)!.is_current = false;
      const row = { doc_id: d.doc_id, sha256: d.sha256, source_path: d.path, is_current: true, file_type: observed[i].file_type };
      rows.push(row);
      byId.set(d.doc_id, row);
    } else if (d.kind === 'revived') {
      if (d.supersedes) byId.get(d.supersedes)!.is_current = false;
      byId.get(d.doc_id)!.is_current = true;
    } else if (d.kind === 'moved') {
      for (const r of rows) if (r.source_path === d.from) r.source_path = d.path;
    }
  });
  return rows;
}

function currentAt(rows: StoredVersion[], path: string): StoredVersion[] {
  return rows.filter((r) => r.is_current && r.source_path === path);
}

describe('decideVersions: file identity is (path, version)', () => {
  it('a new file keeps the historical doc_id (first 16 hex of its sha256); the same file again is unchanged', () => {
    const [d] = decideVersions([], [file('/c/a.txt', 'A')]);
    expect(d).toEqual({ kind: 'new', path: '/c/a.txt', sha256: sha('A'), doc_id: sha('A').slice(0, 16), supersedes: null, textFrom: null });
    const stored = apply([], [file('/c/a.txt', 'A')], [d]);
    expect(decideVersions(stored, [file('/c/a.txt', 'A')])).toEqual([{ kind: 'unchanged', path: '/c/a.txt', doc_id: d.doc_id }]);
  });

  it('identical bytes at two paths are two documents; the second reads its text from the first', () => {
    const obs = [file('/c/b.txt', 'same'), file('/c/a.txt', 'same')];
    const [b, a] = decideVersions([], obs);
    expect(a).toMatchObject({ kind: 'new', doc_id: sha('same').slice(0, 16), textFrom: null });
    expect(b).toMatchObject({ kind: 'new', textFrom: a.kind === 'new' ? a.doc_id : '' });
    expect(b.kind === 'new' && b.doc_id).not.toBe(a.kind === 'new' && a.doc_id);
  });

  it('equal bytes under another reader (.txt vs .md) are not a copy', () => {
    const [a, b] = decideVersions([], [file('/c/a.txt', 'same'), file('/c/a.md', 'same', 'md')]);
    expect(a).toMatchObject({ kind: 'new', textFrom: null });
    expect(b).toMatchObject({ kind: 'new', textFrom: null });
  });

  it('editing one of two identical files retires only its own version (issue 10 §2)', () => {
    const obs1 = [file('/c/a.txt', 'same'), file('/c/b.txt', 'same')];
    const rows1 = apply([], obs1, decideVersions([], obs1));
    const obs2 = [file('/c/a.txt', 'same + one line'), file('/c/b.txt', 'same')];
    const d2 = decideVersions(rows1, obs2);
    expect(d2[1]).toMatchObject({ kind: 'unchanged', doc_id: currentAt(rows1, '/c/b.txt')[0].doc_id });
    expect(d2[0]).toMatchObject({ kind: 'new', supersedes: currentAt(rows1, '/c/a.txt')[0].doc_id, textFrom: null });
    const rows2 = apply(rows1, obs2, d2);
    expect(currentAt(rows2, '/c/b.txt').map((r) => r.sha256)).toEqual([sha('same')]);
    expect(rows2.filter((r) => r.is_current)).toHaveLength(2);
  });

  it('a database made before (path, version) identity: the stored row stands for the first path, the second path becomes a copy', () => {
    // Today's main stored a.txt and b.txt (same bytes) as one row whose source_path is a.txt.
    const stored: StoredVersion[] = [{ doc_id: sha('same').slice(0, 16), sha256: sha('same'), source_path: '/c/a.txt', is_current: true, file_type: 'txt' }];
    const d = decideVersions(stored, [file('/c/a.txt', 'same'), file('/c/b.txt', 'same')]);
    expect(d[0]).toEqual({ kind: 'unchanged', path: '/c/a.txt', doc_id: stored[0].doc_id });
    expect(d[1]).toMatchObject({ kind: 'new', textFrom: stored[0].doc_id, supersedes: null });
  });

  it('a file changed back revives its earlier version', () => {
    const v1 = [file('/c/a.txt', 'v1')];
    const rows1 = apply([], v1, decideVersions([], v1));
    const v2 = [file('/c/a.txt', 'v2')];
    const rows2 = apply(rows1, v2, decideVersions(rows1, v2));
    const d3 = decideVersions(rows2, v1);
    expect(d3).toEqual([{ kind: 'revived', path: '/c/a.txt', doc_id: rows1[0].doc_id, supersedes: currentAt(rows2, '/c/a.txt')[0].doc_id }]);
  });

  it('a renamed file (old path gone) keeps its doc_id; with the old file still there it is a copy', () => {
    const v = [file('/c/a.txt', 'A')];
    const rows = apply([], v, decideVersions([], v));
    expect(decideVersions(rows, [file('/d/a.txt', 'A')], new Set(['/c/a.txt']))).toEqual([
      { kind: 'moved', path: '/d/a.txt', doc_id: rows[0].doc_id, from: '/c/a.txt' },
    ]);
    expect(decideVersions(rows, [file('/d/a.txt', 'A')], new Set())[0]).toMatchObject({ kind: 'new', textFrom: rows[0].doc_id });
    // Two new paths with the bytes of one vanished file: one is the move, the other a copy of it.
    const two = decideVersions(rows, [file('/d/y.txt', 'A'), file('/d/x.txt', 'A')], new Set(['/c/a.txt']));
    expect(two[1]).toMatchObject({ kind: 'moved', doc_id: rows[0].doc_id });
    expect(two[0]).toMatchObject({ kind: 'new', textFrom: rows[0].doc_id });
  });

  it('doc_ids stay unique when a prefix is taken', () => {
    const taken = new Set([sha('X').slice(0, 16)]);
    const id = newDocId(sha('X'), '/c/x.txt', taken);
    expect(id).toHaveLength(16);
    expect(taken.has(id)).toBe(false);
    expect(newDocId(sha('X'), '/c/x.txt', taken)).toBe(id);
  });

  it('cachedHash trusts size and mtime only for a hash stored at this path, never with --rehash', () => {
    const cached = { size: 10, mtime_ms: 5, sha256: 'h1' };
    expect(cachedHash(cached, { size: 10, mtimeMs: 5 }, new Set(['h1']), false)).toBe('h1');
    expect(cachedHash(cached, { size: 10, mtimeMs: 5 }, new Set(['h1']), true)).toBeNull();
    expect(cachedHash(cached, { size: 11, mtimeMs: 5 }, new Set(['h1']), false)).toBeNull();
    expect(cachedHash(cached, { size: 10, mtimeMs: 6 }, new Set(['h1']), false)).toBeNull();
    expect(cachedHash(cached, { size: 10, mtimeMs: 5 }, new Set(['h0']), false)).toBeNull();
    expect(cachedHash(undefined, { size: 10, mtimeMs: 5 }, new Set(['h1']), false)).toBeNull();
  });

  it('cachedHash also wants the inode and ctime of a file on disk; a row recorded without them means reading once more', () => {
    const cached = { size: 10, mtime_ms: 5, sha256: 'h1', ino: 77, ctime_ms: 9 };
    const at = new Set(['h1']);
    expect(cachedHash(cached, { size: 10, mtimeMs: 5, ino: 77, ctimeMs: 9 }, at, false)).toBe('h1');
    // replaced by another file with the same size and mtime (cp -p, rsync, save by rename)
    expect(cachedHash(cached, { size: 10, mtimeMs: 5, ino: 78, ctimeMs: 9 }, at, false)).toBeNull();
    // written in place and its mtime set back (touch -d): the ctime moved on
    expect(cachedHash(cached, { size: 10, mtimeMs: 5, ino: 77, ctimeMs: 12 }, at, false)).toBeNull();
    // a row of an older database (no inode, no ctime)
    expect(cachedHash({ size: 10, mtime_ms: 5, sha256: 'h1', ino: null, ctime_ms: null }, { size: 10, mtimeMs: 5, ino: 77, ctimeMs: 9 }, at, false)).toBeNull();
    // an archive member has no inode of its own: size and its archive's mtime decide
    expect(cachedHash({ size: 10, mtime_ms: 5, sha256: 'h1', ino: null, ctime_ms: null }, { size: 10, mtimeMs: 5 }, at, false)).toBe('h1');
  });

  it('over any history of folder states: one current version per present path with its bytes, others untouched (property)', () => {
    const paths = ['/c/a.txt', '/c/b.txt', '/c/c.txt', '/d/a.txt'];
    const state = fc.dictionary(fc.constantFrom(...paths), fc.constantFrom('x', 'y', 'z'), { minKeys: 1 });
    fc.assert(
      fc.property(fc.array(state, { minLength: 1, maxLength: 6 }), (history) => {
        let rows: StoredVersion[] = [];
        for (const folder of history) {
          const observed = Object.entries(folder).map(([p, c]) => file(p, c));
          const present = new Set(observed.map((o) => o.path));
          const gone = new Set(rows.map((r) => r.source_path).filter((p) => !present.has(p)));
          const before = new Map([...gone].map((p) => [p, currentAt(rows, p).map((r) => r.doc_id)]));
          const decisions = decideVersions(rows, observed, gone);
          // Determinism: the order files are listed in does not matter.
          const reversed = decideVersions(rows, [...observed].reverse(), gone).reverse();
          if (JSON.stringify(reversed) !== JSON.stringify(decisions)) return false;
          rows = apply(rows, observed, decisions);
          for (const o of observed) {
            const cur = currentAt(rows, o.path);
            if (cur.length !== 1 || cur[0].sha256 !== o.sha256) return false;
          }
          if (new Set(rows.map((r) => r.doc_id)).size !== rows.length) return false;
          // Files that vanished keep their current version unless it moved to a present path.
          const moved = new Set(decisions.flatMap((d) => (d.kind === 'moved' ? [d.from] : [])));
          for (const [p, ids] of before) {
            if (moved.has(p)) continue;
            if (JSON.stringify(currentAt(rows, p).map((r) => r.doc_id)) !== JSON.stringify(ids)) return false;
          }
          // Ingesting the same folder again changes nothing.
          if (decideVersions(rows, observed, new Set()).some((d) => d.kind !== 'unchanged')) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('settling unchanged files outside decideVersions (ingest re-runs read only the other files\' versions)', () => {
  it('the unchanged files settled and the rest decided over versionsFor them give every decision of the full call, over any history (property)', () => {
    const paths = ['/c/a.txt', '/c/b.txt', '/c/c.txt', '/d/a.txt', '/d/e.md'];
    const state = fc.dictionary(fc.constantFrom(...paths), fc.constantFrom('x', 'y', 'z'), { minKeys: 1 });
    let settledSome = 0;
    fc.assert(
      fc.property(fc.array(state, { minLength: 1, maxLength: 7 }), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), (history, settle) => {
        let rows: StoredVersion[] = [];
        for (const folder of history) {
          const observed = Object.entries(folder).map(([p, c]) => file(p, c, p.endsWith('.md') ? 'md' : 'txt'));
          const present = new Set(observed.map((o) => o.path));
          const gone = new Set(rows.map((r) => r.source_path).filter((p) => !present.has(p)));
          const full = decideVersions(rows, observed, gone);
          // Ingest settles a file whose bytes are its path's current version (when its stat says so: `settle`).
          const settled = new Map<string, string>();
          observed.forEach((o, i) => {
            const cur = currentAt(rows, o.path)[0];
            if (settle[i % settle.length] && cur?.sha256 === o.sha256) settled.set(o.path, cur.doc_id);
          });
          settledSome += settled.size;
          const rest = observed.filter((o) => !settled.has(o.path));
          const few = versionsFor(rows, new Set(rest.map((o) => o.path)), new Set(rest.map((o) => o.sha256)));
          const decided = decideVersions(few, rest, gone, { paths: settled, docIds: new Set(rows.map((r) => r.doc_id)) });
          const at = new Map(rest.map((o, i) => [o.path, decided[i]]));
          const merged = observed.map((o) => (settled.has(o.path) ? { kind: 'unchanged', path: o.path, doc_id: settled.get(o.path) } : at.get(o.path)));
          if (JSON.stringify(merged) !== JSON.stringify(full)) return false;
          const sorted = (set: Set<string>) => JSON.stringify([...set].sort());
          if (sorted(touchedShas(full, observed, rows)) !== sorted(touchedShas(merged as VersionDecision[], rest, few))) return false;
          rows = apply(rows, observed, full);
        }
        return true;
      }),
      { numRuns: 300 },
    );
    expect(settledSome).toBeGreaterThan(0);
  });

  it('statMatches is the stat half of cachedHash', () => {
    expect(statMatches({ size: 10, mtime_ms: 5, ino: 7, ctime_ms: 9 }, { size: 10, mtimeMs: 5, ino: 7, ctimeMs: 9 })).toBe(true);
    expect(statMatches({ size: 10, mtime_ms: 5, ino: 7, ctime_ms: 9 }, { size: 10, mtimeMs: 5, ino: 8, ctimeMs: 9 })).toBe(false);
    expect(statMatches({ size: 10, mtime_ms: 5, ino: null, ctime_ms: null }, { size: 10, mtimeMs: 5 })).toBe(true);
    expect(statMatches({ size: 10, mtime_ms: 5 }, { size: 11, mtimeMs: 5 })).toBe(false);
  });
});

/** copy_of as ingest's SQL computes it, over the partitions (bytes, reader) whose bytes are in `only` (all when null). */
function copyOf(rows: StoredVersion[], runOf: Map<string, number>, only: Set<string> | null): Map<string, string | null> {
  const groups = new Map<string, StoredVersion[]>();
  for (const r of rows) {
    if (!r.is_current || (only && !only.has(r.sha256))) continue;
    const k = `${r.sha256}\n${r.file_type}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const out = new Map<string, string | null>();
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  for (const g of groups.values()) {
    g.sort((a, b) => runOf.get(a.doc_id)! - runOf.get(b.doc_id)! || cmp(a.source_path, b.source_path) || cmp(a.doc_id, b.doc_id));
    for (const r of g) out.set(r.doc_id, r === g[0] ? null : g[0].doc_id);
  }
  return out;
}

describe('touchedShas: the copy_of partitions a run can change', () => {
  it('copy_of updated only for the touched bytes equals copy_of recomputed over every document, over any history (property)', () => {
    const paths = ['/c/a.txt', '/c/b.txt', '/c/c.txt', '/d/a.txt', '/d/e.md'];
    const state = fc.dictionary(fc.constantFrom(...paths), fc.constantFrom('x', 'y', 'z'), { minKeys: 1 });
    let touchedSome = 0;
    fc.assert(
      fc.property(fc.array(state, { minLength: 1, maxLength: 7 }), (history) => {
        let rows: StoredVersion[] = [];
        const runOf = new Map<string, number>();
        // The stored column: what every run so far left (non-current rows keep their last value).
        const stored = new Map<string, string | null>();
        history.forEach((folder, run) => {
          const observed = Object.entries(folder).map(([p, c]) => file(p, c, p.endsWith('.md') ? 'md' : 'txt'));
          const present = new Set(observed.map((o) => o.path));
          const gone = new Set(rows.map((r) => r.source_path).filter((p) => !present.has(p)));
          const decisions = decideVersions(rows, observed, gone);
          const touched = touchedShas(decisions, observed, rows);
          if (touched.size) touchedSome++;
          rows = apply(rows, observed, decisions);
          for (const r of rows) if (!runOf.has(r.doc_id)) runOf.set(r.doc_id, run);
          for (const [id, first] of copyOf(rows, runOf, touched)) stored.set(id, first);
        });
        const full = copyOf(rows, runOf, null);
        return [...full].every(([id, first]) => (stored.get(id) ?? null) === first);
      }),
      { numRuns: 400 },
    );
    expect(touchedSome).toBeGreaterThan(0);
  });

  it('an unchanged folder touches nothing; an edit touches the new bytes and the retired version\'s', () => {
    const a = file('/c/a.txt', 'A');
    const first = decideVersions([], [a]);
    expect([...touchedShas(first, [a], [])]).toEqual([sha('A')]);
    const rows = apply([], [a], first);
    expect(touchedShas(decideVersions(rows, [a]), [a], rows).size).toBe(0);
    const edited = file('/c/a.txt', 'B');
    expect([...touchedShas(decideVersions(rows, [edited]), [edited], rows)].sort()).toEqual([sha('A'), sha('B')].sort());
  });
});
