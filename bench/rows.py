"""The benchmark rows. Each compares a seqdl workload with the matching reference on the same input."""
import os

from harness import DATA, PYTHON, REFERENCE, Context, rate_from, row, timed


@row("startup", "runs/s", doc="seqdl --version start-up cost versus python3 -c 'import torch'")
def startup(ctx: Context):
    def seqdl():
        wall, _, rss = timed([ctx.seqdl, "--version"])
        return 1.0 / wall, rss

    def reference():
        wall, _, rss = timed([PYTHON, "-c", "import torch"])
        return 1.0 / wall, rss

    return seqdl, reference


def big_fasta(ctx: Context):
    """A ~37 Mb FASTA: the three 1% genomes repeated ten times (real sequence, real line layout)."""
    out = os.path.join(ctx.tmp, "genomes_x10.fa")
    if not os.path.exists(out):
        parts = [ctx.need(os.path.join(DATA, "korflab_1pct_genomes", d, f)) for d, f in
                 [("celegans", "celegans_WS282_1pct.fa"), ("athaliana", "athaliana_TAIR10_1pct.fa"),
                  ("dmelanogaster", "dmelanogaster_r6_1pct.fa")]]
        with open(out, "wb") as f:
            for k in range(10):
                for p in parts:
                    with open(p, "rb") as src:
                        f.write(src.read().replace(b">", b">r%d_" % k))
    return out


@row("encode", "Mbases/s", target=10.0,
     doc="FASTA -> one-hot float32 in memory, vs reference/encode.py (numpy lookup table)")
def encode(ctx: Context):
    fasta = big_fasta(ctx)
    pattern = r"([\d.]+) Mbases/s"

    def seqdl():
        _, out, rss = timed([ctx.bench_bin, "encode", fasta, "--threads", str(ctx.threads)])
        return rate_from(out, pattern), rss

    def reference():
        _, out, rss = timed([PYTHON, os.path.join(REFERENCE, "encode.py"), fasta, "--threads", str(ctx.threads)])
        return rate_from(out, pattern), rss

    return seqdl, reference
