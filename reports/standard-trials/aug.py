# Does the --standard CE baseline converge sooner without the random resize (aug_scale (1, 1): flips only)?
# Usage: python aug.py ITERS SEED '{"aug_scale": [1.0, 1.0]}'   (1 thread; the JSON overrides the preset's training)
# The trials ran while --standard trained resnet10t: the base below stays that training (`--standard_extra`'s).
import sys, json, time, torch, shutil
torch.set_num_threads(1)
from segnb.recipe import TrainConfig
from segnb.train import fit
from segnb.reproduce import PRESETS
from segnb.data import SYNTHSCAPES_CLASSES as C
iters, seed, over = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
out = f'/tmp/augtrial/{iters}-{seed}-{time.time_ns()}'
t0 = time.time()
r = fit(TrainConfig(**{**PRESETS['standard-extra']['train'], 'data': 'data/synthscapes-std', 'out': out, 'iters': iters, 'seed': seed,
                       'ckpt_every': 10**6, 'eval_every': 450, 'progress': False, **over}))
print(f"{json.dumps(over)} seed {seed}, {iters} steps, {time.time() - t0:.0f} s: val mIoU (%) by step "
      + ', '.join(f"{e['step']}: {100 * e['mIoU']:.2f}" for e in r['history']['eval']))
print('  final per-class IoU (%): ' + ', '.join(f'{c} {100 * v:.1f}' for c, v in zip(C, r['IoU'])), flush=True)
shutil.rmtree(out, ignore_errors=True)
