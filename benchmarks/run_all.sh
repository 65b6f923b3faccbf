#!/usr/bin/env bash
# Run every benchmark; generate the database first if it is missing.
#   benchmarks/run_all.sh            (from anywhere; uses the repository's .venv)
#   BENCH_DB=/path/x.sqlite3 benchmarks/run_all.sh
# Figures go to the terminal and to benchmarks/results/latest.json. Exit status 1 if a
# benchmark could not run (a missed target is reported, not an error).
set -u
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
DB=${BENCH_DB:-benchmarks/data/bench.sqlite3}

if [ ! -f "$DB" ]; then
    echo "== generate ($DB is missing)"
    "$PY" benchmarks/generate.py --out "$DB" || exit 1
fi

status=0
echo "== verify";  "$PY" benchmarks/bench_verify.py --db "$DB" || status=1
echo "== lookup";  "$PY" benchmarks/bench_lookup.py --db "$DB" || status=1
echo "== sale (till)"; "$PY" benchmarks/bench_sale.py --db "$DB" || status=1
echo "== printing"; "$PY" benchmarks/bench_printing.py --db "$DB" || status=1
echo "== receiving"; "$PY" benchmarks/bench_receiving.py --db "$DB" || status=1
echo "== stock-take"; "$PY" benchmarks/bench_stocktake.py --db "$DB" || status=1
echo "== exports"; "$PY" benchmarks/bench_exports.py || status=1
echo "== startup"; "$PY" benchmarks/bench_startup.py || status=1
echo "== uploads (loopback insurer)"; "$PY" benchmarks/bench_uploads.py || status=1
echo "== backup"; "$PY" benchmarks/bench_backup.py --db "$DB" || status=1
echo "== terminals (PostgreSQL)"; "$PY" benchmarks/bench_terminals.py || status=1
echo "== soak (10,000 sales through the services; ~15-30 min)"
"$PY" benchmarks/bench_soak.py || status=1
echo "== card parse"; "$PY" benchmarks/bench_card_parse.py || status=1
echo "== card insert (real pcscd + virtual card; needs root)"
"$PY" benchmarks/bench_card_insert.py || status=1
exit $status
