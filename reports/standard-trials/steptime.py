import sys, time, torch, numpy as np
from segnb.models import DeepLabV3Plus
from segnb.losses import CELoss
torch.set_num_threads(int(sys.argv[1])); h, w = int(sys.argv[2]), int(sys.argv[3])
torch.manual_seed(0); m = DeepLabV3Plus('resnet10t', 12, 8, decoder_channels=128).train()
opt = torch.optim.AdamW(m.parameters(), lr=1e-3); crit = CELoss()
x, y = torch.randn(8, 3, h, w), torch.randint(0, 12, (8, h, w)); ts = []
for _ in range(18):
    t0 = time.perf_counter(); crit(m(x), y).backward(); opt.step(); opt.zero_grad(set_to_none=True); ts.append(time.perf_counter() - t0)
print(sys.argv[1:], f'{np.median(ts[3:]):.3f}')
