/** What is at a path: a file, something else (a folder; or a path that cannot be looked at), or nothing. */
export type PathKind = 'file' | 'other' | null;

/**
 * The recorded issues (skipped files) whose file is no longer there: deleted, or moved or renamed
 * with its folder (then it is recorded again under its new path). An issue stays when this run
 * recorded it, when its file exists, or when it is a member (`archive.zip/member`) of an archive
 * that exists. Ingest of one folder thus keeps another folder's issues, as long as their files are
 * there. Pure given `at` (what is at a path).
 */
export function staleIssuePaths(recorded: readonly string[], recordedNow: ReadonlySet<string>, at: (path: string) => PathKind): string[] {
  return recorded.filter((p) => {
    if (recordedNow.has(p) || at(p) !== null) return false;
    // An archive member: the archive is a file at a prefix ending before a '/'.
    for (let i = p.indexOf('/', 1); i > 0; i = p.indexOf('/', i + 1)) if (at(p.slice(0, i)) === 'file') return false;
    return true;
  });
}
