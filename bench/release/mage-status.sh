#!/usr/bin/env bash
# Wall time of a warm `go tool mage status` on the demo repository.
#
# Usage: bench/release/mage-status.sh [runs]   (from the repository root)
#
# Builds the demo (go tool mage demo, offline), runs status once to warm
# mage's compiled-magefile cache and the go command's tool cache, then
# times `runs` more runs (default 10) and prints each and the median. Then
# the same with a binary from `go tool mage -compile`: mage itself runs go
# list and go build on every call (with a Go build cache it never trusts
# its own compiled binary), which is most of the first figure.
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
report() {
	printf '%s, %d runs (ms): %s\n' "$1" "$runs" "${times[*]}"
	printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "  median: " a[int((NR+1)/2)] " ms, min: " a[1] " ms"}'
}
report "warm go tool mage status on $repo"

bin="$dir/release-mage"
go tool mage -compile "$bin" >/dev/null
times=()
for _ in $(seq "$runs"); do
	start=$(date +%s%N)
	(cd "$repo" && "$bin" status >/dev/null)
	end=$(date +%s%N)
	times+=($(((end - start) / 1000000)))
done
report "the same magefile compiled (go tool mage -compile)"
rm -rf "$dir"
