# regnetx_002's CE baseline (as regnet.sh) with lr 8e-3 instead of 4e-3, seed 0, 2700 and 4050 steps side by side.
# Run from the repository root: bash reports/standard-trials/regnet-lr.sh > reports/standard-trials/regnet-lr.log 2>&1
echo "\$ bash reports/standard-trials/regnet-lr.sh   # started $(date -u '+%F %H:%M') UTC on $(lscpu | grep 'Model name' | sed 's/.*: *//'), commit $(git rev-parse --short HEAD)"
printf '%s\n' "4050 0" "2700 0" |
  xargs -P 2 -L 1 sh -c 'python reports/standard-trials/aug.py $0 $1 "{\"encoder\": \"regnetx_002\", \"lr\": 0.008}"'
