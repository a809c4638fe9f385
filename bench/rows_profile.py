"""Profile model rows (BPNet) on the yeast ATAC set (../shared/data/yeast_atac_sacCer3).

train-bpnet-yeast: one epoch of `seqdl train --arch bpnet` against ../shared/bench/reference/bpnet.py with the same
data, split, windows (1,415 peaks + 142 GC-matched background, jitter 128, reverse complement), architecture
(109,122 parameters), loss, Adam 1e-3, batch 64 and threads; samples/s as each reports for its training loop
(validation and data loading excluded on both sides).

predict-bpnet-sacCer3: the whole sacCer3 genome (12.2 Mb), both strands (a stranded model: + and - insertion
tracks), per-base predicted counts written as one bigWig per strand: `seqdl predict` against
bench/profile_reference.py (bpnet.py's BPNet with two-channel heads, one window per 1000-bp output block, pyBigWig).
Both sides include start-up, reading the genome and writing; rates are genome bases over wall seconds.
"""
import os

from harness import DATA, PYTHON, REFERENCE, Context, rate_from, row, timed

YEAST = os.path.join(DATA, "yeast_atac_sacCer3")


def yeast(ctx: Context, *parts):
    return ctx.need(os.path.join(YEAST, *parts))


@row("train-bpnet-yeast", "samples/s", target=1.0,
     doc="seqdl train --arch bpnet, one epoch on the yeast ATAC peaks, vs reference/bpnet.py --epochs 1 (batch 64)")
def train_bpnet(ctx: Context):
    genome = yeast(ctx, "genome", "sacCer3.fa")
    peaks = yeast(ctx, "peaks", "yeast_SRR1822137_500k_peaks.narrowPeak")
    insertions = yeast(ctx, "derived", "tn5_insertions.shifted.unstranded.bedGraph.gz")
    exclude = yeast(ctx, "derived", "sacCer3.exclude_chrM_rDNA.bed")

    def seqdl():
        _, out, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "--seed", "0", "train", "--arch", "bpnet",
                             "--genome", genome, "--peaks", peaks, "--coverage", insertions, "--coverage-format",
                             "bedgraph", "--strand", "combined", "--exclude", exclude, "--negatives", "gc-matched",
                             "--negative-ratio", "0.1", "--valid-chroms", "chrXV", "chrXVI", "--test-chroms", "chrIV",
                             "--batch", "64", "--lr", "0.001", "--epochs", "1", "-o",
                             os.path.join(ctx.tmp, "bpnet_yeast.seqdl")])
        return rate_from(out, r"epoch 1/1: .* ([\d.]+[kMG]?) samples/s"), rss

    def reference():
        _, out, rss = timed([PYTHON, os.path.join(REFERENCE, "bpnet.py"), "--threads", str(ctx.threads), "--seed", "0",
                             "--epochs", "1"])
        return rate_from(out, r"epoch 1 .* ([\d.]+) train samples/s"), rss

    return seqdl, reference


def stranded_model(ctx: Context):
    """A stranded BPNet (+ and - cut sites of the yeast fragments), one epoch on 200 peaks: speed does not depend on
    what it learnt."""
    model = os.path.join(ctx.tmp, "bpnet_stranded.seqdl")
    if os.path.exists(model):
        return model
    subset = os.path.join(ctx.tmp, "peaks200.narrowPeak")
    with open(yeast(ctx, "peaks", "yeast_SRR1822137_500k_peaks.narrowPeak")) as src, open(subset, "w") as dst:
        dst.writelines(line for k, line in enumerate(src) if k % 10 == 0)
    timed([ctx.seqdl, "--threads", str(ctx.threads), "--seed", "0", "train", "--arch", "bpnet", "--genome",
           yeast(ctx, "genome", "sacCer3.fa"), "--peaks", subset, "--coverage",
           yeast(ctx, "reads", "yeast_500k_SRR1822137.bedpe.gz"), "--shift", "4,-4", "--strand", "both",
           "--exclude", yeast(ctx, "derived", "sacCer3.exclude_chrM_rDNA.bed"), "--valid-chroms", "chrXV",
           "--test-chroms", "chrIV", "--epochs", "1", "-o", model])
    return model


@row("predict-bpnet-sacCer3", "bases/s", target=1.0,
     doc="seqdl predict with a stranded BPNet over the whole sacCer3 genome (per-base counts, + and - bigWigs) vs "
         "bench/profile_reference.py (PyTorch, one window per output block, pyBigWig)")
def predict_bpnet(ctx: Context):
    genome = yeast(ctx, "genome", "sacCer3.fa")
    model = stranded_model(ctx)
    with open(genome + ".fai") as f:
        bases = sum(int(line.split("\t")[1]) for line in f if line.strip())

    def seqdl():
        wall, _, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "predict", "--model", model, "--genome", genome,
                              "--batch", "64", "-o", os.path.join(ctx.tmp, "seqdl_profile.bw")])
        return bases / wall, rss

    def reference():
        wall, _, rss = timed([PYTHON, os.path.join(os.path.dirname(__file__), "profile_reference.py"), genome,
                              "--prefix", os.path.join(ctx.tmp, "ref_profile"), "--channels", "2", "--batch", "64",
                              "--threads", str(ctx.threads)])
        return bases / wall, rss

    return seqdl, reference
