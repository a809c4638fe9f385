"""seqdl's side-by-side benchmark harness (run through scripts/bench.sh, entry point bench.py).

Each row runs a seqdl workload and the matching reference baseline on the same input and thread count,
alternating the two `--repeats` times, and reports the medians, the ratio (how many times faster seqdl
is) and seqdl's peak RSS. Rows register themselves with @row; see rows.py.
"""
import os
import re
import statistics
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(SOURCE, "..", "shared"))
REFERENCE = os.path.join(SHARED, "bench", "reference")
DATA = os.path.join(SHARED, "data")
PYTHON = "/usr/bin/python3"

ROWS = {}


class Skip(Exception):
    """A row that cannot run here (e.g. ../shared is absent)."""


def row(name, unit, target=None, doc=""):
    """Register a benchmark row. The function gets a Context and returns (seqdl_fn, reference_fn);
    each fn runs once and returns (value, peak_rss_kib) where value is in `unit` (higher is better)."""
    def wrap(fn):
        ROWS[name] = dict(name=name, unit=unit, target=target, doc=doc or fn.__doc__ or "", setup=fn)
        return fn
    return wrap


class Context:
    def __init__(self, build_dir, threads, tmp):
        self.seqdl = os.path.join(build_dir, "apps", "seqdl", "seqdl")
        self.bench_bin = os.path.join(build_dir, "bench", "seqdl_bench")
        self.threads = threads
        self.tmp = tmp

    def need(self, path):
        if not os.path.exists(path):
            raise Skip(f"{path} is absent")
        return path


def timed(cmd, cwd=None, env=None):
    """Run cmd under GNU time; returns (wall seconds, stdout+stderr text, peak RSS in KiB)."""
    rss_file = tempfile.NamedTemporaryFile(delete=False)
    rss_file.close()
    start = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file.name, *cmd], cwd=cwd, env=env,
                       capture_output=True, text=True)
    wall = time.perf_counter() - start
    with open(rss_file.name) as f:
        rss_lines = f.read().split()
    os.unlink(rss_file.name)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    rss = int(rss_lines[-1]) if rss_lines else 0
    return wall, r.stdout + r.stderr, rss


def rate_from(text, pattern):
    """The first number captured by `pattern` in a command's output ("12.5k" and "1.2M" as seqdl logs them)."""
    m = re.search(pattern, text)
    if not m:
        raise RuntimeError(f"no match for {pattern!r} in:\n{text}")
    value = m.group(1).replace(",", "")
    scale = {"k": 1e3, "M": 1e6, "G": 1e9}.get(value[-1], 1.0)
    return float(value.rstrip("kMG")) * scale


def run_row(spec, ctx, repeats):
    seqdl_fn, ref_fn = spec["setup"](ctx)
    s_vals, r_vals, rss = [], [], []
    for _ in range(repeats):  # alternate, so that drifting machine load hits both sides alike
        v, m = seqdl_fn()
        s_vals.append(v)
        rss.append(m)
        v, _ = ref_fn()
        r_vals.append(v)
    s, r = statistics.median(s_vals), statistics.median(r_vals)
    return dict(name=spec["name"], unit=spec["unit"], seqdl=s, reference=r, ratio=s / r if r else float("inf"),
                rss_mib=max(rss) / 1024.0, target=spec["target"])


def fmt_row(res):
    target = res["target"]
    verdict = "" if target is None else ("  ok" if res["ratio"] >= target else f"  BELOW TARGET {target}x")
    return (f"{res['name']:<22} seqdl {res['seqdl']:>12.4g} {res['unit']:<12} reference {res['reference']:>12.4g}"
            f"  ratio {res['ratio']:>7.2f}x  seqdl peak RSS {res['rss_mib']:>7.1f} MiB{verdict}")
