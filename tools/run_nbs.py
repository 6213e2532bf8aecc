"""Execute segnb's notebooks as `nbdev_test` does, and keep the outputs of chosen cells.

    python tools/run_nbs.py [NOTEBOOK ...] [--flags cuda] [--keep cuda|all] [--json FILE] [--timeout S]
    python tools/run_nbs.py --merge FILE [--dry]

Each notebook runs in its own process (an `execnb` shell in the notebook's folder, `IN_TEST=1`), cell by cell, skipping
what `nbdev_test --flags FLAGS` skips: cells flagged with a test flag of `settings.ini` not in FLAGS, `#| eval: false`
cells and the `nbdev_export()` cell. A notebook stops at its first error. With no NOTEBOOK, the notebooks holding
`#| cuda` cells run. `--json FILE` records, per notebook, whether it passed, its seconds, its error and the outputs of
the kept cells (`cuda`: the `#| cuda` cells; `all`: every executed cell), each with a hash of its source.

`--merge FILE` writes those outputs back into `nbs/` by cell id: a GPU run's outputs land in the notebooks of this
checkout. A cell whose source changed since the run is left alone and named (its outputs would describe other code).
"""

from __future__ import annotations
import argparse, hashlib, json, os, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT / 'nbs'


def source_hash(source) -> str:
    "A short hash of a cell's source (a list of lines or a string), trailing white space ignored."
    s = ''.join(source) if isinstance(source, list) else source
    return hashlib.sha1(s.rstrip().encode()).hexdigest()[:12]


def test_flags() -> set:
    "The test flags of settings.ini (`tst_flags`)."
    import configparser

    cp = configparser.ConfigParser()
    cp.read(ROOT / 'settings.ini')
    return set(cp['DEFAULT'].get('tst_flags', '').split())


def flagged(source: str, flag: str) -> bool:
    "Whether the cell's leading directives include `#| flag`."
    for line in source.splitlines():
        if not line.startswith('#|'):
            break
        if line[2:].split() and line[2:].split()[0] == flag:
            return True
    return False


def cuda_notebooks() -> list:
    "The notebooks of nbs/ that hold a `#| cuda` cell."
    out = []
    for f in sorted(NBS.glob('*.ipynb')):
        cells = json.loads(f.read_text())['cells']
        if any(c['cell_type'] == 'code' and flagged(''.join(c['source']), 'cuda') for c in cells):
            out.append(f)
    return out


def run_one(path: Path, flags: set, keep: str) -> dict:
    "Execute one notebook here (in this process); return its record."
    from execnb.shell import CaptureShell
    from nbdev.process import NBProcessor
    from nbdev.frontmatter import FrontmatterProc
    from fastcore.xtras import working_directory

    os.environ['IN_TEST'] = '1'
    skip = test_flags() - flags
    nb = NBProcessor(path, procs=FrontmatterProc, process=True).nb
    raw = json.loads(path.read_text())['cells']

    def no_eval(cell):
        if cell.cell_type != 'code' or 'nbdev_export' + '(' in cell.source:
            return True
        direc = getattr(cell, 'directives_', {}) or {}
        if direc.get('eval:', [''])[0].lower() == 'false':
            return True
        return bool(skip & set(direc))

    ran, t0 = [], time.time()
    shell = CaptureShell(path)
    rec = dict(notebook=path.name, ok=False, error=None)
    try:
        with working_directory(path.parent):
            shell.run_all(nb, exc_stop=True, preproc=no_eval, postproc=lambda c: ran.append(c.idx_))
        rec['ok'] = True
    except BaseException:
        rec['error'] = shell.prettytb(fname=path)[-6000:]
    rec['seconds'] = round(time.time() - t0, 1)
    cells = {}
    for i in ran:
        c, r = nb.cells[i], raw[i]
        if keep == 'all' or flagged(''.join(r['source']), keep):  # (the processed source has lost its directives)
            cells[r['id']] = dict(source_hash=source_hash(r['source']), outputs=_plain(getattr(c, 'outputs', [])))
    if not rec['ok'] and ran:  # the cell that failed, with its outputs
        c, r = nb.cells[ran[-1]], raw[ran[-1]]
        rec['failed_cell'] = r['id']
        cells[r['id']] = dict(source_hash=source_hash(r['source']), outputs=_plain(getattr(c, 'outputs', [])))
    rec['cells'] = cells
    return rec


def _plain(x):
    "execnb's AttrDict outputs as plain JSON values."
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def run_many(paths, flags: set, keep: str, timeout: float, jobs: int = 1) -> list:
    "Each notebook in a fresh process (as nbdev_test does), `jobs` at a time; a notebook past `timeout` s fails."
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max(1, jobs)) as ex:
        return list(ex.map(lambda p: _run_sub(p, flags, keep, timeout), paths))


def _run_sub(p, flags, keep, timeout) -> dict:
    "One notebook in a child process; its record (a timeout or a crash of the child is a failure)."
    print(f'run_nbs: {p.name} ...', flush=True)
    t0 = time.time()
    cmd = [sys.executable, __file__, '--_one', str(p), '--flags', *sorted(flags), '--keep', keep]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        lines = [l for l in r.stdout.splitlines() if l.startswith('{"notebook"')]
        rec = (
            json.loads(lines[-1])
            if lines
            else dict(notebook=p.name, ok=False, cells={}, error=f'exit {r.returncode}: {r.stderr[-3000:]}')
        )
    except subprocess.TimeoutExpired:
        rec = dict(notebook=p.name, ok=False, cells={}, error=f'timed out after {timeout:.0f} s')
    rec['wall_seconds'] = round(time.time() - t0, 1)
    print(
        f"run_nbs: {p.name}: {'passed' if rec['ok'] else 'FAILED'} in {rec['wall_seconds']} s"
        + ('' if rec['ok'] else '\n' + rec['error']),
        flush=True,
    )
    return rec


def merge(path: Path, dry: bool = False) -> dict:
    "Write the recorded outputs into nbs/ by cell id; returns counts of merged, stale and missing cells."
    recs = json.loads(Path(path).read_text())
    recs = recs['notebooks'] if isinstance(recs, dict) else recs
    counts = dict(merged=0, stale=[], missing=[])
    for rec in recs:
        f = NBS / rec['notebook']
        nb = json.loads(f.read_text())
        by_id = {c.get('id'): c for c in nb['cells']}
        changed = False
        for cid, got in rec['cells'].items():
            c = by_id.get(cid)
            if cid == rec.get('failed_cell'):
                continue  # an error is no result
            if c is None:
                counts['missing'].append(f"{rec['notebook']}#{cid}")
                continue
            if source_hash(c['source']) != got['source_hash']:
                counts['stale'].append(f"{rec['notebook']}#{cid}")
                continue
            c['outputs'] = got['outputs']
            changed = True
            counts['merged'] += 1
        if changed and not dry:
            f.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    return counts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('notebooks', nargs='*', help='notebooks to run (default: those with #| cuda cells)')
    ap.add_argument('--flags', nargs='*', default=[], help='test flags to run (as nbdev_test --flags)')
    ap.add_argument('--keep', default='cuda', help="whose outputs to record: a flag (e.g. cuda) or 'all'")
    ap.add_argument('--json', help='write the records here')
    ap.add_argument('--timeout', type=float, default=600, help='seconds per notebook')
    ap.add_argument('--jobs', type=int, default=1, help='notebooks at a time (1 where they time things on one GPU)')
    ap.add_argument('--merge', help="write a records file's outputs into nbs/")
    ap.add_argument('--dry', action='store_true', help='with --merge: count only')
    ap.add_argument('--_one', help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.merge:
        c = merge(Path(a.merge), a.dry)
        print(
            f"run_nbs: {c['merged']} cells merged; stale (source changed since the run, left alone): "
            f"{c['stale'] or 'none'}; "
            f"missing: {c['missing'] or 'none'}"
        )
        return 0 if not c['stale'] and not c['missing'] else 1
    flags = set(a.flags)
    unknown = flags - test_flags()
    if unknown:
        ap.error(f"--flags {sorted(unknown)}: not a test flag of settings.ini ({sorted(test_flags())})")
    if a._one:
        print(json.dumps(run_one(Path(a._one).resolve(), flags, a.keep)))
        return 0
    # the largest first: with several at a time the longest-running ones should not start last
    paths = [Path(p).resolve() for p in a.notebooks] or sorted(cuda_notebooks(), key=lambda p: -p.stat().st_size)
    for p in paths:
        if not p.is_file():
            ap.error(f'notebook {p} does not exist')
    recs = run_many(paths, flags, a.keep, a.timeout, a.jobs)
    if a.json:
        Path(a.json).write_text(json.dumps(dict(flags=sorted(flags), keep=a.keep, notebooks=recs)))
    n_ok = sum(r['ok'] for r in recs)
    print(f'run_nbs: {n_ok} of {len(recs)} notebooks passed; {sum(len(r["cells"]) for r in recs)} cells recorded')
    return 0 if n_ok == len(recs) else 1


if __name__ == '__main__':
    sys.exit(main())
