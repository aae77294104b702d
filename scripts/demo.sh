#!/bin/sh
# demo.sh TEARLINE OUTDIR: the main job on the bundled corpus.  Today:
# parse every document and print the model summary.
set -eu
bin=$1 out=$2
mkdir -p "$out"
n=0
for f in corpus/*.txt; do
	[ -e "$f" ] || continue
	n=$((n + 1))
done
echo "tearline demo: parsing $n documents of corpus/"
"$bin" parse --format json corpus/*.txt >"$out/model.jsonl" || [ $? -eq 1 ]
"$bin" parse --format text corpus/*.txt >"$out/summary.txt" 2>"$out/diagnostics.txt" || [ $? -eq 1 ]
cat "$out/summary.txt"
echo
echo "diagnostics ($(wc -l <"$out/diagnostics.txt") lines): $out/diagnostics.txt"
echo "model (JSON Lines, one document per line): $out/model.jsonl"
echo "summary: $out/summary.txt"
