#!/usr/bin/env bash
# Executes every notebook in notebooks/ headlessly (Jupyter nbconvert + the tslab TypeScript kernel)
# against a freshly built sample database, and exits non-zero when any cell fails.
#
#   bash notebooks/run.sh                 build dist/, build the sample database, execute all notebooks
#   bash notebooks/run.sh 02-near-duplicates.ipynb     only the notebooks named
#   options:
#     --db FILE         execute against this database instead of building the sample one
#     --out DIR         where the database, the kernel spec and the executed notebooks go
#                       (default: $CONFREC_NB_OUT or ${TMPDIR:-/tmp}/confrec-notebooks)
#     --no-build        do not run `npm run build` (npm test has just done it)
#     --synth-docs N    synthetic resolutions added to the sample corpus (default 200; 0 = none)
#     --html            also write each executed notebook as HTML next to it
#     --install-kernel  only install what is missing and register the "tslab" kernel with your
#                       Jupyter (so `jupyter notebook notebooks/` and VS Code can run the notebooks)
#     --no-install      install nothing: fail, saying what is missing (the test suite runs it so;
#                       .ci/run installs the packages first)
#
# Installs what is missing (unless --no-install): Jupyter's nbconvert/nbclient from Debian packages
# (apt-get, when root) and the tslab kernel from notebooks/kernel/package-lock.json (npm ci). The
# executed notebooks are written to the output folder; the notebooks in the repository are never changed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NB="$ROOT/notebooks"
OUT="${CONFREC_NB_OUT:-${TMPDIR:-/tmp}/confrec-notebooks}"
DB=""
BUILD=1
SYNTH_DOCS=200
HTML=0
INSTALL_KERNEL=0
INSTALL=1
ONLY=()

while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --synth-docs) SYNTH_DOCS="$2"; shift 2 ;;
    --html) HTML=1; shift ;;
    --install-kernel) INSTALL_KERNEL=1; shift ;;
    --no-install) INSTALL=0; shift ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "notebooks/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) ONLY+=("$1"); shift ;;
  esac
done

say() { printf 'notebooks: %s\n' "$*"; }
die() { printf 'notebooks/run.sh: %s\n' "$*" >&2; exit 1; }

export PYDEVD_DISABLE_FILE_VALIDATION=1 DOTENV_CONFIG_QUIET=true

# --- Jupyter (nbconvert + nbclient) -------------------------------------------------------------------
JUPYTER="${JUPYTER:-}"
jupyter_ok() { "$1" nbconvert --version >/dev/null 2>&1 && "$1" kernelspec list >/dev/null 2>&1; }
find_jupyter() {
  local c
  for c in "$JUPYTER" "$(command -v jupyter 2>/dev/null || true)" /usr/bin/jupyter; do
    if [ -n "$c" ] && [ -x "$c" ] && jupyter_ok "$c"; then JUPYTER="$c"; return 0; fi
  done
  return 1
}
if ! find_jupyter; then
  [ "$INSTALL" = 1 ] || die "Jupyter with nbconvert is not installed: apt-get install jupyter-nbconvert python3-nbclient jupyter-client (or run .ci/run, which installs it)"
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "installing Jupyter nbconvert from Debian packages (apt-get)…"
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
      jupyter-nbconvert python3-nbclient jupyter-client >/dev/null
  fi
  find_jupyter || die "Jupyter with nbconvert is needed: apt-get install jupyter-nbconvert python3-nbclient (Debian/Ubuntu), or pip install nbconvert nbclient"
fi

# --- the tslab kernel (its own node_modules: tslab ships a TypeScript whose tsc would shadow the project's) --
TSLAB="$NB/kernel/node_modules/tslab/bin/tslab"
if [ ! -f "$TSLAB" ] || ! node -e "require('$NB/kernel/node_modules/zeromq')" >/dev/null 2>&1; then
  [ "$INSTALL" = 1 ] || die "the tslab kernel is not installed: (cd notebooks/kernel && npm ci --ignore-scripts), or run .ci/run"
  say "installing the tslab kernel (npm ci in notebooks/kernel)…"
  (cd "$NB/kernel" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  node -e "require('$NB/kernel/node_modules/zeromq')" >/dev/null 2>&1 ||
    die "the tslab kernel's zeromq addon does not load on this machine ($(node -p 'process.platform + "-" + process.arch'), Node $(node -v))"
fi

write_kernel_spec() { # $1 = folder that will hold kernel.json
  mkdir -p "$1"
  cat >"$1/kernel.json" <<EOF
{
  "argv": ["$(command -v node)", "$TSLAB", "kernel", "--config-path", "{connection_file}"],
  "display_name": "TypeScript (tslab)",
  "language": "typescript"
}
EOF
}

if [ "$INSTALL_KERNEL" = 1 ]; then
  # The notebook UI as well, for `jupyter notebook notebooks/` (VS Code needs only the kernel).
  if ! "$JUPYTER" notebook --version >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "installing Jupyter Notebook from Debian packages (apt-get)…"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends jupyter-notebook >/dev/null ||
      { apt-get -o DPkg::Lock::Timeout=300 update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends jupyter-notebook >/dev/null; }
  fi
  tmp=$(mktemp -d)
  write_kernel_spec "$tmp/tslab"
  if [ "$(id -u)" = 0 ]; then "$JUPYTER" kernelspec install --replace --name tslab "$tmp/tslab" >/dev/null 2>&1
  else "$JUPYTER" kernelspec install --user --replace --name tslab "$tmp/tslab" >/dev/null 2>&1; fi
  rm -rf "$tmp"
  say "registered the tslab kernel ($TSLAB):"
  "$JUPYTER" kernelspec list 2>/dev/null | grep -E '^\s*tslab\b' || true
  say "open the notebooks with: CONFREC_DB=/path/to/your.duckdb $JUPYTER notebook $NB"
  exit 0
fi

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# A private kernel registry for this run: it always points at this checkout's tslab, whatever the
# user's own Jupyter has registered under the same name.
write_kernel_spec "$OUT/jupyter/kernels/tslab"
export JUPYTER_PATH="$OUT/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"

# --- the project and the sample database ------------------------------------------------------------
cd "$ROOT"
if [ "$BUILD" = 1 ]; then
  say "building (npm run build)…"
  npm run -s build
fi
[ -f "$ROOT/dist/pipeline/cli.js" ] || die "dist/ is missing: run \`npm run build\` first"

START=$(date +%s)
if [ -n "$DB" ]; then
  DB=$(cd "$(dirname "$DB")" && pwd)/$(basename "$DB")
  [ -f "$DB" ] || die "no database at $DB"
  say "database: $DB"
else
  DB="$OUT/sample.duckdb"
  rm -rf "$OUT/corpus" "$OUT/synth" "$DB" "$DB.wal"
  mkdir -p "$OUT/corpus"
  cp -r "$ROOT/data/resolutions" "$OUT/corpus/sample"
  if [ "$SYNTH_DOCS" -gt 0 ]; then
    node bin/confrec.js synth --docs "$SYNTH_DOCS" --seed 5 --out "$OUT/synth" --force --quiet
    cp -r "$OUT/synth/docs" "$OUT/corpus/synth"
  fi
  say "building the sample database (data/resolutions + $SYNTH_DOCS synthetic resolutions)…"
  node bin/confrec.js run "$OUT/corpus" --db "$DB" --quiet
  say "database: $DB ($(( $(date +%s) - START )) s)"
fi
export CONFREC_DB="$DB"

# --- execute --------------------------------------------------------------------------------------------
if [ ${#ONLY[@]} -eq 0 ]; then
  mapfile -t NOTEBOOKS < <(cd "$NB" && ls -1 [0-9]*.ipynb)
else
  NOTEBOOKS=()
  for n in "${ONLY[@]}"; do NOTEBOOKS+=("$(basename "$n")"); done
fi
[ ${#NOTEBOOKS[@]} -gt 0 ] || die "no notebooks found in $NB"

mkdir -p "$OUT/executed"
failed=()
for nb in "${NOTEBOOKS[@]}"; do
  [ -f "$NB/$nb" ] || die "no notebook $NB/$nb"
  t0=$(date +%s)
  log="$OUT/executed/${nb%.ipynb}.log"
  rm -f "$OUT/executed/${nb%.ipynb}".*
  if (cd "$NB" && "$JUPYTER" nbconvert --to notebook --execute \
        --ExecutePreprocessor.kernel_name=tslab \
        --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.startup_timeout=120 \
        --output-dir "$OUT/executed" "$nb") >"$log" 2>&1; then
    say "ok      $nb ($(( $(date +%s) - t0 )) s)"
    if [ "$HTML" = 1 ]; then
      "$JUPYTER" nbconvert --to html --output-dir "$OUT/executed" "$OUT/executed/$nb" >>"$log" 2>&1 ||
        say "(could not write HTML for $nb, see $log)"
    fi
  else
    say "FAILED  $nb ($(( $(date +%s) - t0 )) s)"
    # tslab reports a failing cell on stderr, which nbconvert does not keep when it stops: run the
    # notebook once more, keeping going past errors, and show each cell's error output.
    (cd "$NB" && "$JUPYTER" nbconvert --to notebook --execute --allow-errors \
        --ExecutePreprocessor.kernel_name=tslab \
        --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.startup_timeout=120 \
        --output-dir "$OUT/executed" --output "${nb%.ipynb}.failed" "$nb") >>"$log" 2>&1 || true
    node "$NB/lib/cell-errors.mjs" "$OUT/executed/${nb%.ipynb}.failed.ipynb" >&2 ||
      tail -n 40 "$log" >&2
    failed+=("$nb")
  fi
done

say "${#NOTEBOOKS[@]} notebook(s) executed in $(( $(date +%s) - START )) s, ${#failed[@]} failed → $OUT/executed"
[ ${#failed[@]} -eq 0 ] || die "failed: ${failed[*]}"
