"""segnb's GPU checks in one command, with a deadline: `bash tools/gpu_check.sh` runs this after installing segnb.

Phases (in this order; `--only` picks some):
  env        versions (python, torch, timm, smp, setuptools, segnb), the GPU's name and driver; with --cpu also the
             wheel lock (tools/gpu_wheels.txt) against settings.ini's requirements and the GPU machine's packages
  notebooks  every notebook with `#| cuda` cells, as `nbdev_test --flags cuda` runs it (tools/run_nbs.py); the cuda
             cells' outputs go to outputs.json (merge them with `python tools/run_nbs.py --merge outputs.json`)
  smoke      `segnb train` in bf16 and fp16 for ce, lmp+softblv and arm+softblv (the loss falls, nothing is
             non-finite), and one run killed with SIGKILL and resumed, against the same run uninterrupted
  probe      the `--standard` preset's training step rate with 1, 4 and 8 processes side by side on the one device
Everything goes to at most 3 files in --out: gpu_check.log (what was printed), outputs.json, results.json.
With --cpu (a dry run) nothing is installed, SEGNB_GPU_DRY_RUN=1 makes the cuda cells run on the CPU at tiny sizes, and
the sizes of the smoke and the probe are tiny too: the script is exercised end to end without a GPU.
"""

from __future__ import annotations
import argparse, json, os, re, signal, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
T0 = time.time()
TRAIN = [sys.executable, '-c', 'import sys; from segnb.cli import main; main(sys.argv[1:])', 'train']  # `segnb train`


def left(deadline: float) -> float:
    return deadline - (time.time() - T0)


def say(*a):
    print(f'[gpu_check {time.time() - T0:5.0f} s]', *a, flush=True)


# --- env --------------------------------------------------------------------------------------------------------------
def _version(name):
    import importlib.metadata as md

    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return None


def env_info() -> dict:
    import platform, torch

    info = dict(
        python=platform.python_version(),
        torch=torch.__version__,
        cuda=torch.version.cuda,
        **{n: _version(n) for n in ('timm', 'segmentation-models-pytorch', 'setuptools', 'numpy', 'segnb', 'nbdev')},
        cpu_count=os.cpu_count(),
        gpu=None,
        driver=None,
    )
    from segnb.core import device_name

    info['cpu'] = device_name('cpu')
    if torch.cuda.is_available():
        info['gpu'] = torch.cuda.get_device_name(0)
        info['gpu_memory_gib'] = round(torch.cuda.get_device_properties(0).total_memory / 2**30, 1)
        info['capability'] = '.'.join(map(str, torch.cuda.get_device_capability(0)))
        try:
            out = subprocess.run(
                ['nvidia-smi', '--query-gpu=name,driver_version', '--format=csv,noheader'],
                capture_output=True,
                text=True,
                timeout=20,
            ).stdout.strip()
            info['driver'] = out.split(',')[-1].strip() if out else None
        except (OSError, subprocess.TimeoutExpired):
            pass
    return info


def _norm(n):
    return re.sub(r'[-_.]+', '-', n.strip().lower())


def check_lock() -> list:
    "Problems of the lock: a requirement neither the GPU machine nor the lock holds; a pin outside its specifier."
    import configparser
    from packaging.requirements import Requirement

    cp = configparser.ConfigParser()
    cp.read(ROOT / 'settings.ini')
    reqs = [Requirement(r) for k in ('requirements', 'dev_requirements') for r in cp['DEFAULT'][k].split()]
    lock_text = (ROOT / 'tools' / 'gpu_wheels.txt').read_text()
    pins = dict(l.split('==') for l in lock_text.splitlines() if l.strip() and not l.startswith('#'))
    pins = {_norm(k): v.strip() for k, v in pins.items()}
    skip = {
        _norm(n)
        for l in lock_text.splitlines()
        if l.startswith('# skip:')
        for n in l.split(':', 1)[1].split('(')[0].split()
    }
    machine = {
        _norm(l)
        for l in (ROOT / 'tools' / 'gpu_machine.txt').read_text().splitlines()
        if l.strip() and not l.startswith('#')
    }
    bad = []
    for r in reqs:
        n = _norm(r.name)
        if n in pins:
            if r.specifier and pins[n] not in r.specifier:
                bad.append(f'{r.name}: pinned {pins[n]}, settings.ini asks {r.specifier}')
        elif n not in machine and n not in skip:
            bad.append(f'{r.name}: neither on the GPU machine nor in tools/gpu_wheels.txt')
    dup = sorted(set(pins) & machine)
    if dup:
        bad.append(f'pinned although the GPU machine holds them (two versions stop the install): {dup}')
    return bad


GPU_FIRST = ('07_lmp', '05_softlabel', '02_spectral', '06_arm', '08_blv', '10_train', '03_spg', '09_models')


def gpu_order() -> list:
    "The cuda notebooks in the order a GPU run takes them: quick goals first, compilation (09_models) last."
    sys.path.insert(0, str(ROOT / 'tools'))
    from run_nbs import cuda_notebooks

    nbs = cuda_notebooks()
    rank = {n: i for i, n in enumerate(GPU_FIRST)}
    return [str(p) for p in sorted(nbs, key=lambda p: rank.get(p.stem, len(rank)))]


def count_cuda_cells() -> int:
    "How many `#| cuda` cells the notebooks hold."
    sys.path.insert(0, str(ROOT / 'tools'))
    from run_nbs import cuda_notebooks, flagged

    return sum(
        c['cell_type'] == 'code' and flagged(''.join(c['source']), 'cuda')
        for f in cuda_notebooks()
        for c in json.loads(f.read_text())['cells']
    )


# --- smoke ------------------------------------------------------------------------------------------------------------
def _last_mean(hist, k=20):
    l = [h['loss'] for h in hist['train']]
    k = max(1, min(k, len(l) // 2))
    return sum(l[:k]) / k, sum(l[-k:]) / k


def smoke(work: Path, cpu: bool, budget: float) -> dict:
    "The `segnb train` smoke runs, side by side; returns one record per run and the kill/resume comparison."
    from segnb.data import make_synthscapes

    size, n, iters = ((64, 128), 16, 6) if cpu else ((128, 256), 64, 200)
    data = str(make_synthscapes(work / 'ss-smoke', n_train=n, n_val=4, size=size, progress=False))
    common = [
        '--data',
        data,
        '--batch-size',
        '4' if cpu else '8',
        '--quiet',
        '--eval-every',
        '0',
        '--max-val',
        '4',
        '--ckpt-every',
        str(max(2, iters // 4)),
        '--scale',
        '0.5',
        '--num-workers',
        '0' if cpu else '2',
        '--device',
        'cpu' if cpu else 'cuda',
        '--encoder',
        'resnet10t' if cpu else 'resnet18',
    ]
    runs, n_iters = {}, {}
    for amp in ('bf16', 'fp16'):
        for loss in ('ce', 'lmp+softblv', 'arm+softblv'):
            lr = ['--label-resize', 'bilinear'] if 'soft' in loss else []
            n_iters[f'{loss}-{amp}'] = 2 if cpu and amp == 'fp16' else iters  # fp16 convolutions are slow on a CPU
            runs[f'{loss}-{amp}'] = common + [
                '--iters',
                str(n_iters[f'{loss}-{amp}']),
                '--amp',
                amp,
                '--loss',
                loss,
                *lr,
                '--out',
                str(work / f'smoke-{loss}-{amp}'),
            ]
    common += ['--iters', str(iters)]
    runs['killed'] = common + ['--amp', 'bf16', '--loss', 'ce', '--out', str(work / 'smoke-killed')]
    env = {**os.environ, 'OMP_NUM_THREADS': '1'} if cpu else None  # 8 runs side by side on a few cores
    procs = {
        k: subprocess.Popen(TRAIN + v, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        for k, v in runs.items()
    }
    # kill -9 the 'killed' run once its checkpoint is past the first quarter of the run, then resume it
    ck, killed_at = work / 'smoke-killed' / 'last.pt', None
    t_end = time.time() + budget
    while procs['killed'].poll() is None and time.time() < t_end:
        if ck.exists():
            import torch

            try:
                step = torch.load(ck, map_location='cpu', weights_only=True)['step']
            except Exception:
                step = 0
            if step >= max(2, iters // 4):
                time.sleep(0.2)
                procs['killed'].send_signal(signal.SIGKILL)
                killed_at = step
                break
        time.sleep(0.05)
    procs['killed'].wait()
    if killed_at is not None:
        procs['resumed'] = subprocess.Popen(
            TRAIN + runs['killed'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        runs['resumed'] = runs['killed']
    procs['reference'] = subprocess.Popen(
        TRAIN + common + ['--amp', 'bf16', '--loss', 'ce', '--out', str(work / 'smoke-reference')],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    out = {}
    for k, p in procs.items():
        try:
            text, _ = p.communicate(timeout=max(1.0, t_end - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()
            text = 'timed out'
        if k == 'killed':
            continue
        folder = work / ('smoke-killed' if k == 'resumed' else f'smoke-{k}')
        rec = dict(rc=p.returncode, tail=(text or '')[-600:])
        hf = folder / 'history.json'
        if p.returncode == 0 and hf.exists():
            h = json.loads(hf.read_text())
            first, last = _last_mean(h)
            losses = [x['loss'] for x in h['train']]
            rec.update(
                first=round(first, 4),
                last=round(last, 4),
                steps=len(losses),
                finite=all(x == x and abs(x) != float('inf') for x in losses),
                mIoU=h['eval'][-1]['mIoU'] if h['eval'] else None,
            )
            rec['ok'] = rec['finite'] and rec['steps'] == n_iters.get(k, iters) and (cpu or last < 0.8 * first)
        else:
            rec['ok'] = False
        out[k] = rec
        say(
            f"smoke {k}: {'ok' if rec['ok'] else 'FAILED'} "
            + (
                f"loss {rec.get('first')} -> {rec.get('last')}, mIoU {rec.get('mIoU')}"
                if 'first' in rec
                else rec['tail'][-300:]
            )
        )
    # resume after kill -9 on a GPU is not bit-exact (no deterministic kernel for some backward passes); tolerance:
    # the last-20-step mean loss within 10% and the final mIoU within 5 points of the uninterrupted run
    if killed_at is not None and out.get('resumed', {}).get('ok') and out.get('reference', {}).get('ok'):
        a, b = out['reference'], out['resumed']
        rel = abs(a['last'] - b['last']) / max(a['last'], 1e-9)
        dm = abs((a['mIoU'] or 0) - (b['mIoU'] or 0))
        out['resume'] = dict(
            killed_at_step=killed_at,
            loss_rel_diff=round(rel, 4),
            mIoU_diff=round(dm, 4),
            ok=rel <= 0.10 and dm <= 0.05,
            tolerance='last-20-step mean loss within 10%, mIoU within 5 points',
        )
    else:
        out['resume'] = dict(ok=False, killed_at_step=killed_at)
    say(f"smoke resume after kill -9: {out['resume']}")
    return out


# --- probe ------------------------------------------------------------------------------------------------------------
PROBE = r'''
import json, sys
from segnb.train import fit
from segnb.reproduce import PRESETS
cfg = dict(PRESETS['standard']['train']); cfg.update(json.loads(sys.argv[1]))
r = fit(**cfg)
w = r['history']['throughput'][1:] or r['history']['throughput']
print(json.dumps(dict(images_per_s=sorted(x['images_per_s'] for x in w)[len(w) // 2], batch=cfg['batch_size'])))
'''


def probe(work: Path, cpu: bool, budget: float) -> dict:
    "Steps per second of the --standard preset's training with 1, 4 and 8 processes side by side."
    from segnb.data import make_synthscapes
    from segnb.reproduce import PRESETS

    synth = dict(PRESETS['standard']['synth'])
    if cpu:
        synth = dict(n_train=16, n_val=2, size=(64, 128))
    data = str(make_synthscapes(work / 'ss-std', **synth, progress=False))
    iters, counts = (4, (1, 2)) if cpu else (200, (1, 4, 8))
    out, t_end = {}, time.time() + budget
    for k in counts:
        if time.time() > t_end:
            break
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    '-c',
                    PROBE,
                    json.dumps(
                        dict(
                            data=data,
                            out=str(work / f'probe{k}-{i}'),
                            iters=iters,
                            log_every=max(1, iters // 8),
                            ckpt_every=10**6,
                            progress=False,
                            device='cpu' if cpu else 'cuda',
                            seed=i,
                            eval_every=0,
                            max_val=1,
                        )
                    ),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, 'OMP_NUM_THREADS': str(max(1, (os.cpu_count() or 1) // k))},
            )
            for i in range(k)
        ]
        rates = []
        for p in procs:
            try:
                o, e = p.communicate(timeout=max(1.0, t_end - time.time()))
                if p.returncode == 0:
                    r = json.loads(o.strip().splitlines()[-1])
                    rates.append(r['images_per_s'] / r['batch'])
                else:
                    say(f'probe {k} failed: {e[-500:]}')
            except subprocess.TimeoutExpired:
                p.kill()
                say(f'probe {k}: timed out')
        if len(rates) == k:
            out[str(k)] = dict(
                processes=k, steps_per_s_each=[round(r, 2) for r in rates], steps_per_s_total=round(sum(rates), 2)
            )
            say(
                f'probe: {k} process(es) side by side: {sum(rates):.1f} steps/s in all '
                f'({min(rates):.1f}-{max(rates):.1f} each)'
            )
    return out


# --- main -------------------------------------------------------------------------------------------------------------
PHASES = ('env', 'notebooks', 'smoke', 'probe')


def main(argv=None):
    ap = argparse.ArgumentParser(description='segnb GPU checks (see the module docstring)')
    ap.add_argument('--cpu', action='store_true', help='dry run on the CPU: tiny sizes, cuda cells on the CPU')
    ap.add_argument('--only', default=','.join(PHASES), help=f'comma-separated phases of {PHASES}')
    ap.add_argument(
        '--out', default=os.environ.get('OUT') or 'gpu_check_out', help='where the 3 files go (default: $OUT)'
    )
    ap.add_argument('--deadline', type=float, default=None, help='seconds for everything (default 480; 900 with --cpu)')
    a = ap.parse_args(argv)
    phases = [p.strip() for p in a.only.split(',') if p.strip()]
    if a.deadline is None:
        a.deadline = 900.0 if a.cpu else 480.0
    if bad := [p for p in phases if p not in PHASES]:
        ap.error(f'--only: unknown phase(s) {bad}; choose from {PHASES}')
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if a.cpu:
        os.environ['SEGNB_GPU_DRY_RUN'] = '1'
    from segnb.core import scratch_dir

    work = scratch_dir('gpu-check')
    res = dict(
        mode='cpu dry run' if a.cpu else 'gpu',
        phases=phases,
        started=time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime()),
    )
    rf = out / 'results.json'

    def save():
        rf.write_text(json.dumps(res, indent=1, default=str))

    ok = True
    try:
        if 'env' in phases:
            res['env'] = env_info()
            say('env:', json.dumps(res['env']))
            if a.cpu:
                res['lock_problems'] = check_lock()
                ok &= not res['lock_problems']
                say('wheel lock vs settings.ini:', res['lock_problems'] or 'consistent')
            elif not res['env']['gpu']:
                say('no GPU is visible: run with --cpu for a dry run')
                ok = False
            save()
        reserve = sum(r for p, r in (('smoke', 90), ('probe', 70)) if p in phases)
        if 'notebooks' in phases:
            budget = max(30.0, left(a.deadline) - reserve)
            jobs = (os.cpu_count() or 1) if a.cpu else 1  # one at a time where they time the GPU
            cmd = [
                sys.executable,
                str(ROOT / 'tools' / 'run_nbs.py'),
                '--flags',
                'cuda',
                '--json',
                str(out / 'outputs.json'),
                '--timeout',
                str(int(budget)),
                '--jobs',
                str(jobs),
            ] + ([] if a.cpu else gpu_order())
            say(f'notebooks: {budget:.0f} s at most, {jobs} at a time')
            env = {**os.environ, 'OMP_NUM_THREADS': str(max(1, (os.cpu_count() or 1) // jobs))} if a.cpu else None
            t = time.time()
            r = subprocess.run(cmd, cwd=ROOT, timeout=budget + 30, env=env)
            recs = (
                json.loads((out / 'outputs.json').read_text())['notebooks'] if (out / 'outputs.json').exists() else []
            )
            ran = [c for x in recs if x['ok'] for c in x['cells'].values()]
            skipped = sum('skipped: this cell is flagged' in json.dumps(c['outputs']) for c in ran)
            res['notebooks'] = dict(
                rc=r.returncode,
                seconds=round(time.time() - t, 1),
                cuda_cells=len(ran),
                cuda_cells_expected=count_cuda_cells(),
                skipped_cells=skipped,
                passed=[x['notebook'] for x in recs if x['ok']],
                failed=[x['notebook'] for x in recs if not x['ok']],
            )
            say(
                f"notebooks: {len(res['notebooks']['passed'])} passed, failed {res['notebooks']['failed'] or 'none'}; "
                f"{len(ran)} of {res['notebooks']['cuda_cells_expected']} cuda cells executed "
                f"({skipped} skipped instead)"
            )
            ok &= r.returncode == 0 and len(ran) == res['notebooks']['cuda_cells_expected'] and skipped == 0
            save()
        if 'smoke' in phases:
            res['smoke'] = smoke(work, a.cpu, max(20.0, min(90.0, left(a.deadline) - (70 if 'probe' in phases else 0))))
            ok &= all(v.get('ok') for v in res['smoke'].values())
            save()
        if 'probe' in phases:
            res['probe'] = probe(work, a.cpu, max(20.0, left(a.deadline) - 5))
            ok &= bool(res['probe'])
            save()
    except Exception as e:
        import traceback

        res['error'] = traceback.format_exc()[-4000:]
        say('error:', res['error'])
        ok = False
    res['seconds'] = round(time.time() - T0, 1)
    res['ok'] = bool(ok)
    save()
    files = [p for p in out.rglob('*') if p.is_file()]
    big = [f'{p.name} ({p.stat().st_size / 2**20:.1f} MiB)' for p in files if p.stat().st_size > 16 * 2**20]
    say(
        f"{len(files)} files in {out} ({', '.join(sorted(p.name for p in files))})"
        + (f'; over 16 MiB: {big}' if big else '')
    )
    if len(files) > 8 or big:
        say('the output breaks the device limits (at most 8 files of 16 MiB)')
        ok = False
    say(f"{'all checks passed' if ok else 'SOME CHECKS FAILED'} in {time.time() - T0:.0f} s")
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
