#!/bin/sh
# bench.sh: `make bench`.  Generates the benchmark corpus under $DIR (one
# big file of concatenated cables, many small files, optionally a 1 GB
# file), times tearline's commands and the reference grep pass, and prints
# a Markdown table: median wall time of $RUNS runs, MB/s (10^6 bytes),
# documents/s, peak resident memory, and each time as a ratio to grep.
#
# Environment (the Makefile sets it): TEARLINE GEN RUNSTAT DIR BENCH_MB
# BENCH_FILES BENCH_RUNS BENCH_BIG_MB BENCH_SEED.  Nothing here asserts a
# time: the figures are for reading.
set -eu

TEARLINE=${TEARLINE:-build/tearline}
GEN=${GEN:-build/bench/gen}
RUNSTAT=${RUNSTAT:-build/bench/runstat}
DIR=${DIR:-build/bench}
MB=${BENCH_MB:-200}
FILES=${BENCH_FILES:-100000}
RUNS=${BENCH_RUNS:-5}
BIG_MB=${BENCH_BIG_MB:-1024}
SEED=${BENCH_SEED:-7}
READER=gbr-secret
REGEX='^\d+\. \((U|C|S|TS)(/[A-Z]+)*\)'

mkdir -p "$DIR"
RESULTS=$DIR/results.md
ROWS=$DIR/rows.tmp
: >"$ROWS"

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

# gen_once NAME ARGS...: generates $DIR/NAME unless a stamp says the same
# generator already made it with the same arguments.  Keeps the cable
# count in $DIR/NAME.count.
gen_once() {
	name=$1; shift
	stamp="$(cksum <"$GEN") $*"
	if [ -e "$DIR/$name" ] && [ -f "$DIR/$name.stamp" ] &&
	    [ "$(cat "$DIR/$name.stamp")" = "$stamp" ]; then
		return 0
	fi
	say "generating $DIR/$name ($*)"
	rm -rf "$DIR/$name" "$DIR/$name.stamp"
	"$GEN" -S "$SEED" "$@" "$DIR/$name" >"$DIR/$name.gen" ||
	    die "generator failed"
	awk '{ print $2 }' "$DIR/$name.gen" >"$DIR/$name.count"
	printf '%s\n' "$stamp" >"$DIR/$name.stamp"
}

# run_once KEY OKCODES PRE OUT -- COMMAND...: evaluates PRE (untimed),
# runs COMMAND once, its standard output to OUT and its standard error to
# $DIR/KEY.err, and appends "wall_s max_rss_kib status" to $DIR/KEY.runs.
# An exit status outside OKCODES (space-separated) stops the bench.
run_once() {
	key=$1 ok=$2 pre=$3 out=$4; shift 5
	eval "$pre"
	line=$("$RUNSTAT" -o "$out" -- "$@" 2>"$DIR/$key.err") ||
	    die "$key: cannot run $1: $(head -c 300 "$DIR/$key.err")"
	code=${line##* }
	case " $ok " in
	*" $code "*) ;;
	*) die "$key: exit status $code from: $*: $(head -c 300 "$DIR/$key.err")" ;;
	esac
	printf '%s\n' "$line" >>"$DIR/$key.runs"
}

# summarize KEY: records "KEY median_s max_rss_kib" of $DIR/KEY.runs.
summarize() {
	key=$1
	med=$(awk '{ print $1 }' "$DIR/$key.runs" | sort -g |
	    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	        else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	rss=$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$DIR/$key.runs")
	printf '%s %s %s\n' "$key" "$med" "$rss" >>"$ROWS"
	say "$key: median ${med}s, peak RSS ${rss} KiB"
}

# measure KEY OKCODES PRE OUT -- COMMAND...: run_once $RUNS times, then
# summarize.
measure() {
	: >"$DIR/$1.runs"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		run_once "$@"
		i=$((i + 1))
	done
	summarize "$1"
}

na() { printf '%s n/a n/a\n' "$1" >>"$ROWS"; }

# --- corpus ------------------------------------------------------------
[ -x "$TEARLINE" ] || die "no $TEARLINE (run make)"
gen_once big.txt -s "${MB}M"
gen_once small -n "$FILES"
BIG=$DIR/big.txt
BIG_BYTES=$(wc -c <"$BIG" | tr -d ' ')
BIG_DOCS=$(cat "$DIR/big.txt.count")
SMALL_BYTES=$(awk '{ print $4 }' "$DIR/small.gen")

if [ ! -e "$DIR/k.key" ]; then
	rm -f "$DIR/k.pub"
	"$TEARLINE" keygen -W -p "$DIR/k.pub" -s "$DIR/k.key" >/dev/null ||
	    die "keygen failed"
fi
SIGNED=no
if "$TEARLINE" verify --help >/dev/null 2>&1; then
	SIGNED=yes
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "load average before: $LOAD_BEFORE; $RUNS runs each"

# --- the 200 MB file ---------------------------------------------------
# Read it once so that every command, grep first, finds it in the cache.
cat "$BIG" >/dev/null
# GNU grep stops at the first match when its output is /dev/null (it acts
# as -q): its count goes to a file.
measure grep "0" ":" "$DIR/grep.out" -- grep -cP "$REGEX" "$BIG"
measure parse "0 1" ":" /dev/null -- "$TEARLINE" parse "$BIG"
measure audit "0 1" ":" /dev/null -- "$TEARLINE" audit "$BIG"
measure redact "0 1" ":" /dev/null -- "$TEARLINE" redact --reader "$READER" \
    -q "$BIG"
measure redact_file "0 1" ":" /dev/null -- "$TEARLINE" redact \
    --reader "$READER" -q -f -o "$DIR/big.out.txt" "$BIG"
if [ "$SIGNED" = yes ]; then
	measure redact_log "0 1" \
	    "rm -f '$DIR/big.log' '$DIR/big.log.minisig' '$DIR/big.log.ckey'" \
	    /dev/null -- "$TEARLINE" redact --reader "$READER" -q -f \
	    -o "$DIR/big.out.txt" -k "$DIR/k.key" -l "$DIR/big.log" "$BIG"
	measure verify "0" ":" /dev/null -- "$TEARLINE" verify -q \
	    -p "$DIR/k.pub" "$DIR/big.log"
else
	na redact_log
	na verify
fi
rm -f "$DIR/big.out.txt" "$DIR/big.log" "$DIR/big.log.minisig" \
    "$DIR/big.log.ckey"

# --- many small files --------------------------------------------------
# Each run writes into a fresh directory, and none is removed until the
# last small-file row: on ext4, files created just after a mass delete
# are slow to get inodes (the allocator steps around recently freed ones;
# perf shows recently_deleted and find_inode_bit), so removing the run
# before would time that, not tearline (10,000 files: 1.0-1.3 s into
# fresh directories, 5.4 s after an rm -rf of the same number).
OUTN=0
fresh_out() {
	OUTN=$((OUTN + 1))
	rm -f "$DIR/small.out"
	mkdir -p "$DIR/outs/$OUTN"
	ln -s "outs/$OUTN" "$DIR/small.out"
}
rm -rf "$DIR/outs" "$DIR/small.out"
# The three rows on the disk take turns, run by run: every run adds
# 100,000 files to the file system, and later runs come out slower (the
# signed runs, when they ran last, took 7.5, 10.0, 10.4, 11.5 and 11.8
# s in a row); taking turns spreads that over all three rows.
SMALL_KEYS="small_j2 small_j2_run"
[ "$SIGNED" = yes ] && SMALL_KEYS="$SMALL_KEYS small_j2_log"
for key in $SMALL_KEYS; do
	: >"$DIR/$key.runs"
done
i=0
while [ "$i" -lt "$RUNS" ]; do
	run_once small_j2 "0 1" fresh_out /dev/null -- "$TEARLINE" \
	    redact --reader "$READER" -q -f -r -j 2 -d "$DIR/small.out" \
	    "$DIR/small"
	# --sync run: no fsync per copy, one syncfs(2) at the end of the run.
	run_once small_j2_run "0 1" fresh_out /dev/null -- \
	    "$TEARLINE" redact --reader "$READER" -q -f -r -j 2 --sync run \
	    -d "$DIR/small.out" "$DIR/small"
	if [ "$SIGNED" = yes ]; then
		run_once small_j2_log "0 1" fresh_out /dev/null -- \
		    "$TEARLINE" redact --reader "$READER" -q -f -r -j 2 \
		    --sync run -d "$DIR/small.out" -k "$DIR/k.key" "$DIR/small"
	fi
	i=$((i + 1))
done
for key in $SMALL_KEYS; do
	summarize "$key"
done
[ "$SIGNED" = yes ] || na small_j2_log
rm -rf "$DIR/small.out" "$DIR/outs"
# The same run with its copies on tmpfs, where creating and syncing a
# file costs no disk: what is left is tearline's own work.
SHM=/dev/shm/tearline-bench.$$
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	measure small_j2_shm "0 1" "rm -rf '$SHM'" /dev/null -- "$TEARLINE" \
	    redact --reader "$READER" -q -f -r -j 2 -d "$SHM" "$DIR/small"
	rm -rf "$SHM"
fi

# --- peak memory on a big file -----------------------------------------
if [ "$BIG_MB" -gt 0 ]; then
	gen_once huge.txt -s "${BIG_MB}M"
	HUGE_BYTES=$(wc -c <"$DIR/huge.txt" | tr -d ' ')
	HUGE_DOCS=$(cat "$DIR/huge.txt.count")
	# As for the 200 MB file: from the page cache, not the disk.
	cat "$DIR/huge.txt" >/dev/null
	RUNS_SAVED=$RUNS
	RUNS=1
	measure huge_parse "0 1" ":" /dev/null -- "$TEARLINE" parse "$DIR/huge.txt"
	measure huge_redact "0 1" ":" /dev/null -- "$TEARLINE" redact --reader "$READER" \
	    -q -f -o "$DIR/huge.out.txt" "$DIR/huge.txt"
	RUNS=$RUNS_SAVED
	rm -f "$DIR/huge.out.txt"
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the table -----------------------------------------------------------
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
NCPU=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
OS=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME" || uname -s)
{
	echo "$("$TEARLINE" --version 2>/dev/null | head -n 1), $(date -u +%Y-%m-%d)"
	echo "machine: $NCPU cores, $CPU, $OS, kernel $(uname -r)"
	echo "load average: $LOAD_BEFORE before, $LOAD_AFTER after"
	echo "corpus: seed $SEED; $BIG_DOCS cables in one file of $BIG_BYTES bytes;" \
	    "$FILES files of $SMALL_BYTES bytes in all; median of $RUNS runs"
	echo
	awk -v big="$BIG_BYTES" -v docs="$BIG_DOCS" -v sbytes="$SMALL_BYTES" \
	    -v sdocs="$FILES" -v hbytes="${HUGE_BYTES:-0}" \
	    -v hdocs="${HUGE_DOCS:-0}" -v mb="$MB" -v files="$FILES" \
	    -v bigmb="$BIG_MB" -v reader="$READER" '
	{ t[$1] = $2; r[$1] = $3; seen[$1] = 1 }
	function row(key, what, input, bytes, n, ratio) {
		if (!(key in seen))
			return
		if (t[key] == "n/a") {
			printf "| %s | %s | n/a (not built) | | | | |\n", what, input
			return
		}
		printf "| %s | %s | %.2f | %.0f | %.0f | %.1f | %s |\n", what, input,
		    t[key], bytes / 1e6 / t[key], n / t[key], r[key] / 1024,
		    !ratio ? "-" : sprintf("%.2f", t[key] / t["grep"])
	}
	END {
		print "| command | input | median s | MB/s | docs/s | peak RSS MiB | x grep |"
		print "|---|---|---:|---:|---:|---:|---:|"
		one = mb " MB file"
		row("grep", "`grep -cP` (reference)", one, big, docs, 1)
		row("parse", "`tearline parse` (JSON to /dev/null)", one, big, docs, 1)
		row("audit", "`tearline audit`", one, big, docs, 1)
		row("redact", "`tearline redact`, one reader, to /dev/null", one, big, docs, 1)
		row("redact_file", "`tearline redact -o FILE` (synced, renamed)", one, big, docs, 1)
		row("redact_log", "`tearline redact -o FILE -k KEY -l LOG`", one, big, docs, 1)
		row("verify", "`tearline verify` of that log", one, big, docs, 1)
		row("small_j2", "`tearline redact -r -j 2 -d DIR`", files " files", sbytes, sdocs, 1)
		row("small_j2_run", "`tearline redact -r -j 2 -d DIR --sync run`", files " files", sbytes, sdocs, 1)
		row("small_j2_log", "`tearline redact -r -j 2 -d DIR --sync run -k KEY`", files " files", sbytes, sdocs, 1)
		row("small_j2_shm", "`tearline redact -r -j 2 -d DIR`, DIR on tmpfs", files " files", sbytes, sdocs, 1)
		row("huge_parse", "`tearline parse` (1 run)", bigmb " MB file", hbytes, hdocs)
		row("huge_redact", "`tearline redact -o FILE` (1 run)", bigmb " MB file", hbytes, hdocs)
		print ""
		if (t["small_j2"] != "n/a" && t["redact_file"] > 0)
			printf "%s files with -j 2: %.2f x the MB/s of `redact -o FILE` on the %s MB file\n",
			    files, (sbytes / t["small_j2"]) / (big / t["redact_file"]), mb
		if (("small_j2_run" in seen) && t["redact_file"] > 0)
			printf "%s files with -j 2, --sync run: %.2f x the MB/s of `redact -o FILE` on the %s MB file\n",
			    files, (sbytes / t["small_j2_run"]) / (big / t["redact_file"]), mb
		if (("small_j2_shm" in seen) && t["redact_file"] > 0)
			printf "%s files with -j 2, copies on tmpfs: %.2f x the MB/s of `redact -o FILE` on the %s MB file\n",
			    files, (sbytes / t["small_j2_shm"]) / (big / t["redact_file"]), mb
		if (t["small_j2_log"] != "n/a" && t["redact_log"] != "n/a")
			printf "%s files with -j 2, --sync run, signed log: %.2f x the MB/s of the signed run on the %s MB file\n",
			    files, (sbytes / t["small_j2_log"]) / (big / t["redact_log"]), mb
		print "reader: " reader "; x grep = median time / median time of grep on the " mb " MB file"
	}' "$ROWS"
} >"$RESULTS"
rm -f "$ROWS"
cat "$RESULTS"
