# Seconds per training step of the --standard training with some settings changed (1 thread; run two side by side).
# Usage: python speed.py STEPS '{"cache_images": true}'   (the JSON overrides the preset's `train` settings)
# The trials ran while --standard trained resnet10t: the base below stays that training (`--standard_extra`'s).
import sys, json, time, torch, shutil
torch.set_num_threads(1)
from segnb.recipe import TrainConfig
from segnb.train import fit
from segnb.reproduce import PRESETS
steps, over = int(sys.argv[1]), json.loads(sys.argv[2])
out = f'/tmp/speedtrial/{time.time_ns()}'
t0 = time.time()
r = fit(TrainConfig(**{**PRESETS['standard-extra']['train'], 'data': 'data/synthscapes-std', 'out': out, 'iters': steps,
                       'ckpt_every': 10**6, 'eval_every': 0, 'max_val': 1, 'progress': False, **over}))
dt = time.time() - t0
bs = over.get('batch_size', PRESETS['standard-extra']['train']['batch_size'])
print(f'{json.dumps(over)}: {steps} steps in {dt:.1f} s = {dt / steps:.3f} s/step, {bs * steps / dt:.1f} images/s (set-up included)', flush=True)
shutil.rmtree(out, ignore_errors=True)
