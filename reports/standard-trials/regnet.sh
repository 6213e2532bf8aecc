# The CE baseline of --standard (batch 8) with the regnetx_002 encoder instead of resnet10t, seeds 0-2, 2700 steps and
# the last half doubled (4050), two 1-thread runs side by side, longest first. Run from the repository root:
#   bash reports/standard-trials/regnet.sh > reports/standard-trials/regnet.log 2>&1
echo "\$ bash reports/standard-trials/regnet.sh   # started $(date -u '+%F %H:%M') UTC on $(lscpu | grep 'Model name' | sed 's/.*: *//'), commit $(git rev-parse --short HEAD) + the working tree"
printf '%s\n' "4050 0" "4050 1" "4050 2" "2700 0" "2700 1" "2700 2" |
  xargs -P 2 -L 1 sh -c 'python reports/standard-trials/aug.py $0 $1 "{\"encoder\": \"regnetx_002\"}"'
