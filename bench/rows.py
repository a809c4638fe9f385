"""The benchmark rows. Each compares a seqdl workload with the matching reference on the same input."""
from harness import PYTHON, REFERENCE, Context, rate_from, row, timed


@row("startup", "runs/s", doc="seqdl --version start-up cost versus python3 -c 'import torch'")
def startup(ctx: Context):
    def seqdl():
        wall, _, rss = timed([ctx.seqdl, "--version"])
        return 1.0 / wall, rss

    def reference():
        wall, _, rss = timed([PYTHON, "-c", "import torch"])
        return 1.0 / wall, rss

    return seqdl, reference
