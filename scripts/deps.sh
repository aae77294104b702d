#!/bin/sh
# deps.sh: install whatever tearline needs that this machine lacks, from
# Debian packages.  Checks with pkg-config and `command -v` first, so it is
# quick and silent when everything is present.  Needs root (or sudo) only
# when something is missing.
set -eu

missing=""
need_pc() { pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }

need_cmd pkg-config pkgconf
need_cmd cc gcc
need_cmd make make
if command -v pkg-config >/dev/null 2>&1; then
	need_pc libpcre2-8 libpcre2-dev
	need_pc libsodium libsodium-dev
	need_pc yaml-0.1 libyaml-dev
	need_pc libcrypto libssl-dev
	need_pc check check
	need_pc sqlite3 libsqlite3-dev
else
	missing="$missing libpcre2-dev libsodium-dev libyaml-dev libssl-dev check libsqlite3-dev"
fi
need_cmd minisign minisign
# script(1) gives the CLI tests a terminal (tests/cli/t_redact_signals.sh).
need_cmd script bsdutils
# strace counts the fsync calls of `redact --sync` (tests/cli/t_redact.sh).
need_cmd strace strace
python3 -c 'import jsonschema' 2>/dev/null || missing="$missing python3-jsonschema"
# clang (libFuzzer) and clang-tidy are needed by `make fuzz` and `make lint`
# only; they ask for them themselves with DEPS_EXTRA.
for extra in ${DEPS_EXTRA:-}; do
	case "$extra" in
	clang) need_cmd clang clang; [ -e "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || echo /nonexistent)" ] || missing="$missing libclang-rt-14-dev" ;;
	clang-tidy) need_cmd clang-tidy clang-tidy ;;
	hyperfine) need_cmd hyperfine hyperfine ;;
	esac
done

[ -z "$missing" ] && exit 0

echo "deps: installing:$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "deps: missing:$missing; run as root or install them" >&2
		exit 2
	fi
fi
export DEBIAN_FRONTEND=noninteractive
# An apt cache with no lists (fresh machines) cannot install anything:
# refresh it first, and again if the first install attempt fails.
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]; then
	$SUDO apt-get update -qq
fi
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	{ $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
