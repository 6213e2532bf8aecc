import sys, time, torch
torch.set_num_threads(1)
from segnb.recipe import TrainConfig
from segnb.train import fit
from segnb.data import SYNTHSCAPES_CLASSES
lr = float(sys.argv[1]); t0 = time.time()
r = fit(TrainConfig(data='data/synthscapes-std', out=f'/tmp/lr/run{lr}', encoder='resnet10t', output_stride=16, model_kwargs={'decoder_channels': 128},
                    scale=0.25, batch_size=8, iters=1200, eval_every=400, max_val=50, ckpt_every=10_000, num_workers=0, progress=False, optimizer='adamw', lr=lr))
print(f'OS16 lr {lr} 1200 steps {time.time() - t0:.0f} s (1 thread, two runs side by side)')
for e in r['history']['eval']:
    print(f"  step {e['step']}: mIoU {100 * e['mIoU']:.1f}; " + ', '.join(f'{c} {100 * v:.1f}' for c, v in zip(SYNTHSCAPES_CLASSES, e['IoU'])), flush=True)
