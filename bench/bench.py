"""Entry point of scripts/bench.sh: runs the registered rows (rows.py) and prints a summary table."""
import argparse
import os
import sys
import tempfile

from harness import ROWS, SOURCE, Context, Skip, fmt_row, run_row
import rows  # noqa: F401  (registers the rows)
import rows_evaluate  # noqa: F401
import rows_coverage  # noqa: F401
import rows_discover  # noqa: F401
import rows_distributed  # noqa: F401
import rows_compare  # noqa: F401
import rows_import  # noqa: F401
import rows_profile  # noqa: F401
import rows_splice  # noqa: F401
import rows_variants  # noqa: F401


def main():
    ap = argparse.ArgumentParser(description="seqdl side-by-side benchmarks")
    ap.add_argument("names", nargs="*")
    ap.add_argument("--build-dir", default=os.path.join(SOURCE, "build"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    if args.list:
        for name, spec in ROWS.items():
            print(f"{name:<22} {spec['doc'].strip().splitlines()[0] if spec['doc'].strip() else ''}")
        return 0
    unknown = [n for n in args.names if n not in ROWS]
    if unknown:
        print(f"bench: unknown row(s) {', '.join(unknown)}; --list shows them", file=sys.stderr)
        return 2
    names = args.names or list(ROWS)
    results = []
    with tempfile.TemporaryDirectory(prefix="seqdl_bench_") as tmp:
        ctx = Context(args.build_dir, args.threads, tmp)
        print(f"# threads {args.threads}, repeats {args.repeats}, medians; ratio = seqdl / reference "
              f"(higher is better for seqdl)", flush=True)
        for name in names:
            try:
                res = run_row(ROWS[name], ctx, args.repeats)
            except Skip as e:
                print(f"{name:<22} skipped: {e}", flush=True)
                continue
            results.append(res)
            print(fmt_row(res), flush=True)
    if len(names) > 1 and results:
        print("\nsummary")
        print(f"{'row':<22} {'unit':<12} {'seqdl':>12} {'reference':>12} {'ratio':>8} {'RSS MiB':>9} target")
        for res in results:
            t = "" if res["target"] is None else f">= {res['target']}x {'ok' if res['ratio'] >= res['target'] else 'MISSED'}"
            print(f"{res['name']:<22} {res['unit']:<12} {res['seqdl']:>12.4g} {res['reference']:>12.4g} "
                  f"{res['ratio']:>7.2f}x {res['rss_mib']:>9.1f} {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
