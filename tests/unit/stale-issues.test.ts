import { describe, it, expect } from 'vitest';
import { staleIssuePaths } from '../../pipeline/ingest/stale-issues.js';

describe('staleIssuePaths', () => {
  const files = new Set(['/data/new/empty.txt', '/data/bundle.zip', '/other/fake.docx']);
  const folders = new Set(['/data', '/data/new', '/other']);
  const exists = (p: string) => (files.has(p) ? 'file' : folders.has(p) ? 'other' : null);

  it('drops the issues of files that are gone, keeps the rest', () => {
    const recorded = [
      '/data/old/empty.txt', // gone: moved with its folder
      '/data/new/empty.txt', // there
      '/data/bundle.zip/inner/broken.docx', // a member of an archive that is there
      '/data/gone.zip/broken.docx', // a member of an archive that is gone
      '/other/fake.docx', // another folder's file, still there
      '/data/recorded-now.txt', // recorded by this run (a broken link, say): never dropped here
    ];
    expect(staleIssuePaths(recorded, new Set(['/data/recorded-now.txt']), exists)).toEqual(['/data/old/empty.txt', '/data/gone.zip/broken.docx']);
  });

  it('drops nothing when every file is there', () => {
    expect(staleIssuePaths(['/data/new/empty.txt', '/other/fake.docx'], new Set(), exists)).toEqual([]);
    expect(staleIssuePaths([], new Set(), exists)).toEqual([]);
  });
});
