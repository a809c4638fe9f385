"""Splice model rows: per-base acceptor/donor tracks over the C. elegans 1% genome on both strands (`seqdl predict`
with a splice model: strand tracks) against bench/splice_reference.py's plain PyTorch per-window loop with the same
weights (exported to TorchScript), and SpliceAI delta scores of SNVs in genes (`seqdl variants --annotation`) against
the same script's `variants`. Both sides include start-up and reading the genome; rates are over wall seconds. The
weights come from one quick epoch on tests/fixtures/splice: speed does not depend on what they learned."""
import os

from harness import DATA, PYTHON, SOURCE, Context, row, timed

SPLICE_REFERENCE = os.path.join(SOURCE, "bench", "splice_reference.py")
CELEGANS = os.path.join(DATA, "korflab_1pct_genomes", "celegans", "celegans_WS282_1pct")
INPUT = {"spliceai80": 5080, "spliceai400": 5400}


def splice_model(ctx: Context, arch):
    """(seqdl model, TorchScript export) of `arch`, trained one epoch on the splice fixture (cached per run)."""
    model = os.path.join(ctx.tmp, f"{arch}.seqdl")
    weights = os.path.join(ctx.tmp, f"{arch}.pt")
    if not os.path.exists(weights):
        fixtures = os.path.join(SOURCE, "tests", "fixtures", "splice")
        timed([ctx.seqdl, "--threads", str(ctx.threads), "--seed", "1", "train", "--arch", arch, "--genome",
               os.path.join(fixtures, "genome.fa"), "--annotation", os.path.join(fixtures, "genes.gff3"),
               "--valid-fraction", "0", "--epochs", "1", "-o", model])
        timed([PYTHON, SPLICE_REFERENCE, "export", model, weights])
    return model, weights


def genome_bases(fasta):
    with open(fasta + ".fai") as f:
        return sum(int(line.split("\t")[1]) for line in f if line.strip())


def scan_row(arch):
    @row(f"splice-scan-{arch}", "bases/s", target=1.0,
         doc=f"seqdl predict with {arch} (acceptor and donor, both strands) over the C. elegans 1% genome vs "
             "splice_reference.py scan (PyTorch, one window per output block, the minus strand reverse-complemented)")
    def setup(ctx: Context):
        genome = ctx.need(CELEGANS + ".fa")
        model, weights = splice_model(ctx, arch)
        bases = genome_bases(genome)
        out = os.path.join(ctx.tmp, f"scan_{arch}.npy")

        def seqdl():
            wall, _, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "predict", "--model", model, "--genome",
                                  genome, "--task", "acceptor", "--task", "donor", "--strand-tracks", "both", "-o",
                                  out])
            return bases / wall, rss

        def reference():
            wall, _, rss = timed([PYTHON, SPLICE_REFERENCE, "scan", genome, "--weights", weights, "--window",
                                  str(INPUT[arch]), "--threads", str(ctx.threads)])
            return bases / wall, rss

        return seqdl, reference
    return setup


scan_row("spliceai80")
scan_row("spliceai400")


def snvs_in_genes(ctx: Context, n):
    """A VCF of n SNVs at evenly spaced positions inside the genes of the C. elegans 1% GFF3 (REF from the genome),
    and the genes as splice_reference.py reads them (chrom, start, end, strand, id)."""
    vcf, genes = os.path.join(ctx.tmp, f"splice_snvs_{n}.vcf"), os.path.join(ctx.tmp, "splice_genes.tsv")
    if os.path.exists(vcf):
        return vcf, genes
    seqs, name = {}, None
    with open(CELEGANS + ".fa") as f:
        for line in f:
            if line.startswith(">"):
                name = line[1:].split()[0]
                seqs[name] = []
            else:
                seqs[name].append(line.strip())
    seqs = {k: "".join(v).upper() for k, v in seqs.items()}
    spans = []
    with open(CELEGANS + ".gff3") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) == 9 and c[2] == "gene" and c[6] in "+-" and c[0] in seqs:
                gid = next((kv[3:] for kv in c[8].split(";") if kv.startswith("ID=")), f"g{len(spans)}")
                spans.append((c[0], int(c[3]) - 1, int(c[4]), c[6], gid))
    with open(genes, "w") as f:
        f.writelines("\t".join(map(str, s)) + "\n" for s in spans)
    total = sum(e - s for _, s, e, _, _ in spans)
    step, rows, at = max(1, total // n), [], 0
    for chrom, s, e, _, _ in spans:
        for p in range(s + (-at) % step, e, step):
            ref = seqs[chrom][p]
            if ref in "ACGT" and len(rows) < n:
                rows.append(f"{chrom}\t{p + 1}\t.\t{ref}\t{'C' if ref != 'C' else 'T'}\t.\t.\t.\n")
        at += e - s
    with open(vcf, "w") as f:
        f.write("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
        f.writelines(sorted(rows, key=lambda r: (r.split("\t")[0], int(r.split("\t")[1]))))
    return vcf, genes


@row("splice-variants-spliceai400", "alleles/s", target=1.0,
     doc="seqdl variants --annotation (SpliceAI delta scores on each gene's strand, distance 50) with spliceai400 on "
         "1,000 SNVs in C. elegans genes vs splice_reference.py variants (PyTorch, SpliceAI's REF/ALT windows)")
def splice_variants(ctx: Context):
    genome = ctx.need(CELEGANS + ".fa")
    model, weights = splice_model(ctx, "spliceai400")
    vcf, genes = snvs_in_genes(ctx, 1000)
    out = os.path.join(ctx.tmp, "splice_deltas.tsv")

    def seqdl():
        wall, _, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "variants", "--model", model, "--genome",
                              genome, "--annotation", CELEGANS + ".gff3", "--vcf", vcf, "-o", out])
        return 1000 / wall, rss

    def reference():
        wall, _, rss = timed([PYTHON, SPLICE_REFERENCE, "variants", genome, vcf, "--weights", weights, "--window",
                              str(INPUT["spliceai400"]), "--genes", genes, "--threads", str(ctx.threads)])
        return 1000 / wall, rss

    return seqdl, reference
