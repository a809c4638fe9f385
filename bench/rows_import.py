"""Imported TorchScript rows: the predict and ISM workloads of rows.py with the TorchScript export as seqdl's model
(imported into seqdl's layers when opened, so the shared trunk and fast ISM apply) against the same references on
the same file. Their ratios should match those of the .seqdl rows (predict-deepbind, predict-basset, ism-basset)."""
import os

from harness import PYTHON, REFERENCE, Context, rate_from, row, timed
from rows import exported_model, scan_genome


def torchscript_predict_row(arch, length, stride, target):
    @row(f"predict-{arch}-torchscript", "windows/s", target=target,
         doc=f"seqdl predict with the TorchScript export (imported) over the C. elegans 1% genome at stride {stride} "
             f"vs reference/predict_genome.py ({arch}, the same file)")
    def setup(ctx: Context):
        genome = scan_genome(ctx)
        _, script = exported_model(ctx, arch, length)
        out = os.path.join(ctx.tmp, f"scan_{arch}_ts.bedGraph")

        def seqdl():
            _, text, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "predict", "--model", script, "--window",
                                  str(length), "--genome", genome, "--stride", str(stride), "--edges", "skip",
                                  "--logits", "-o", out])
            return rate_from(text, r"predictions in [\d.]+ s \(([\d.]+[kMG]?)/s\)"), rss

        def reference():
            _, text, rss = timed([PYTHON, os.path.join(REFERENCE, "predict_genome.py"), genome, "--arch", arch,
                                  "--weights", script, "--stride", str(stride), "--threads", str(ctx.threads),
                                  "--out", out + ".ref"])
            return rate_from(text, r"([\d.]+) windows/s"), rss

        return seqdl, reference
    return setup


torchscript_predict_row("deepbind", 101, 1, 20.0)
torchscript_predict_row("basset", 600, 48, 3.0)


@row("ism-basset-torchscript", "sequences/s", target=5.0,
     doc="seqdl ism --method fast with the TorchScript export of basset (imported) vs reference/ism.py on the same file")
def ism_basset_torchscript(ctx: Context):
    _, script = exported_model(ctx, "basset", 600)
    fasta = os.path.join(ctx.tmp, "ism_600_ts.fa")
    if not os.path.exists(fasta):
        import numpy as np
        rng = np.random.default_rng(6)
        with open(fasta, "w") as f:
            for i in range(4):
                f.write(f">s{i}\n{''.join(rng.choice(list('ACGT'), 600))}\n")
    out = os.path.join(ctx.tmp, "ism_ts.npy")

    def seqdl():
        _, text, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "ism", "--model", script, "--window", "600",
                              "--method", "fast", "-o", out, fasta])
        return rate_from(text, r"\(([\d.]+[kMG]?) sequences/s"), rss

    def reference():
        _, text, rss = timed([PYTHON, os.path.join(REFERENCE, "ism.py"), "--arch", "basset", "--weights", script,
                              "--fasta", fasta, "--n", "4", "--threads", str(ctx.threads), "--out", out + ".ref.npy"])
        return rate_from(text, r"([\d.]+) sequences/s"), rss

    return seqdl, reference
