#!/usr/bin/env bash
# Runs Go native fuzz targets one after the other; fuzz.mk calls it for `make fuzz` and
# `make fuzz-smoke`.
#
#   fuzz/run.sh [--quiet] [--require-execs] FUZZTIME MINIMIZETIME PARALLEL PKG:TARGET...
#
# --quiet prints a target's output only when it fails (make fuzz-smoke); otherwise the
# engine's progress lines stream as they come.
#
# Two things `go test -fuzz` gets wrong for a gate, and what this does about them:
#
#  - It only warns ("no fuzz tests to fuzz", exit status 0) when the pattern matches nothing.
#    With --require-execs the count is read from the engine's last
#    "fuzz: elapsed: …, execs: N (…/sec)" line, or when the time ran out while the seed
#    corpus was still being run, from "gathering baseline coverage: N/M completed"; it must
#    be above zero.
#
#  - Go 1.26's fuzz coordinator can report a bare "context deadline exceeded" failure when
#    -fuzztime expires while a worker is still executing (golang/go#75804, fixed in 1.27): no
#    input fails, nothing is written to testdata/fuzz. On a loaded CI machine that made a
#    green tree red. Such a run — a non-zero exit whose output holds that line and no sign of
#    a finding (no "Failing input written to", no panic, no other failure message) — is run
#    again, up to FUZZ_FLAKE_RETRIES times (default 2). Any other failure fails at once, and a
#    retried target must still pass and execute inputs.
#
# GO (default go) names the go command; tests point it at a stub.
set -uo pipefail

GO=${GO:-go}
retries=${FUZZ_FLAKE_RETRIES:-2}
require_execs=0
quiet=0
while [ $# -gt 0 ]; do
	case $1 in
	--require-execs) require_execs=1 ;;
	--quiet) quiet=1 ;;
	*) break ;;
	esac
	shift
done
if [ $# -lt 4 ]; then
	echo "usage: fuzz/run.sh [--quiet] [--require-execs] FUZZTIME MINIMIZETIME PARALLEL PKG:TARGET..." >&2
	exit 2
fi
fuzztime=$1 minimize=$2 parallel=$3
shift 3

# deadline_flake OUTPUT: true when a failed run shows only the coordinator's shutdown race.
deadline_flake() {
	local out=$1
	printf '%s\n' "$out" | grep -q '^[[:space:]]*context deadline exceeded$' || return 1
	printf '%s\n' "$out" | grep -q -e 'Failing input written to' -e '^panic:' -e 'fuzz: minimizing' && return 1
	# Every indented line under a --- FAIL must be the deadline line: a t.Error message or a
	# crash report is a finding.
	printf '%s\n' "$out" | awk '
		/^--- FAIL:/ { infail = 1; next }
		infail && /^[[:space:]]+/ { if ($0 !~ /^[[:space:]]*context deadline exceeded$/) bad = 1; next }
		{ infail = 0 }
		END { exit bad }'
}

fuzz_one() {
	"$GO" test "$pkg" -run '^$' -fuzz "^$tgt\$" -fuzztime "$fuzztime" \
		-fuzzminimizetime "$minimize" -parallel "$parallel"
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT

for pt in "$@"; do
	pkg=${pt%%:*}
	tgt=${pt##*:}
	if [ "$pkg" = "$pt" ] || [ -z "$tgt" ]; then
		echo "fuzz: $pt: want PKG:TARGET" >&2
		exit 2
	fi
	attempt=0
	while :; do
		[ "$quiet" -eq 1 ] || echo "fuzz: $tgt ($pkg) for $fuzztime"
		if [ "$quiet" -eq 1 ]; then
			fuzz_one >"$log" 2>&1
			rc=$?
		else
			fuzz_one 2>&1 | tee "$log"
			rc=${PIPESTATUS[0]}
		fi
		out=$(cat "$log")
		if [ $rc -eq 0 ]; then
			break
		fi
		if [ "$attempt" -lt "$retries" ] && deadline_flake "$out"; then
			attempt=$((attempt + 1))
			echo "fuzz: $tgt ($pkg): the engine stopped with a bare \"context deadline exceeded\" and no failing input (golang/go#75804); running it again ($attempt of $retries)"
			continue
		fi
		[ "$quiet" -eq 0 ] || printf '%s\n' "$out"
		echo "fuzz: $tgt ($pkg) FAILED"
		exit 1
	done
	line=$(printf '%s\n' "$out" | sed -n 's/^fuzz: elapsed: \(.*execs: [0-9]*.*\)$/\1/p' | tail -n 1)
	execs=$(printf '%s\n' "$line" | sed -n 's/.*execs: \([0-9]*\).*/\1/p')
	if [ -z "$execs" ]; then
		# A target whose seed corpus is slow to run (FuzzTamper: every seed is a full tamper
		# check) can spend the whole time on the baseline on a busy machine. Its seeds were
		# run through the target, so it did execute inputs.
		line=$(printf '%s\n' "$out" | sed -n 's/^fuzz: elapsed: \(.*gathering baseline coverage: [0-9]*\/[0-9]* completed\).*$/\1/p' | tail -n 1)
		execs=$(printf '%s\n' "$line" | sed -n 's/.*coverage: \([0-9]*\)\/.*/\1/p')
		[ -z "$line" ] || line="$line (no time left to fuzz beyond the seeds)"
	fi
	if [ "$require_execs" -eq 1 ] && { [ -z "$execs" ] || [ "$execs" -eq 0 ]; }; then
		[ "$quiet" -eq 0 ] || printf '%s\n' "$out"
		echo "fuzz: $tgt ($pkg) matched no fuzz function or executed no input"
		exit 1
	fi
	echo "fuzz: $tgt ($pkg) ok: ${line:-no progress line}"
done
