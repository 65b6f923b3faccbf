#!/usr/bin/env bash
# The one test command (README; CI runs it through .ci/run): set up, lint, check the
# layers, run the whole test suite. Real parts: SQLite, a throwaway PostgreSQL started
# by the tests, pcscd with a virtual card, Qt offscreen.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh test
venv="${POS_VENV:-$root/.venv}"

export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
unset PHARMACY_POS_DATABASE_URL PHARMACY_POS_DATA_DIR

echo "== ruff"
"$venv/bin/ruff" check .
echo "== import-linter (layers of DESIGN.md)"
"$venv/bin/lint-imports"
echo "== pytest"
markers=()
if [ "${CI:-}" = "true" ]; then
  markers=(-m "not slow")
fi
# One worker process per core (POS_TEST_WORKERS=0 runs in this process). Each worker has
# its own real parts: PostgreSQL on a free port, pcscd in its own namespace and port, its
# own demo databases; many tests wait on those, so two workers nearly halve the time.
cores="$(nproc 2>/dev/null || echo 2)"
workers="${POS_TEST_WORKERS:-$(( cores < 4 ? cores : 4 ))}"
parallel=()
if [ "$workers" != "0" ]; then
  parallel=(-n "$workers")
fi
"$venv/bin/pytest" "${markers[@]}" "${parallel[@]}" "$@"
