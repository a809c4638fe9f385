"""Variant scoring rows: `seqdl variants` (SNVs by local recomputation against the REF activations of their window)
against bench/variants_reference.py (plain PyTorch: the REF and ALT windows of every SNV through the same basset
weights, exported to TorchScript of the reference architecture, in batches) on 20,000 SNVs of the C. elegans 1%
genome (one per ~50 bases, REF from the genome, a random other base as ALT); both include model loading.

variants-million is seqdl alone (the reference would take hours): 1,000,000 SNVs, one at every ACGT base of the
first 1,000,000 of that genome, in one run; its value is SNVs/s and the row prints the run's time and peak RSS
(the issue's bar: under 1 GiB). Its reference column is the 20,000-SNV reference rate, for scale.

This machine is shared and usually oversubscribed; both sides run with OMP_WAIT_POLICY=passive there (set by
VARIANTS_OMP_PASSIVE=1, the default), because libgomp's spin-waiting under oversubscription slows many small
operations by an order of magnitude and says nothing about either program."""
import os

from harness import DATA, PYTHON, Context, rate_from, row, timed
from rows import exported_model, snv_vcf

HERE = os.path.dirname(os.path.abspath(__file__))


def env():
    e = dict(os.environ)
    if os.environ.get("VARIANTS_OMP_PASSIVE", "1") == "1":
        e["OMP_WAIT_POLICY"] = "passive"
    return e


def dense_vcf(ctx: Context, n):
    """n SNVs at consecutive ACGT bases of the C. elegans 1% genome, ALT the next base of ACGT."""
    genome = ctx.need(os.path.join(DATA, "korflab_1pct_genomes", "celegans", "celegans_WS282_1pct.fa"))
    out = os.path.join(ctx.tmp, f"celegans_{n}_dense_snvs.vcf")
    if os.path.exists(out):
        return genome, out
    contigs, name, parts = [], None, []
    for line in open(genome):
        if line.startswith(">"):
            if name:
                contigs.append((name, "".join(parts)))
            name, parts = line[1:].split()[0], []
        else:
            parts.append(line.strip())
    contigs.append((name, "".join(parts)))
    left = n
    with open(out, "w") as f:
        f.write("##fileformat=VCFv4.2\n" + "".join(f"##contig=<ID={c},length={len(s)}>\n" for c, s in contigs))
        f.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
        for c, s in contigs:
            lines = []
            for p, b in enumerate(s.upper()):
                if left == 0:
                    break
                if b in "ACGT":
                    lines.append(f"{c}\t{p + 1}\t.\t{b}\t{'ACGT'[('ACGT'.index(b) + 1) % 4]}\t.\t.\t.\n")
                    left -= 1
            f.write("".join(lines))
    if left:
        raise RuntimeError(f"the genome has fewer than {n} ACGT bases")
    return genome, out


def seqdl_variants(ctx, model, genome, vcf, out):
    _, text, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "variants", "--model", model, "--genome", genome,
                          "--vcf", vcf, "-o", out], env=env())
    return rate_from(text, r"records\) in [\d.]+ s \(([\d.]+[kMG]?)/s"), rss, text


def reference_variants(ctx, script, genome, vcf, out):
    _, text, rss = timed([PYTHON, os.path.join(HERE, "variants_reference.py"), genome, vcf, "--weights", script,
                          "--window", "600", "--threads", str(ctx.threads), "--out", out], env=env())
    return rate_from(text, r"\(([\d.]+) alleles/s\)"), rss


@row("variants-basset", "SNVs/s", target=10.0,
     doc="seqdl variants on 20,000 SNVs with basset (600 bp; local recomputation) vs bench/variants_reference.py "
         "(plain PyTorch, whole REF and ALT windows)")
def variants_basset(ctx: Context):
    genome, vcf = snv_vcf(ctx, 20000)
    model, script = exported_model(ctx, "basset", 600)
    out = os.path.join(ctx.tmp, "variants_basset.tsv")

    def seqdl():
        rate, rss, _ = seqdl_variants(ctx, model, genome, vcf, out)
        return rate, rss

    def reference():
        return reference_variants(ctx, script, genome, vcf, out + ".ref")

    return seqdl, reference


@row("variants-million", "SNVs/s",
     doc="seqdl variants on 1,000,000 SNVs with basset (600 bp) in one run (peak RSS: the issue's bar is 1 GiB); "
         "reference column: bench/variants_reference.py's rate on 20,000 SNVs")
def variants_million(ctx: Context):
    genome, vcf = dense_vcf(ctx, 1_000_000)
    model, script = exported_model(ctx, "basset", 600)
    out = os.path.join(ctx.tmp, "variants_million.tsv")
    _, small = snv_vcf(ctx, 20000)
    reference_rate = []

    def seqdl():
        rate, rss, text = seqdl_variants(ctx, model, genome, vcf, out)
        print("  variants-million: " + " ".join(l for l in text.splitlines() if "scored" in l)
              + f"; peak RSS {rss / 1024:.0f} MiB", flush=True)
        return rate, rss

    def reference():
        if not reference_rate:
            reference_rate.append(reference_variants(ctx, script, genome, small, out + ".ref")[0])
        return reference_rate[0], 0

    return seqdl, reference
