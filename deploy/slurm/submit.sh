#!/bin/sh
# Submit a whole-trace check to Slurm: the shard array, then the merge step that waits for
# it. The shard count is set once, here, by FPVMDIFF_SHARDS; the other FPVMDIFF_* settings
# are those of deploy/entry.sh (FPVMDIFF_ELF at least). Extra arguments go to both sbatch
# calls (for example --partition=long).
#
#   FPVMDIFF_SHARDS=32 FPVMDIFF_ELF=/data/op-program.elf \
#   FPVMDIFF_PREIMAGES=/data/pre.json FPVMDIFF_OUT=/shared/run1 deploy/slurm/submit.sh
#
# Prints the array's and the merge's job ids. FPVMDIFF_OUT must be on a file system every
# node sees; FPVMDIFF_CPUS_PER_SHARD (default 2) CPUs are requested per shard.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

n=${FPVMDIFF_SHARDS:-32}
case $n in
'' | *[!0-9]* | 0) echo "submit.sh: FPVMDIFF_SHARDS=$n: want a whole number of at least 1" >&2; exit 2 ;;
esac
[ -n "${FPVMDIFF_ELF:-}" ] || { echo "submit.sh: set FPVMDIFF_ELF to the guest ELF" >&2; exit 2; }
out=${FPVMDIFF_OUT:-results}
case $out in /*) ;; *) out=$PWD/$out ;; esac
mkdir -p "$out"

export FPVMDIFF_SHARDS="$n" FPVMDIFF_OUT="$out"
export FPVMDIFF_ENTRY="${FPVMDIFF_ENTRY:-$here/../entry.sh}"

# --parsable prints "jobid" or "jobid;cluster".
array=$(sbatch --parsable --array="0-$((n - 1))" --cpus-per-task="${FPVMDIFF_CPUS_PER_SHARD:-2}" \
	--output="$out/slurm-shard-%a.log" "$@" "$here/shards.sbatch")
array=${array%%;*}
# afterok: only when every task of the array succeeded; a failed shard cancels the merge
# (--kill-on-invalid-dep) instead of leaving it pending forever.
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
	--output="$out/slurm-merge.log" "$@" "$here/merge.sbatch")
merge=${merge%%;*}
echo "$array $merge"
