#!/usr/bin/env bash
# segnb's GPU checks in one command: `bash tools/gpu_check.sh [--cpu] [--only PHASES] [--out DIR] [--deadline S]`.
#   On a GPU machine without network: installs segnb and the wheels in .whl/ (made by tools/gpu_wheels.sh) offline.
#   On a machine with network and no .whl/: pip install -e ".[dev]" (skipped when segnb and nbdev already import).
#   --cpu: a dry run on the CPU (nothing installed; `#| cuda` cells at tiny sizes), as .ci/run does.
# Then tools/gpu_check.py runs the phases (env, notebooks, smoke, probe) within the deadline and leaves 3 files in --out
# (default $OUT): gpu_check.log, outputs.json (the cuda cells' outputs: merge with tools/run_nbs.py --merge) and results.json.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-gpu_check_out}"; cpu=0; args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --cpu) cpu=1 ;;
    --out) out="${args[$((i + 1))]}" ;;
    --out=*) out="${args[$i]#--out=}" ;;
  esac
done
mkdir -p "$out"
log="$out/gpu_check.log"
export PYTHONUNBUFFERED=1
{
  t0=$SECONDS
  if [ "$cpu" -eq 0 ]; then
    if [ -d .whl ] && ls .whl/*.whl >/dev/null 2>&1; then
      echo "gpu_check: installing $(ls .whl/*.whl | wc -l) wheels and segnb offline into /tmp/site"
      python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
      export PYTHONPATH="/tmp/site${PYTHONPATH:+:$PYTHONPATH}"
      export PATH="/tmp/site/bin:$PATH"
      if ! python3 -m pip install -q --no-index --no-deps --no-build-isolation --no-cache-dir --target /tmp/site .; then
        echo "gpu_check: segnb could not be built here (no setuptools?): it is imported from this checkout instead"
        export PYTHONPATH="$PWD:$PYTHONPATH"
      fi
    elif ! python3 -c 'import segnb, nbdev' 2>/dev/null; then
      echo "gpu_check: pip install -e \".[dev]\""; python3 -m pip install -q -e ".[dev]" || exit 1
    fi
    echo "gpu_check: install took $((SECONDS - t0)) s"
  fi
  python3 tools/gpu_check.py --out "$out" "$@"
} 2>&1 | tee "$log"
exit "${PIPESTATUS[0]}"
