# The first --standard schedule (1800 steps, SynthScapes version 2, 4 seeds) against the same runs with the last half
# of the schedule doubled (2700 steps): the runs' own summary.json files, copied to v2-baseline/. Run from the repository root.
import json, numpy as np
from segnb.reproduce import paired_diff
from segnb.data import SYNTHSCAPES_CLASSES as C
r = lambda k, s: json.load(open(f'reports/standard-trials/v2-baseline/{k}-seed{s}/summary.json'))
base, long = [100 * r('base', s)['mIoU'] for s in range(4)], [100 * r('iters=2700', s)['mIoU'] for s in range(4)]
print('mIoU (%) after 1800 steps:', ', '.join(f'{v:.2f}' for v in base))
print('mIoU (%) after 2700 steps:', ', '.join(f'{v:.2f}' for v in long))
d = paired_diff(long, base)
print(f"paired gain {d['mean']:+.2f} [{d['lo']:+.2f}, {d['hi']:+.2f}] points (95% t-interval, p = {d['p']:.3f}, paired sd {d['sd']:.2f}, n = {d['n']})")
for k in ('base', 'iters=2700'):
    print(f'{k}: IoU (%) of fence and bicycle per seed:', '; '.join(f"{100 * r(k, s)['IoU'][C.index('fence')]:.2f} / {100 * r(k, s)['IoU'][C.index('bicycle')]:.2f}" for s in range(4)))

# The second --standard (SynthScapes version 3, 3 seeds, 2700 steps, random resize 0.5-2): its baseline against 4050
# steps, for the two seeds whose 4050-step run finished before it was stopped (v3-aug-baseline/)
r3 = lambda k, s: json.load(open(f'reports/standard-trials/v3-aug-baseline/{k}-seed{s}/summary.json'))
base3 = [100 * r3('base', s)['mIoU'] for s in range(3)]
long3 = [100 * r3('iters=4050', s)['mIoU'] for s in range(2)]
print('\nversion 3, random resize (0.5, 2): mIoU (%) after 2700 steps:', ', '.join(f'{v:.2f}' for v in base3))
print('version 3, random resize (0.5, 2): mIoU (%) after 4050 steps:', ', '.join(f'{v:.2f}' for v in long3), '(seeds 0 and 1)')
print('gain per seed:', ', '.join(f'{l - b:+.2f}' for l, b in zip(long3, base3)), 'points')
print('fence IoU (%) after 2700 steps per seed:', ', '.join(f"{100 * r3('base', s)['IoU'][C.index('fence')]:.1f}" for s in range(3)))
