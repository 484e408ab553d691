#!/usr/bin/env bash
# Wall time of a warm `go tool mage status` on the demo repository.
#
# Usage: bench/release/mage-status.sh [runs]   (from the repository root)
#
# Builds the demo (go tool mage demo, offline), runs status once to warm
# mage's compiled-magefile cache and the go command's tool cache, then
# times `runs` more runs (default 10) and prints each and the median.
set -euo pipefail
runs=${1:-10}
cd "$(dirname "$0")/../.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
go tool mage demo >"$out"
dir=$(sed -n 's/^demo: repositories in //p' "$out")
repo="$dir/cloud-api-adaptor"
go tool mage -w "$repo" status >/dev/null
times=()
for _ in $(seq "$runs"); do
	start=$(date +%s%N)
	go tool mage -w "$repo" status >/dev/null
	end=$(date +%s%N)
	times+=($(((end - start) / 1000000)))
done
printf 'warm go tool mage status on %s, %d runs (ms): %s\n' "$repo" "$runs" "${times[*]}"
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median: " a[int((NR+1)/2)] " ms, min: " a[1] " ms"}'
rm -rf "$dir"
