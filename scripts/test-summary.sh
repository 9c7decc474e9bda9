#!/usr/bin/env bash
# Sums the outcome counters of every TRX file under $1 into one "N passed, N failed, N skipped" line.
set -euo pipefail
dir=${1:?results directory}
passed=0 failed=0 skipped=0
shopt -s nullglob globstar
for trx in "$dir"/**/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
