# t_golden.sh: `tearline redact` against the hand-checked golden copies of
# tests/golden/ (see tests/golden/README.md; regenerate with
# `sh tests/golden/update.sh`, which prints a diff for review).
. tests/cli/lib.sh

G=tests/golden
ncases=0
while read -r name input policy reader want; do
	case "$name" in ''|'#'*) continue ;; esac
	ncases=$((ncases + 1))
	if [ "$policy" = builtin ]; then
		set -- --reader "$reader"
	else
		set -- --policy "policies/$policy.yaml" --reader "$reader"
	fi
	run "$TEARLINE" redact "$@" "$input"
	expect_rc "golden $name: exit $want" "$want"
	cmp -s "$T/out" "$G/$name.out"
	_record $? "golden $name: copy matches $G/$name.out" \
	    "$(diff "$G/$name.out" "$T/out" | head -20)"
	expect_true "golden $name: input unchanged" git diff --quiet -- "$input"
done <"$G/cases"
expect_true "at least 8 golden cases" test "$ncases" -ge 8
expect_true "every golden file has a case" sh -c '
	for f in tests/golden/*.out; do
		n=$(basename "$f" .out)
		grep -q "^$n " tests/golden/cases || { echo "orphan: $f"; exit 1; }
	done'

# One run, several readers, --out-dir: the same bytes as the one-reader
# runs to standard output.
run "$TEARLINE" redact --reader gbr-secret --reader public -d "$T/multi" \
    corpus/cable-london-2010-secret.txt
expect_rc "golden: two readers in one run exit 0" 0
expect_true "golden: -d copy for gbr-secret matches" \
    cmp -s "$T/multi/cable-london-2010-secret.gbr-secret.txt" "$G/london.gbr-secret.out"
expect_true "golden: -d copy for public matches" \
    cmp -s "$T/multi/cable-london-2010-secret.public.txt" "$G/london.public.out"

# Standard input, CRLF kept: the same bytes as from the file.
run sh -c '"$1" redact --reader us-secret - <"$2"' sh "$TEARLINE" corpus/cable-riyadh-2009-secret.txt
expect_rc "golden: stdin exits 0" 0
expect_true "golden: stdin copy matches riyadh.us-secret" cmp -s "$T/out" "$G/riyadh.us-secret.out"
