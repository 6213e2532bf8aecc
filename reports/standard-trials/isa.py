# Does the CPU's instruction set change the numbers of a --standard run? Trains the preset's CE baseline (seed 0) for a
# few steps with 1 thread and prints its final mIoU and a fingerprint of its weights. Run with oneDNN's default kernels
# and with ONEDNN_MAX_CPU_ISA capping them (the kernels a CPU without AVX2 would run); see isa.log for the commands.
# Usage: python isa.py STEPS LABEL
# The trials ran while --standard trained resnet10t: the base below stays that training (`--standard_extra`'s).
import sys, json, time, shutil, torch
torch.set_num_threads(1)
from segnb.recipe import TrainConfig
from segnb.train import fit
from segnb.reproduce import PRESETS
steps, label = int(sys.argv[1]), sys.argv[2]
out = f'/tmp/isatrial/{time.time_ns()}'
r = fit(TrainConfig(**{**PRESETS['standard-extra']['train'], 'data': 'data/synthscapes-std', 'out': out, 'iters': steps, 'seed': 0,
                       'ckpt_every': 10**6, 'eval_every': 0, 'max_val': 20, 'progress': False}))
sd = torch.load(f'{out}/model.pt', map_location='cpu', weights_only=True)['model']
fp = sum(float(t.double().abs().sum()) for t in sd.values() if torch.is_tensor(t) and t.is_floating_point())
print(f'{label}: {steps} steps, mIoU {r["mIoU"]!r}, weight fingerprint {fp!r}', flush=True)
shutil.rmtree(out, ignore_errors=True)
