#!/usr/bin/env bash
# Writes tests/hostile/databases/main-<commit>.duckdb.gz: a database made by confrec's code at <commit>
# (default 587acf0: main before issue 10 — documents keyed by bytes alone, UTF-16 offsets, no marker),
# for the migration tests. The corpus (tests/hostile/files.ts writeMigrationCorpus) is written to a fixed
# path, /tmp/confrec-old-corpus, which the database records; stage 2 edits c.txt and is ingested again.
# Run from a checkout with node_modules installed: bash tests/hostile/make-old-database.sh [commit]
set -euo pipefail
commit=${1:-587acf0}
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q "$here" "$tmp/confrec"
git -C "$tmp/confrec" checkout -q "$commit"
# The dependencies of that commit are those of this checkout's lockfile when the lockfiles agree.
if git -C "$tmp/confrec" diff --quiet "$commit" -- package-lock.json && cmp -s "$tmp/confrec/package-lock.json" "$here/package-lock.json"; then
  ln -s "$here/node_modules" "$tmp/confrec/node_modules"
else
  (cd "$tmp/confrec" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund >/dev/null)
fi
(cd "$tmp/confrec" && npx tsc -p tsconfig.json)
corpus=/tmp/confrec-old-corpus
rm -rf "$corpus"
old() { (cd "$tmp" && CONFREC_REPORTS="$tmp/reports" node "$tmp/confrec/bin/confrec.js" "$@"); }
npx tsx "$here/tests/hostile/files.ts" migration-corpus "$corpus" 1
old run "$corpus" --db "$tmp/old.duckdb" --quiet
npx tsx "$here/tests/hostile/files.ts" migration-corpus "$corpus" 2
old run "$corpus" --db "$tmp/old.duckdb" --quiet
old status --db "$tmp/old.duckdb"
gzip -9c "$tmp/old.duckdb" > "$here/tests/hostile/databases/main-$commit.duckdb.gz"
rm -rf "$corpus"
ls -l "$here/tests/hostile/databases/main-$commit.duckdb.gz"
