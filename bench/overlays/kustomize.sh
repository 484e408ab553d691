#!/usr/bin/env bash
# Pins the cloud-api-adaptor image in the 8 real v0.13.0 overlays with
# `kustomize edit set image`, the way the process document does by hand, and
# prints the wall time of the loop, to compare with BenchmarkPinOverlays.
# With --golden it also stores kustomize's output in
# overlays/testdata/kustomize-edit/, which TestKustomizeRewrites compares with
# this project's one-line edits.
#
# Needs kustomize on PATH: go install sigs.k8s.io/kustomize/kustomize/v5@v5.8.2
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v kustomize >/dev/null || { echo "kustomize not on PATH: go install sigs.k8s.io/kustomize/kustomize/v5@v5.8.2" >&2; exit 1; }
sha=1265e4914a7b5c19cb48ed6ed9d9e138edde4121
src=internal/fixture/caa-v0.13.0/03-pin-caa-image/before/src/cloud-api-adaptor/install/overlays
runs=${RUNS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pin_all() {
  for dir in "$1"/*/; do
    tag=$sha
    case $(basename "$dir") in libvirt | docker) tag=dev-$sha ;; esac
    (cd "$dir" && kustomize edit set image "cloud-api-adaptor=quay.io/confidential-containers/cloud-api-adaptor:$tag")
  done
}

total=0
for i in $(seq "$runs"); do
  rm -rf "$work/o" && cp -r "$src" "$work/o"
  start=$(date +%s%N)
  pin_all "$work/o"
  end=$(date +%s%N)
  total=$((total + end - start))
done
echo "kustomize edit set image, 8 overlays: $((total / runs / 1000)) us per loop (mean of $runs, kustomize $(kustomize version))"

if [ "${1:-}" = --golden ]; then
  out=overlays/testdata/kustomize-edit
  mkdir -p "$out"
  for dir in "$work"/o/*/; do
    cp "$dir/kustomization.yaml" "$out/$(basename "$dir").yaml"
  done
  echo "kustomize's output stored in $out"
fi
