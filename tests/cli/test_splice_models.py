"""Per-position splice models end to end on real data (../shared/data/korflab_1pct_genomes, C. elegans 1%): a
spliceai400 trained for two epochs on chromosomes I and II (III validates, V is held out), then checked against
independent Python computations: the model's weights exported to a plain PyTorch SpliceAI
(bench/splice_reference.py, written from the paper) scan V on both strands; those tracks must equal seqdl predict's
strand tracks; AUPRC, AUROC and top-k per acceptor/donor computed here with scikit-learn from them, with labels from
the GFF3 read here (tests/cli/splice_reference.py), must equal seqdl evaluate's (genes and whole chromosomes); delta
scores of hand-made SNVs must equal the reference's and destroy the AG / GT they hit at the right position on both
strands. Rejected inputs exit 2 with one line."""
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

from seqdl_test import PYTHON, SOURCE_DIR, CliTest, main, read_text, shared, write_text
from splice_reference import Reference, read_genome

BENCH = os.path.join(SOURCE_DIR, "bench", "splice_reference.py")
CHROMS = ("I", "II", "III", "V")
LENGTH = 1400  # 1,000 output positions per block + spliceai400's 400 bases of context
CLASSES = {"acceptor": 1, "donor": 2}


def gene_extents(ref, chrom):
    """{gene id: [start, end, strand]} of `chrom`: a gene's span is the extent of its transcripts (docs/splice.md)."""
    extents = {}
    for t in ref.transcripts.values():
        if t["chrom"] == chrom:
            s, e = t["span"]
            g = extents.setdefault(t["gene"], [s, e, t["strand"]])
            g[0], g[1] = min(g[0], s), max(g[1], e)
    return extents


def gene_spans(ref, chrom):
    """Gene spans of `chrom`: genes of one strand that share a base merge. [(start, end, strand)], 0-based."""
    spans = []
    for strand in "+-":
        cur = None
        for s, e, st in sorted(gene_extents(ref, chrom).values()):
            if st != strand:
                continue
            if cur is not None and s < cur[1]:
                cur[1] = max(cur[1], e)
                continue
            if cur is not None:
                spans.append(tuple(cur))
            cur = [s, e, strand]
        if cur is not None:
            spans.append(tuple(cur))
    return spans


def label_tracks(ref, chrom, n):
    """[2 strands (+, -), n] site classes of every base of `chrom`: 1 acceptor, 2 donor."""
    labels = np.zeros((2, n), dtype=np.int8)
    for (c, pos, strand, cls) in Reference.sites(ref.introns()):
        if c == chrom:
            labels[0 if strand == "+" else 1, pos] = CLASSES[cls]
    return labels


def top_k(scores, positive):
    """SpliceAI's top-k accuracy (k = positives), ties at the k-th score sharing the remaining places."""
    k = int(positive.sum())
    t = np.sort(scores)[::-1][k - 1]
    above, at = scores > t, scores == t
    places = k - above.sum()
    return (positive[above].sum() + places * positive[at].sum() / at.sum()) / k


def class_metrics(scores, labels, cls):
    from sklearn.metrics import average_precision_score, roc_auc_score
    y = labels == cls
    return {"positions": len(y), "positives": int(y.sum()), "auprc": average_precision_score(y, scores),
            "auroc": roc_auc_score(y, scores), "topk_accuracy": top_k(scores, y)}


def truncated(x):
    """Scores as the binned whole-chromosome metrics count them: float32 with the lowest 9 bits cleared."""
    return (np.ascontiguousarray(x, dtype=np.float32).view(np.uint32) & np.uint32(0xFFFFFE00)).view(np.float32)


class SpliceModelsTest(CliTest):
    @classmethod
    def setUpClass(cls):
        folder = ("korflab_1pct_genomes", "celegans")
        cls.genome = shared(*folder, "celegans_WS282_1pct.fa")
        gff = shared(*folder, "celegans_WS282_1pct.gff3")
        cls.data = tempfile.mkdtemp(prefix="seqdl_splice_models_")
        # The annotation of four chromosomes, so that I + II train (III validates, V is the test).
        cls.gff = os.path.join(cls.data, "genes.gff3")
        with open(gff) as f, open(cls.gff, "w") as out:
            out.writelines(l for l in f if l.startswith("#") or l.split("\t", 1)[0] in CHROMS)
        cls.ref = Reference(cls.gff)
        cls.seq = read_genome(cls.genome)["V"]
        cls.model = os.path.join(cls.data, "splice.seqdl")
        cls.train_log = cls.run_checked(
            "--threads", 2, "--seed", 1, "train", "--arch", "spliceai400", "--length", LENGTH, "--batch", 16,
            "--epochs", 2, "--genome", cls.genome, "--annotation", cls.gff, "--valid-chroms", "III", "--test-chroms",
            "V", "-o", cls.model)
        # The same weights in the plain PyTorch SpliceAI, scanning V on both strands.
        v_fa = write_text(os.path.join(cls.data, "V.fa"), f">V\n{cls.seq}\n")
        cls.weights = os.path.join(cls.data, "splice.pt")
        cls.python(BENCH, "export", cls.model, cls.weights)
        npz = os.path.join(cls.data, "V.npz")
        cls.python(BENCH, "scan", v_fa, "--weights", cls.weights, "--window", LENGTH, "--out", npz)
        cls.tracks = np.load(npz)["V"]  # [strand (+, -), class (acceptor, donor), position], genome order

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.data, ignore_errors=True)

    @classmethod
    def run_checked(cls, *args):
        r = subprocess.run([cls.seqdl_path(), *map(str, args)], capture_output=True, timeout=1200)
        assert r.returncode == 0, r.stderr.decode(errors="replace")
        return r.stderr.decode(errors="replace")

    @staticmethod
    def python(*args):
        r = subprocess.run([PYTHON, *map(str, args)], capture_output=True, timeout=1200)
        assert r.returncode == 0, r.stderr.decode(errors="replace")

    def test_training_split_and_metadata(self):
        self.assertIn("train (I, II):", self.train_log)
        self.assertIn("valid (III):", self.train_log)
        from seqdl_model import read_archive
        header, _ = read_archive(self.model)
        self.assertEqual(header["input_length"], LENGTH)
        text = read_text(self.model + ".log.tsv")
        self.assertEqual(len(text.strip().splitlines()), 3, text)  # a header and two epochs

    def test_predict_strand_tracks_equal_the_reference(self):
        out = self.path("v.npy")
        self.seqdl("--threads", 2, "predict", "--model", self.model, "--genome", self.genome, "--regions", "V",
                   "--task", "acceptor", "--task", "donor", "-o", out)
        got = np.load(out)
        self.assertEqual(got.shape, (len(self.seq), 4))  # acceptor.plus, acceptor.minus, donor.plus, donor.minus
        for k, (strand, cls) in enumerate([(0, 0), (1, 0), (0, 1), (1, 1)]):
            np.testing.assert_allclose(got[:, k], self.tracks[strand, cls], atol=1e-5, err_msg=f"track {k}")
        # bedGraph: one file per class and strand; BED calls carry their strand.
        self.seqdl("predict", "--model", self.model, "--genome", self.genome, "--regions", "V:1-20000", "--task",
                   "acceptor", "-o", self.path("s.bedGraph"))
        self.assertEqual(sorted(f for f in os.listdir(self.tmp) if f.startswith("s.")),
                         ["s.acceptor.minus.bedGraph", "s.acceptor.plus.bedGraph"])
        self.seqdl("predict", "--model", self.model, "--genome", self.genome, "--regions", "V", "--task", "donor",
                   "--threshold", 0.5, "-o", self.path("calls.bed"))
        for strand, name in (("+", "plus"), ("-", "minus")):
            rows = [l.split("\t") for l in read_text(self.path(f"calls.donor.{name}.bed")).splitlines()]
            self.assertTrue(rows, name)
            self.assertEqual({r[5] for r in rows}, {strand})
            track = self.tracks[0 if strand == "+" else 1, 1]
            for r in rows:  # each call is a run of bases >= 0.5, scored by its peak
                s, e = int(r[1]), int(r[2])
                self.assertTrue((track[s:e] >= 0.5 - 1e-6).all())
                self.assertAlmostEqual(float(r[4]), float(track[s:e].max()), places=4)

    def test_evaluate_equals_sklearn_on_the_reference_tracks(self):
        out = self.path("metrics.json")
        self.seqdl("--threads", 2, "evaluate", "--model", self.model, "--genome", self.genome, "--annotation",
                   self.gff, "--chroms", "V", "--whole-chromosomes", "--json", "-o", out)
        import json
        got = json.loads(read_text(out))
        n = len(self.seq)
        labels = label_tracks(self.ref, "V", n)
        spans = gene_spans(self.ref, "V")
        self.assertEqual(got["inputs"]["spans"], len(spans))
        # Genes: every base of every span on its own strand.
        gene_scores = {c: [] for c in CLASSES}
        gene_labels = []
        for s, e, strand in spans:
            k = 0 if strand == "+" else 1
            gene_labels.append(labels[k, s:e])
            for c, i in CLASSES.items():
                gene_scores[c].append(self.tracks[k, i - 1, s:e])
        gene_labels = np.concatenate(gene_labels)
        whole_labels = np.concatenate([labels[0], labels[1]])
        for c, i in CLASSES.items():
            expected = class_metrics(np.concatenate(gene_scores[c]), gene_labels, i)
            scores = truncated(np.concatenate([self.tracks[0, i - 1], self.tracks[1, i - 1]]))
            expected_whole = class_metrics(scores, whole_labels, i)
            for name, want, have in (("genes", expected, got[c]), ("whole", expected_whole, got["whole_chromosomes"][c])):
                self.assertEqual(have["positions"], want["positions"], f"{name} {c}")
                self.assertEqual(have["positives"], want["positives"], f"{name} {c}")
                for m in ("auprc", "auroc", "topk_accuracy"):
                    self.assertAlmostEqual(have[m], want[m], delta=2e-3, msg=f"{name} {c} {m}")
            # Two epochs on two chromosomes already beat the prevalence (about 0.001) a hundredfold.
            self.assertGreater(got[c]["auprc"], 100 * got[c]["prevalence"], c)
            self.assertGreater(got[c]["topk_accuracy"], 0.2, c)

    def strongest(self, cls, strand):
        """The annotated site of V (class, strand) with the highest reference probability, and that probability."""
        k = 0 if strand == "+" else 1
        sites = [p for (c, p, s, kind) in Reference.sites(self.ref.introns()) if c == "V" and s == strand and kind == cls]
        best = max(sites, key=lambda p: self.tracks[k, CLASSES[cls] - 1, p])
        return best, float(self.tracks[k, CLASSES[cls] - 1, best])

    def test_variant_deltas(self):
        acceptor, p_acc = self.strongest("acceptor", "+")
        donor, p_don = self.strongest("donor", "-")
        self.assertGreater(p_acc, 0.5)
        self.assertGreater(p_don, 0.5)
        # The acceptor's AG (the two bases before the exon on '+') and the donor's GT on '-' (the two bases below the
        # exon's last base, AC on the plus strand), each replaced: two-base substitutions, as one base is not enough
        # for a model this young (its saturated probabilities barely move), but the pair is.
        self.assertEqual(self.seq[acceptor - 2:acceptor], "AG")
        self.assertEqual(self.seq[donor - 2:donor], "AC")
        spans = gene_spans(self.ref, "V")
        outside = next(p for p in range(1000, len(self.seq)) if not any(s <= p < e for s, e, _ in spans)
                       and self.seq[p] in "ACGT")
        rows = [("V", acceptor - 1, "AG", "TC"), ("V", donor - 1, "AC", "GT"),
                ("V", outside + 1, self.seq[outside], "T" if self.seq[outside] != "T" else "A"),
                ("V", acceptor, "G", "C")]
        rows.sort(key=lambda r: r[1])
        vcf = write_text(self.path("v.vcf"), "##fileformat=VCFv4.2\n##contig=<ID=V,length=%d>\n"
                         "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" % len(self.seq) +
                         "".join(f"{c}\t{p}\t{r}{a}\t{r}\t{a}\t.\t.\t.\n" for c, p, r, a in rows))
        out = self.path("deltas.tsv")
        self.seqdl("variants", "--model", self.model, "--genome", self.genome, "--annotation", self.gff, "--vcf", vcf,
                   "-o", out)
        lines = read_text(out).splitlines()
        head = lines[0].split("\t")
        got = [dict(zip(head, l.split("\t"))) for l in lines[1:]]
        by_id = {}
        for r in got:
            by_id.setdefault(r["id"], []).append(r)
        outside_id = self.seq[outside] + ("T" if self.seq[outside] != "T" else "A")
        self.assertEqual([r["status"] for r in by_id[outside_id]], ["no_gene"])
        acc = [r for r in by_id["AGTC"] if r["strand"] == "+"]
        don = [r for r in by_id["ACGT"] if r["strand"] == "-"]
        self.assertTrue(acc and don, got)
        # Destroying the AG loses the acceptor two bases to the right of POS; the GT on '-', the donor two bases to
        # the right (positions are genomic offsets whatever the strand).
        self.assertEqual(int(acc[0]["dp_al"]), 2)
        self.assertGreater(float(acc[0]["ds_al"]), 0.5 * p_acc)
        self.assertEqual(int(don[0]["dp_dl"]), 2)
        self.assertGreater(float(don[0]["ds_dl"]), 0.5 * p_don)

        # Every scored (allele, gene) against the plain PyTorch computation.
        genes = write_text(self.path("genes.tsv"), "".join(f"V\t{s}\t{e}\t{st}\t{gid}\n" for gid, (s, e, st)
                                                           in gene_extents(self.ref, "V").items()))
        ref_out = self.path("ref.tsv")
        self.python(BENCH, "variants", self.genome, vcf, "--weights", self.weights, "--window", LENGTH, "--genes",
                    genes, "--out", ref_out)
        expected = {}
        for l in read_text(ref_out).splitlines():
            f = l.split("\t")
            expected[(int(f[1]), f[4])] = [float(x) for x in f[5:9]] + [int(x) for x in f[9:13]]
        scored = [r for r in got if r["status"] == "ok"]
        self.assertEqual(len(scored), len(expected))
        for r in scored:
            want = expected[(int(r["pos"]), r["gene"])]
            have = [float(r[k]) for k in ("ds_ag", "ds_al", "ds_dg", "ds_dl")]
            np.testing.assert_allclose(have, want[:4], atol=1e-4)
            self.assertEqual([int(r[k]) for k in ("dp_ag", "dp_al", "dp_dg", "dp_dl")], want[4:])

        # The VCF: SpliceAI's INFO entry, two decimals; masking keeps the loss of an annotated site.
        self.seqdl("variants", "--model", self.model, "--genome", self.genome, "--annotation", self.gff, "--vcf", vcf,
                   "--mask", "-o", self.path("masked.vcf"))
        records = [l.split("\t") for l in read_text(self.path("masked.vcf")).splitlines() if not l.startswith("#")]
        record = next(r for r in records if r[2] == "AGTC")
        info = dict(kv.split("=", 1) for kv in record[7].split(";") if "=" in kv)
        entry = next(e.split("|") for e in info["SEQDL_SPLICE"].split(",") if e.split("|")[1] == acc[0]["gene"])
        self.assertEqual(entry[0], "TC")  # ALLELE|SYMBOL|DS_AG|DS_AL|DS_DG|DS_DL|DP_AG|DP_AL|DP_DG|DP_DL
        self.assertEqual(int(entry[7]), 2)
        self.assertAlmostEqual(float(entry[3]), float(acc[0]["ds_al"]), delta=0.0051)
        self.assertLessEqual(float(entry[2]), float(acc[0]["ds_ag"]) + 0.0051)  # masked gains can only fall

    def test_rejected_inputs(self):
        base = ["--genome", self.genome, "--annotation", self.gff]
        out = self.path("m.seqdl")
        self.assert_error("train", "--arch", "spliceai400", "--annotation", self.gff, "-o", out, command="train",
                          pattern="needs --genome", outputs=[out])
        self.assert_error("train", "--arch", "deepbind", *base, "-o", out, command="train",
                          pattern="per-position", outputs=[out])
        self.assert_error("train", "--arch", "spliceai400", *base, "--valid-chroms", "IX", "-o", out, command="train",
                          pattern="--valid-chroms IX: the annotation has no gene there", outputs=[out])
        self.assert_error("train", "--arch", "spliceai400", *base, "--rc-augment", "-o", out, command="train",
                          pattern="--rc-augment does not apply", outputs=[out])
        metrics = self.path("metrics.json")
        self.assert_error("evaluate", "--model", self.model, *base, "--chroms", "X", "-o", metrics, command="evaluate",
                          pattern="--chroms X: the annotation has no gene there", outputs=[metrics])
        self.assert_error("evaluate", "--model", self.model, *base, "--bootstrap", 10, "-o", metrics,
                          command="evaluate", pattern="--bootstrap", outputs=[metrics])
        vcf = write_text(self.path("one.vcf"), "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                                               f"V\t100\t.\t{self.seq[99]}\tN\t.\t.\t.\n")
        effects = self.path("e.tsv")
        self.assert_error("variants", "--model", self.model, *base, "--vcf", vcf, "--rc", "mean", "-o", effects,
                          command="variants", pattern="--rc does not apply with --annotation", outputs=[effects])
        self.assert_error("variants", "--model", self.model, *base, "--vcf", vcf, "--task", "acceptor", "-o", effects,
                          command="variants", pattern="--task does not apply", outputs=[effects])
        tracks = self.path("t.bw")
        self.assert_error("predict", "--model", self.model, "--genome", self.genome, "--regions", "V", "--rc", "mean",
                          "--strand-tracks", "both", "-o", tracks, command="predict", pattern="choose one",
                          outputs=[tracks])


if __name__ == "__main__":
    main()
