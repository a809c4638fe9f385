"""The benchmark rows. Each compares a seqdl workload with the matching reference on the same input."""
import os

from harness import DATA, PYTHON, REFERENCE, Context, rate_from, row, timed


@row("startup", "runs/s", doc="seqdl --version start-up cost (LibTorch is not loaded) versus python3 -c 'import torch'")
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


def kb_fasta(ctx: Context, n=40_000, length=1000):
    """n random 1 kb records (seeded), one line each."""
    import random
    out = os.path.join(ctx.tmp, f"random_{n}x{length}.fa")
    if not os.path.exists(out):
        rng = random.Random(7)
        with open(out, "w") as f:
            for i in range(n):
                f.write(f">r{i}\n{''.join(rng.choices('ACGT', k=length))}\n")
    return out


def encode_npy_row(dtype, doc):
    @row("encode-npy" + ("" if dtype == "float32" else "-" + dtype), "sequences/s", target=3.0, doc=doc)
    def encode_npy(ctx: Context):
        fasta = kb_fasta(ctx)
        npy = os.path.join(ctx.tmp, f"encoded_{dtype}.npy")

        def seqdl():
            wall, _, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "encode", fasta, "--dtype", dtype, "-o", npy])
            return 40_000 / wall, rss

        def reference():
            wall, _, rss = timed([PYTHON, os.path.join(REFERENCE, "encode.py"), fasta, "--threads", str(ctx.threads)])
            return 40_000 / wall, rss

        return seqdl, reference


# seqdl writes the array to a file (640 MB as float32: the kernel's page-cache work for it dominates and varies
# from run to run); encode.py builds each array in memory and drops it.
encode_npy_row("float32", "whole process: seqdl encode 40,000 x 1 kb FASTA to a float32 .npy (640 MB) vs encode.py's "
               "whole process (in memory only)")
encode_npy_row("uint8", "the same to a uint8 .npy (160 MB, the same one-hot values)")


# Training throughput: `seqdl train` (its whole pipeline: batches built from base codes on a background thread,
# forward, backward, optimiser step) against throughput.py's bare PyTorch train step on a ready tensor, with the
# same architecture, batch size (64), input length, number of outputs and threads. seqdl's rate is the one its
# epoch log reports (training time only, validation excluded).
TRAIN_SHAPES = {  # arch: (length, tasks, examples per seqdl epoch: some seconds of work, so that the first
    # batches (oneDNN's kernel set-up, which throughput.py leaves out as warm-up steps) weigh little)
    "deepbind": (101, 1, 400_000), "basset": (600, 164, 1920), "deepsea": (1000, 919, 640),
    "danq": (1000, 919, 640), "spliceai80": (5080, 3, 384), "transformer": (1000, 1, 384)}


def random_table(ctx: Context, arch):
    length, tasks, n = TRAIN_SHAPES[arch]
    path = os.path.join(ctx.tmp, f"train_{arch}.tsv")
    if not os.path.exists(path):
        import numpy as np
        rng = np.random.default_rng(0)
        bases = np.frombuffer(b"ACGT", dtype=np.uint8)
        with open(path, "w") as f:
            f.write("id\tseq\t" + "\t".join(f"t{k}" for k in range(tasks)) + "\n")
            for i in range(n):
                seq = bases[rng.integers(0, 4, length)].tobytes().decode()
                labels = "\t".join("1" if v else "0" for v in (rng.random(tasks) < 0.1))
                f.write(f"r{i}\t{seq}\t{labels}\n")
    return path, tasks


def train_row(arch, target):
    @row(f"train-{arch}", "samples/s", target=target,
         doc=f"seqdl train samples/s for {arch} vs reference/throughput.py (batch 64)")
    def setup(ctx: Context):
        table, tasks = random_table(ctx, arch)
        model = os.path.join(ctx.tmp, f"{arch}.seqdl")

        def seqdl():
            _, out, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "train", "--arch", arch, "--table", table,
                                 "--sequence-column", "seq", "--label-columns",
                                 ",".join(f"t{k}" for k in range(tasks)), "--valid-fraction", "0", "--epochs", "1",
                                 "--batch", "64", "-o", model])
            return rate_from(out, r"epoch 1/1: .* ([\d.]+[kMG]?) samples/s"), rss

        def reference():
            _, out, rss = timed([PYTHON, os.path.join(REFERENCE, "throughput.py"), "--archs", arch,
                                 "--threads", str(ctx.threads), "--batch", "64", "--seconds", "4"])
            return rate_from(out, r"train\s+([\d.]+) samples/s"), rss

        return seqdl, reference
    return setup


for _arch, _target in [("deepbind", 2.0), ("basset", 1.0), ("deepsea", 1.0), ("danq", 1.0), ("spliceai80", 1.0),
                       ("transformer", 1.0)]:
    train_row(_arch, _target)


# Genome scans: `seqdl predict` against reference/predict_genome.py over the same genome (the C. elegans 1% genome:
# seven contigs, 1 Mb), the same model (seqdl's weights exported to TorchScript of the reference architecture) and
# threads; windows/s as each reports.
def scan_genome(ctx: Context):
    return ctx.need(os.path.join(DATA, "korflab_1pct_genomes", "celegans", "celegans_WS282_1pct.fa"))


def exported_model(ctx: Context, arch, length):
    model = os.path.join(ctx.tmp, f"scan_{arch}.seqdl")
    script = os.path.join(ctx.tmp, f"scan_{arch}.pt")
    if not os.path.exists(script):
        import numpy as np
        rng = np.random.default_rng(3)
        table = os.path.join(ctx.tmp, f"scan_{arch}.tsv")
        with open(table, "w") as f:
            f.write("id\tseq\ty\n")
            for i in range(64):
                f.write(f"r{i}\t{''.join(rng.choice(list('ACGT'), length))}\t{i % 2}\n")
        timed([ctx.seqdl, "train", "--arch", arch, "--table", table, "--sequence-column", "seq", "--label-columns", "y",
               "--epochs", "1", "--batch", "16", "--valid-fraction", "0", "-o", model])
        timed([PYTHON, os.path.join(os.path.dirname(__file__), "export_torchscript.py"), model, arch, script])
    return model, script


def predict_row(arch, length, stride, target):
    @row(f"predict-{arch}", "windows/s", target=target,
         doc=f"seqdl predict over the C. elegans 1% genome at stride {stride} vs reference/predict_genome.py ({arch})")
    def setup(ctx: Context):
        genome = scan_genome(ctx)
        model, script = exported_model(ctx, arch, length)
        out = os.path.join(ctx.tmp, f"scan_{arch}.bedGraph")

        def seqdl():
            _, text, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "predict", "--model", model, "--genome",
                                  genome, "--stride", str(stride), "--edges", "skip", "--logits", "-o", out])
            return rate_from(text, r"predictions in [\d.]+ s \(([\d.]+[kMG]?)/s\)"), rss

        def reference():
            _, text, rss = timed([PYTHON, os.path.join(REFERENCE, "predict_genome.py"), genome, "--arch", arch,
                                  "--weights", script, "--stride", str(stride), "--threads", str(ctx.threads),
                                  "--out", out + ".ref"])
            return rate_from(text, r"([\d.]+) windows/s"), rss

        return seqdl, reference
    return setup


predict_row("deepbind", 101, 1, 20.0)
predict_row("basset", 600, 48, 3.0)


# Variant effects: `seqdl variants` against bench/variants_reference.py (there is no reference script for variants:
# a plain PyTorch baseline that builds the same REF/ALT windows and runs the same model, exported to TorchScript of
# the reference architecture, in batches of windows) on n random SNVs of the C. elegans 1% genome, REF from the
# genome. The rows are in rows_variants.py.
def snv_vcf(ctx: Context, n):
    genome = ctx.need(os.path.join(DATA, "korflab_1pct_genomes", "celegans", "celegans_WS282_1pct.fa"))
    out = os.path.join(ctx.tmp, f"celegans_{n}_snvs.vcf")
    if not os.path.exists(out):
        import numpy as np
        rng = np.random.default_rng(11)
        contigs, name, parts = {}, None, []
        for line in open(genome):
            if line.startswith(">"):
                if name:
                    contigs[name] = "".join(parts)
                name, parts = line[1:].split()[0], []
            else:
                parts.append(line.strip())
        contigs[name] = "".join(parts)
        names = list(contigs)
        sizes = np.array([len(contigs[c]) for c in names], dtype=float)
        picks = {}
        while sum(len(v) for v in picks.values()) < n:
            c = names[rng.choice(len(names), p=sizes / sizes.sum())]
            p = int(rng.integers(0, len(contigs[c])))
            if contigs[c][p].upper() in "ACGT":
                picks.setdefault(c, set()).add(p)
        with open(out, "w") as f:
            f.write("##fileformat=VCFv4.2\n" + "".join(f"##contig=<ID={c},length={len(contigs[c])}>\n" for c in names))
            f.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
            for c in names:
                for p in sorted(picks.get(c, ())):
                    ref = contigs[c][p].upper()
                    alt = "ACGT"[("ACGT".index(ref) + 1 + int(rng.integers(0, 3))) % 4]
                    f.write(f"{c}\t{p + 1}\t.\t{ref}\t{alt}\t.\t.\t.\n")
    return genome, out


@row("ism-basset", "sequences/s", target=5.0,
     doc="seqdl ism --method fast vs reference/ism.py (naive, batched), basset at 600 bp, same weights")
def ism_basset(ctx: Context):
    model, script = exported_model(ctx, "basset", 600)
    fasta = os.path.join(ctx.tmp, "ism_600.fa")
    if not os.path.exists(fasta):
        import numpy as np
        rng = np.random.default_rng(6)
        with open(fasta, "w") as f:
            for i in range(4):
                f.write(f">s{i}\n{''.join(rng.choice(list('ACGT'), 600))}\n")
    out = os.path.join(ctx.tmp, "ism.npy")

    def seqdl():
        _, text, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "ism", "--model", model, "--method", "fast",
                              "-o", out, fasta])
        return rate_from(text, r"\(([\d.]+[kMG]?) sequences/s"), rss

    def reference():
        _, text, rss = timed([PYTHON, os.path.join(REFERENCE, "ism.py"), "--arch", "basset", "--weights", script,
                              "--fasta", fasta, "--n", "4", "--threads", str(ctx.threads), "--out", out + ".ref.npy"])
        return rate_from(text, r"([\d.]+) sequences/s"), rss

    return seqdl, reference


@row("deepshap-basset", "sequences/s", target=2.0,
     doc="seqdl saliency --method deepshap vs reference/deeplift_shap.py, basset at 600 bp, 20 dinucleotide-shuffled "
         "references per sequence, same weights; both rates exclude loading the model")
def deepshap_basset(ctx: Context):
    model, script = exported_model(ctx, "basset", 600)
    fasta = os.path.join(ctx.tmp, "deepshap_600.fa")
    if not os.path.exists(fasta):
        import numpy as np
        rng = np.random.default_rng(8)
        with open(fasta, "w") as f:
            for i in range(16):
                f.write(f">s{i}\n{''.join(rng.choice(list('ACGT'), 600))}\n")
    out = os.path.join(ctx.tmp, "deepshap.npy")

    def seqdl():
        _, text, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "saliency", "--model", model, "--method",
                              "deepshap", "--references", "20", "-o", out, fasta])
        return rate_from(text, r"\(([\d.]+[kMG]?) sequences/s\)"), rss

    def reference():
        _, text, rss = timed([PYTHON, os.path.join(REFERENCE, "deeplift_shap.py"), "--arch", "basset", "--weights",
                              script, "--fasta", fasta, "--references", "20", "--batch", "4", "--threads",
                              str(ctx.threads), "--out", out + ".ref.npy"])
        return rate_from(text, r"([\d.]+) sequences/s"), rss

    return seqdl, reference
