#!/bin/sh
# demo.sh TEARLINE OUTDIR: the main job on the bundled corpus: the model
# of every document, then releasable copies for two sample readers of the
# built-in policy: a British reader cleared SECRET, and the public, signed
# with a demo key made here (unencrypted, under build/), and verified.
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
keys=$(dirname "$out")/demo-keys
if [ ! -e "$keys/demo.key" ]; then
	mkdir -p "$keys"
	"$bin" keygen -W -p "$keys/demo.pub" -s "$keys/demo.key" >/dev/null
	echo "(made a demo signing key, UNENCRYPTED, for this demo only: $keys/demo.key)"
fi
echo "2. redact for gbr-secret and public (built-in us-cables policy), signed:"
"$bin" redact --reader gbr-secret --reader public --quiet -d "$out/copies" \
	-k "$keys/demo.key" --log "$out/redact.log" corpus/*.txt || [ $? -eq 1 ]
ls "$out/copies" | sed 's/^/   /' | head -6
echo "   ... $(ls "$out/copies" | wc -l) copies in $out/copies"
echo "   signed log: $out/redact.log ($(wc -l <"$out/redact.log") lines), $out/redact.log.minisig"
echo "   commitment key (keep apart from the log): $out/redact.log.ckey"
echo
echo "3. verify the log and every copy it names (public key $keys/demo.pub):"
"$bin" verify -p "$keys/demo.pub" --all-outputs "$out/redact.log" | sed 's/^/   /'
if command -v minisign >/dev/null 2>&1; then
	echo "   stock minisign agrees:"
	minisign -Vm "$out/redact.log" -p "$keys/demo.pub" | sed 's/^/   /'
fi
echo
f=cable-london-2010-secret
echo "4. what a British SECRET reader sees of $f (diff against the original):"
diff "corpus/$f.txt" "$out/copies/$f.gbr-secret.txt" | head -20 || true
