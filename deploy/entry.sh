#!/bin/sh
# The entry command of the shard image, of the Slurm array and of the GitHub Actions matrix:
# one script, so that every engine runs a shard and a merge the same way.
#
#   entry.sh shard [EXTRA fpvmdiff run FLAGS...]   check one shard of the trace
#   entry.sh merge [EXTRA fpvmdiff merge FLAGS...] merge every shard's summary
#
# Which shard: FPVMDIFF_SHARD_INDEX when set (a CI matrix passes it), otherwise the index the
# engine gives each task: JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or
# SLURM_ARRAY_TASK_ID (Slurm job array, counted from SLURM_ARRAY_TASK_MIN).
# How many shards: FPVMDIFF_SHARDS, otherwise SLURM_ARRAY_TASK_COUNT.
#
# Other settings (environment):
#   FPVMDIFF_ELF        the guest ELF (required)
#   FPVMDIFF_RANGE      steps to check, A:B or A:end (default 0:end, the whole trace)
#   FPVMDIFF_CHECK      all or sample (default all)
#   FPVMDIFF_PREIMAGES  pre-image file for guests that read pre-images (optional)
#   FPVMDIFF_WORKERS    EVM workers (default: fpvmdiff's, one per core the process sees)
#   FPVMDIFF_OUT        results folder, shared by the shards and the merge (default ./results)
#   FPVMDIFF_BIN        the fpvmdiff binary (default: the one beside this script, as
#                       `make stage` and the image lay them out, else fpvmdiff on PATH)
#
# Shard i writes FPVMDIFF_OUT/shard-i.json (and a divergence bundle there when it finds
# one). When shard-i.json is already there from an interrupted attempt, the shard resumes it
# (fpvmdiff run --resume) instead of starting over. Exit codes: a divergence (fpvmdiff's 1) is a finished shard whose summary says what
# diverged, so the shard exits 0 and the merge, which reads every summary, exits 1; an
# engine then neither retries a deterministic result nor skips the merge (Slurm's
# afterok). Usage errors (2) and crashes keep their code. The merge exits as fpvmdiff does.
set -u

prog=fpvmdiff-entry
die() {
	echo "$prog: $*" >&2
	exit 2
}

# is_count VALUE: VALUE is a non-negative decimal integer.
is_count() {
	case $1 in
	'' | *[!0-9]*) return 1 ;;
	esac
	return 0
}

bin=${FPVMDIFF_BIN:-}
if [ -z "$bin" ]; then
	bin=fpvmdiff
	[ -x "$(dirname "$0")/fpvmdiff" ] && bin=$(dirname "$0")/fpvmdiff
fi
out=${FPVMDIFF_OUT:-results}

# shard_count sets n from FPVMDIFF_SHARDS or the Slurm array's size.
shard_count() {
	n=${FPVMDIFF_SHARDS:-${SLURM_ARRAY_TASK_COUNT:-}}
	[ -n "$n" ] || die "shard count unknown: set FPVMDIFF_SHARDS"
	if ! is_count "$n" || [ "$n" -lt 1 ]; then
		die "FPVMDIFF_SHARDS=$n: want a whole number of at least 1"
	fi
}

# shard_index sets i to this task's index and src to the variable it came from.
shard_index() {
	if [ -n "${FPVMDIFF_SHARD_INDEX:-}" ]; then
		src=FPVMDIFF_SHARD_INDEX i=$FPVMDIFF_SHARD_INDEX
	elif [ -n "${JOB_COMPLETION_INDEX:-}" ]; then
		src=JOB_COMPLETION_INDEX i=$JOB_COMPLETION_INDEX
	elif [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
		src=SLURM_ARRAY_TASK_ID i=$SLURM_ARRAY_TASK_ID
		base=${SLURM_ARRAY_TASK_MIN:-0}
		if ! is_count "$i" || ! is_count "$base"; then
			die "SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_MIN=$base: want whole numbers"
		fi
		[ "$i" -ge "$base" ] || die "SLURM_ARRAY_TASK_ID=$i is below SLURM_ARRAY_TASK_MIN=$base"
		i=$((i - base))
	else
		die "no shard index: set FPVMDIFF_SHARD_INDEX, or run as a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or a Slurm job array (SLURM_ARRAY_TASK_ID)"
	fi
	is_count "$i" || die "$src=$i: want a whole number"
}

# run_forwarding CMD...: run CMD as a child and pass SIGTERM/SIGINT on to it. As a
# container's PID 1 a shell would otherwise ignore the SIGTERM an engine sends before it
# kills the pod, and fpvmdiff would never get to write its interrupted summary. Both go on
# as SIGTERM: a non-interactive shell starts background children with SIGINT ignored, and
# fpvmdiff stops the same way on either.
run_forwarding() {
	"$@" &
	child=$!
	trap 'kill -TERM "$child" 2>/dev/null' TERM INT
	# wait returns early when a trapped signal arrives; wait again until the child is gone.
	while :; do
		wait "$child"
		rc=$?
		kill -0 "$child" 2>/dev/null || break
	done
	trap - TERM INT
	return "$rc"
}

do_shard() {
	[ -n "${FPVMDIFF_ELF:-}" ] || die "FPVMDIFF_ELF is not set: which guest ELF to check"
	[ -f "$FPVMDIFF_ELF" ] || die "FPVMDIFF_ELF=$FPVMDIFF_ELF: no such file"
	shard_count
	shard_index
	[ "$i" -lt "$n" ] || die "shard index $i (from $src) is not below the shard count $n"
	mkdir -p "$out" || die "cannot create the results folder $out"
	summary=$out/shard-$i.json

	# A retried task (a preempted pod, a requeued Slurm task) whose earlier attempt was
	# interrupted resumes it: the earlier summary is kept under another name and the new
	# run continues its counts, so shard-i.json ends up the summary of the whole shard.
	resume=
	if [ -f "$summary" ] && grep -q '"interrupted": true' "$summary"; then
		k=1
		while [ -e "$out/shard-$i.interrupted-$k.json" ]; do k=$((k + 1)); done
		resume=$out/shard-$i.interrupted-$k.json
		mv "$summary" "$resume" || die "cannot keep the interrupted summary as $resume"
		echo "$prog: shard $i/$n was interrupted before; resuming from $resume" >&2
	fi

	set -- run "$FPVMDIFF_ELF" --quiet --check "${FPVMDIFF_CHECK:-all}" \
		--range "${FPVMDIFF_RANGE:-0:end}" --shard "$i/$n" \
		--json "$summary" --junit "$out/shard-$i.junit.xml" --bundle-dir "$out" "$@"
	[ -z "${FPVMDIFF_PREIMAGES:-}" ] || set -- "$@" --preimages "$FPVMDIFF_PREIMAGES"
	[ -z "${FPVMDIFF_WORKERS:-}" ] || set -- "$@" --workers "$FPVMDIFF_WORKERS"
	[ -z "$resume" ] || set -- "$@" --resume "$resume"

	echo "$prog: shard $i/$n (index from $src): $bin $*" >&2
	run_forwarding "$bin" "$@"
	rc=$?
	if [ "$rc" -eq 1 ] && [ -f "$summary" ]; then
		echo "$prog: shard $i/$n diverged; its summary and bundle are in $out (the merge reports it)" >&2
		exit 0
	fi
	exit "$rc"
}

do_merge() {
	shard_count
	# Every shard must have left a summary: a lost task must not pass as a shorter trace.
	missing=
	i=0
	while [ "$i" -lt "$n" ]; do
		[ -f "$out/shard-$i.json" ] || missing="$missing $i"
		i=$((i + 1))
	done
	[ -z "$missing" ] || die "no summary from shard(s)$missing of $n in $out"
	set -- merge --json "$out/merged.json" "$@"
	i=0
	while [ "$i" -lt "$n" ]; do
		set -- "$@" "$out/shard-$i.json"
		i=$((i + 1))
	done
	echo "$prog: $bin $*" >&2
	exec "$bin" "$@"
}

mode=${1:-}
[ $# -eq 0 ] || shift
case $mode in
shard) do_shard "$@" ;;
merge) do_merge "$@" ;;
*) die "usage: entry.sh shard|merge [fpvmdiff flags...] (got '${mode}')" ;;
esac
