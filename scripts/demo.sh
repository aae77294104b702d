#!/bin/sh
# demo.sh TEARLINE OUTDIR: the main job on the bundled corpus: the model
# of every document, then releasable copies for two sample readers of the
# built-in policy: a British reader cleared SECRET, and the public.
set -eu
bin=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
n=$(ls corpus/*.txt | wc -l)
echo "tearline demo: $n documents in corpus/"
echo
"$bin" parse --format json corpus/*.txt >"$out/model.jsonl" || [ $? -eq 1 ]
"$bin" parse --format text corpus/*.txt >"$out/summary.txt" 2>"$out/diagnostics.txt" || [ $? -eq 1 ]
echo "1. parse: model of every document (JSON Lines):  $out/model.jsonl"
echo "   readable summary:                             $out/summary.txt"
echo "   $(wc -l <"$out/diagnostics.txt") diagnostics:                               $out/diagnostics.txt"
echo
echo "2. redact for gbr-secret and public (built-in us-cables policy):"
"$bin" redact --reader gbr-secret --reader public --quiet -d "$out/copies" corpus/*.txt || [ $? -eq 1 ]
ls "$out/copies" | sed 's/^/   /' | head -6
echo "   ... $(ls "$out/copies" | wc -l) copies in $out/copies"
echo
f=cable-london-2010-secret
echo "3. what a British SECRET reader sees of $f (diff against the original):"
diff "corpus/$f.txt" "$out/copies/$f.gbr-secret.txt" | head -20 || true
