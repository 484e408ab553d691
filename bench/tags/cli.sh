#!/usr/bin/env bash
# The work of the tags benchmarks done with the git command line, to compare
# with `go test -bench . ./tags/`: on a repository with COMMITS commits and
# MODULES go.mod files, each run fetches the remote's main, creates one tag
# per module on origin/main and pushes them all in one atomic push. Prints
# the mean wall time of a run.
#
#   bench/tags/cli.sh                      # 6 modules, 10,000 commits
#   MODULES=200 COMMITS=100 bench/tags/cli.sh
set -euo pipefail
modules=${MODULES:-6}
commits=${COMMITS:-10000}
runs=${RUNS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

git init -q -b main "$work/repo"
{
  for ((c = 1; c <= commits; c++)); do
    printf 'commit refs/heads/main\nmark :%d\ncommitter T <t@example.com> %d +0000\ndata 8\ncommit %d\n' "$c" $((1700000000 + c)) $((c % 10))
    [ "$c" -gt 1 ] && printf 'from :%d\n' $((c - 1))
    content="$c"
    printf 'M 100644 inline history.txt\ndata %d\n%s\n\n' $((${#content} + 1)) "$content"
    if [ "$c" -eq "$commits" ]; then
      for ((m = 0; m < modules; m++)); do
        gomod="module example.com/r/m$m"
        printf 'M 100644 inline m%03d/go.mod\ndata %d\n%s\n\n' "$m" $((${#gomod} + 1)) "$gomod"
      done
    fi
  done
} | git -C "$work/repo" fast-import --quiet
git -C "$work/repo" reset -q --hard main
git init -q --bare -b main "$work/remote"
git -C "$work/repo" remote add origin "file://$work/remote"
git -C "$work/repo" push -q origin main

total=0
for ((i = 0; i < runs; i++)); do
  start=$(date +%s%N)
  git -C "$work/repo" fetch -q origin main
  names=()
  for ((m = 0; m < modules; m++)); do
    name=$(printf 'm%03d/v1.0.%d' "$m" "$i")
    git -C "$work/repo" tag "$name" origin/main
    names+=("$name")
  done
  git -C "$work/repo" push -q --atomic origin "${names[@]}"
  end=$(date +%s%N)
  total=$((total + end - start))
done
echo "git CLI, $modules modules, $commits commits: $((total / runs / 1000000)) ms per run (mean of $runs, $(git --version))"
