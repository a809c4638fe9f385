"""Motif discovery rows: `seqdl motifs discover` on synthetic hypothetical contributions with three JASPAR motifs
planted (tests/cli/planted_attributions.py: CTCF and REST with positive contributions, SRF with negative ones, noise
elsewhere), about one seqlet per 200 bp sequence. There is no Python TF-MoDISco (tfmodisco-lite) on this machine, so
the reference column is the issue's bar, not a measurement: 100,000 seqlets in 15 minutes on 2 cores (111 seqlets/s)
and under 2 GiB. Each run prints seqdl's time per stage; the 10k, 30k and 100k rows show how the time grows."""
import os
import re

from harness import DATA, PYTHON, SOURCE, Context, row, timed

BAR_SEQLETS_PER_S = 100_000 / (15 * 60)
BAR_RSS_KIB = 2 * 1024 * 1024


def planted_set(ctx: Context, sequences):
    jaspar = ctx.need(os.path.join(DATA, "jaspar_meme", "JASPAR2020_CORE_vertebrates_non-redundant.meme"))
    prefix = os.path.join(ctx.tmp, f"planted_{sequences}")
    if not os.path.exists(prefix + ".hyp.npy"):
        timed([PYTHON, os.path.join(SOURCE, "tests", "cli", "planted_attributions.py"), jaspar, prefix, "--motif",
               "MA0139.1", "--motif", "MA0138.2", "--negative", "MA0083.3", "--sequences", str(sequences),
               "--length", "200", "--seed", "2", "--onehot-dtype", "uint8"])
    return prefix


def discover_row(name, sequences):
    @row(name, "seqlets/s", target=1.0,
         doc=f"seqdl motifs discover on ~{sequences // 1000}k planted seqlets (synthetic attributions); reference = "
             "the issue's bar (100k seqlets in 15 min, 2 cores; no tfmodisco-lite here)")
    def setup(ctx: Context):
        prefix = planted_set(ctx, sequences)
        out = os.path.join(ctx.tmp, f"{name}_out")

        def seqdl():
            wall, text, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "motifs", "discover", "--onehot",
                                     prefix + ".onehot.npy", "--attributions", prefix + ".hyp.npy", "-o", out])
            seqlets = int(re.search(r": ([\d,]+) seqlets \(", text).group(1).replace(",", ""))
            stages = re.search(r"time per stage: (.*)", text).group(1)
            patterns = re.search(r"(\d+) patterns, ", text).group(1)
            print(f"  {name}: {seqlets:,} seqlets, {patterns} patterns, {wall:.1f} s, peak RSS {rss / 1024:.0f} MiB"
                  f"{'' if rss < BAR_RSS_KIB else ' (OVER the 2 GiB bar)'}; {stages}", flush=True)
            return seqlets / wall, rss

        def reference():
            return BAR_SEQLETS_PER_S, 0

        return seqdl, reference
    return setup


discover_row("discover-10k", 10_000)
discover_row("discover-30k", 30_000)
discover_row("discover-100k", 100_700)
