# The --standard runs trained on the AMD EPYC machine (epyc-4050/) against the committed resnet10t ones (trained on the Xeon, reports/standard-resnet10t), and
# the training labels of the SynthScapes set generated here against the committed report's data experiment.
# Run from the repository root with data/synthscapes-std generated on this machine: python reports/standard-trials/epyc.py
import json
from pathlib import Path
import numpy as np
from segnb.data import get_dataset, class_pixel_counts
committed = json.loads(Path('reports/standard-resnet10t/results.json').read_text())
ds = get_dataset('data/synthscapes-std', 'train')
here = [int(v) for v in class_pixel_counts(ds)]
print(f"training label pixels per class, here: {here}\n  committed report (data experiment): {committed['experiments']['data']['results']['pixel_counts']}"
      f"\n  equal: {here == committed['experiments']['data']['results']['pixel_counts']}")
for d in sorted(Path('reports/standard-trials/epyc-4050').iterdir()):
    a, b = (json.loads((p / d.name / 'summary.json').read_text()) for p in (Path('reports/standard-trials/epyc-4050'), Path('reports/standard-resnet10t/runs')))
    ca, cb = (json.loads((p / d.name / 'config.json').read_text()) for p in (Path('reports/standard-trials/epyc-4050'), Path('reports/standard-resnet10t/runs')))
    same_cfg = ca == {**cb, 'out': ca['out']}
    print(f"{d.name}: final mIoU {100 * a['mIoU']:.4f}% here, {100 * b['mIoU']:.4f}% committed (Δ {100 * (a['mIoU'] - b['mIoU']):+.4f} pts); "
          f"same config but the folder: {same_cfg}; validation pixels per class equal: {a['gt_pixels'] == b['gt_pixels']}; "
          f"largest per-class IoU difference {100 * np.nanmax(np.abs(np.array(a['IoU'], float) - np.array(b['IoU'], float))):.2f} pts")
