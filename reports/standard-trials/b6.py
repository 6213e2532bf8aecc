# --standard with batch 6 (commit 0df625a), stopped after its CE baseline: the 2700-step runs against the same schedule
# with its last half doubled (4050), paired over the three seeds, beside the batch-8 report's (reports/standard-resnet10t).
# The runs' files are in b6-baseline/ (copied from the call's folder; calls.json is the call's own wall-clock record).
# Run from the repository root: python reports/standard-trials/b6.py > reports/standard-trials/b6.log
import json
from pathlib import Path
from segnb.reproduce import paired_diff
for name, d in (('batch 6', Path('reports/standard-trials/b6-baseline')), ('batch 8 (the committed report)', Path('reports/standard-resnet10t/runs'))):
    r = lambda k, s: json.loads((d / f'{k}-seed{s}' / 'summary.json').read_text())
    bs = {json.loads((d / f'{k}-seed{s}' / 'config.json').read_text())['batch_size'] for k in ('base', 'iters=4050') for s in range(3)}
    assert [r(k, s)['step'] for k in ('base', 'iters=4050') for s in range(3)] == [2700] * 3 + [4050] * 3
    base, long = [100 * r('base', s)['mIoU'] for s in range(3)], [100 * r('iters=4050', s)['mIoU'] for s in range(3)]
    dd = paired_diff(long, base)
    print(f"{name}, batch_size {bs}: mIoU (%) after 2700 steps {', '.join(f'{v:.2f}' for v in base)}; after 4050 {', '.join(f'{v:.2f}' for v in long)}")
    print(f"  last half doubled − 2700: {dd['mean']:+.2f} [{dd['lo']:+.2f}, {dd['hi']:+.2f}] points (95% t-interval, paired sd {dd['sd']:.2f}, "
          f"n = {dd['n']}); converged by the report's criterion (mean gain < 1): {dd['mean'] < 1}")
    curve = [(st, 100 * sum(r('base', s)['curve'][i][1] for s in range(3)) / 3) for i, (st, _) in enumerate(r('base', 0)['curve'])]
    print('  CE learning curve, mean over the seeds (%): ' + ', '.join(f'{st}: {v:.2f}' for st, v in curve))
    sps = [r('iters=4050', s)['seconds'] / 4050 for s in range(3)]
    print(f"  seconds per step of the 4050-step runs: {', '.join(f'{v:.3f}' for v in sps)}")
c = json.loads(Path('reports/standard-trials/b6-baseline/calls.json').read_text())[0]
print(f"the batch-6 call: started {c['started']}, {c['seconds']:.0f} s on its record when it was stopped (finished: {c['finished']})")
