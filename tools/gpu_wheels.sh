#!/usr/bin/env bash
# Download the wheels of tools/gpu_wheels.txt for the GPU machine (CPython 3.12, manylinux x86_64) into .whl/ (ignored by
# git): `bash tools/gpu_wheels.sh`. Run it on a machine with network; the GPU machine has none. Exactly the pinned
# versions, no dependencies resolved (the list is the closure already), and nothing else in .whl/ afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.whl
rm -rf "$dest"; mkdir -p "$dest"
pins=$(grep -v '^\s*#' tools/gpu_wheels.txt | grep -v '^\s*$')
plat=""
for p in manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_24_x86_64 manylinux_2_17_x86_64 manylinux2014_x86_64 manylinux1_x86_64; do
  plat="$plat --platform $p"
done
# shellcheck disable=SC2086
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp $plat -d "$dest" $pins
n_pins=$(echo "$pins" | wc -l); n_whl=$(ls "$dest"/*.whl | wc -l)
[ "$n_pins" -eq "$n_whl" ] || { echo "gpu_wheels: $n_whl wheels for $n_pins pins"; exit 1; }
echo "gpu_wheels: $n_whl wheels, $(du -sm "$dest" | cut -f1) MiB in $dest/"
