#!/usr/bin/env python3
"""Compiles each torch-free header on its own, without LibTorch's include path, and fails if it does not compile
or if any header it reaches (directly or through another header) belongs to LibTorch (ATen, c10, torch)."""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys

TORCH_PATH = re.compile(r"(^|/)(ATen|c10|torch|caffe2)/")


def check(compiler, includes, header):
    # A translation unit that includes the header and nothing else.
    unit = f'#include "{header}"\n'
    flags = ["-std=c++20", "-x", "c++"] + [f"-I{i}" for i in includes]
    cmd = [compiler] + flags + ["-M", "-MG", "-"]
    deps = subprocess.run(cmd, input=unit, capture_output=True, text=True)
    if deps.returncode != 0:
        return f"{header}: does not preprocess without LibTorch's include path:\n{deps.stderr.strip()}"
    torch = sorted({d for d in deps.stdout.replace("\\\n", " ").split() if TORCH_PATH.search(d)})
    if torch:
        return f"{header}: reaches LibTorch headers: {', '.join(torch[:3])}"
    syntax = subprocess.run([compiler] + flags + ["-fsyntax-only", "-"], input=unit, capture_output=True, text=True)
    if syntax.returncode != 0:
        return f"{header}: does not compile on its own:\n{syntax.stderr.strip()[:2000]}"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--compiler", required=True)
    ap.add_argument("--headers", required=True)
    ap.add_argument("--include", action="append", default=[])
    a = ap.parse_args()
    headers = [h for h in open(a.headers).read().split("\n") if h]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        problems = [p for p in pool.map(lambda h: check(a.compiler, a.include, h), headers) if p]
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(headers)} headers checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
