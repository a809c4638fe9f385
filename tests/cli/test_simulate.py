"""seqdl simulate end to end: the planted sites are where sites.bed says, counts and lengths are as asked, the
background composition is as asked, the seed decides the bytes, a PWM scan separates the classes, and every
rejected input leaves no output directory."""
import collections
import csv
import os

from seqdl_test import CliTest, SOURCE_DIR, fasta_dict, main, read_text, write_text

COMPLEMENT = str.maketrans("ACGT", "TGCA")
MOTIFS = os.path.join(SOURCE_DIR, "data", "motifs.meme")


def revcomp(s):
    return s.translate(COMPLEMENT)[::-1]


def read_tsv(path):
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


class Simulate(CliTest):
    def simulate(self, *args, out="sim"):
        self.seqdl("simulate", *args, "-o", self.path(out))
        return self.path(out)

    def test_sites_are_exactly_the_planted_bases(self):
        # A motif with one certain base per position: every instance is ACGGTCAT (or its reverse complement).
        det = write_text(self.path("det.jaspar"), ">DET deterministic\nA [ 9 0 0 0 0 0 9 0 ]\nC [ 0 9 0 0 0 9 0 0 ]\n"
                                                  "G [ 0 0 9 9 0 0 0 0 ]\nT [ 0 0 0 0 9 0 0 9 ]\n")
        out = self.simulate("--motifs", det, "--n", 300, "--length", 60, "--instances", 2, "--seed", 4)
        self.assertEqual(sorted(os.listdir(out)), ["labels.tsv", "motifs.meme", "neg.fa", "pos.fa", "sites.bed"])
        pos, neg = fasta_dict(os.path.join(out, "pos.fa")), fasta_dict(os.path.join(out, "neg.fa"))
        self.assertEqual((len(pos), len(neg)), (150, 150))
        self.assertTrue(all(len(s) == 60 for s in list(pos.values()) + list(neg.values())))
        sites = [l.split("\t") for l in read_text(os.path.join(out, "sites.bed")).splitlines()]
        self.assertEqual(len(sites), 300)
        per_sequence = collections.Counter()
        for seq_id, start, end, motif, score, strand in sites:
            self.assertIn(seq_id, pos)
            self.assertEqual((motif, score, int(end) - int(start)), ("DET", "0", 8))
            window = pos[seq_id][int(start):int(end)]
            self.assertEqual(window if strand == "+" else revcomp(window), "ACGGTCAT")
            per_sequence[seq_id] += 1
        self.assertEqual(set(per_sequence.values()), {2})
        self.assertTrue({"+", "-"} <= {s[5] for s in sites})
        labels = read_tsv(os.path.join(out, "labels.tsv"))
        self.assertEqual(list(labels[0].keys()), ["id", "sequence", "label"])
        self.assertEqual(len(labels), 300)
        for row in labels:
            self.assertEqual(row["sequence"], (pos if row["label"] == "1" else neg)[row["id"]])

    def test_sampled_sites_follow_the_motif_and_gc_is_as_asked(self):
        out = self.simulate("--motifs", MOTIFS, "--motif", "Ebox_like", "--n", 3000, "--length", 100, "--gc", 0.41,
                            "--positives-fraction", 0.8, "--seed", 2)
        pos = fasta_dict(os.path.join(out, "pos.fa"))
        neg = fasta_dict(os.path.join(out, "neg.fa"))
        self.assertEqual((len(pos), len(neg)), (2400, 600))
        gc = sum(s.count("G") + s.count("C") for s in neg.values()) / sum(len(s) for s in neg.values())
        self.assertAlmostEqual(gc, 0.41, delta=3 * (0.41 * 0.59 / 60000) ** 0.5)
        # Base frequencies at the planted sites, per position, against the file's probabilities (CACGTG with
        # 0.85 for the consensus base).
        counts = [collections.Counter() for _ in range(6)]
        for seq_id, start, end, *_rest, strand in (l.split("\t") for l in read_text(os.path.join(out, "sites.bed")).splitlines()):
            w = pos[seq_id][int(start):int(end)]
            w = w if strand == "+" else revcomp(w)
            for i, b in enumerate(w):
                counts[i][b] += 1
        for i, base in enumerate("CACGTG"):
            self.assertAlmostEqual(counts[i][base] / 2400, 0.85, delta=4 * (0.85 * 0.15 / 2400) ** 0.5)

    def test_seed_decides_the_bytes(self):
        a = self.simulate("--motifs", MOTIFS, "--n", 200, "--seed", 9, out="a")
        b = self.simulate("--motifs", MOTIFS, "--n", 200, "--seed", 9, out="b")
        c = self.simulate("--motifs", MOTIFS, "--n", 200, "--seed", 10, out="c")
        for name in ["pos.fa", "neg.fa", "labels.tsv", "sites.bed", "motifs.meme"]:
            self.assertEqual(read_text(os.path.join(a, name)), read_text(os.path.join(b, name)), name)
        self.assertNotEqual(read_text(os.path.join(a, "pos.fa")), read_text(os.path.join(c, "pos.fa")))

    def test_multilabel_decoys_and_shuffled_background(self):
        bg = write_text(self.path("bg.fa"), ">b1\n" + "ACGTTGCAAACCGGTTTACGATCGATCGGGAAATTTCCCACGTACGTAGCTAGCTTTAA" * 3 + "\n")
        out = self.simulate("--motifs", MOTIFS, "--motif", "Ebox_like", "--motif", "GATA_like", "--decoy", "AP1_like",
                            "--multilabel", "--positives-fraction", 0.3, "--background", bg, "--length", 180,
                            "--n", 400, "--position", "centre", "--spread", 10)
        labels = read_tsv(os.path.join(out, "labels.tsv"))
        self.assertEqual(list(labels[0].keys()), ["id", "sequence", "label", "Ebox_like", "GATA_like"])
        self.assertEqual(sum(int(r["Ebox_like"]) for r in labels), 120)
        self.assertEqual(sum(int(r["GATA_like"]) for r in labels), 120)
        by_id = {r["id"]: r for r in labels}
        for r in labels:
            self.assertEqual(int(r["label"]), int(r["Ebox_like"]) | int(r["GATA_like"]))
        for seq_id, start, end, motif, _, _ in (l.split("\t") for l in read_text(os.path.join(out, "sites.bed")).splitlines()):
            row = by_id[seq_id]
            if motif == "AP1_like":
                self.assertEqual(row["label"], "0")  # decoys only in negatives
            else:
                self.assertEqual(row[motif], "1")
        self.assertIn("AP1_like", read_text(os.path.join(out, "motifs.meme")))

    def test_a_pwm_scan_separates_the_classes(self):
        from sklearn.metrics import roc_auc_score
        out = self.simulate("--motifs", MOTIFS, "--motif", "CTCF_like", "--n", 1000, "--length", 200, "--seed", 3)
        scan = self.path("scan.tsv")
        self.seqdl("motifs", "scan", os.path.join(out, "motifs.meme"), os.path.join(out, "labels.tsv"),
                   "--sequence-column", "sequence", "--id-column", "id", "--per-sequence-max", "-o", scan)
        labels = {r["id"]: int(r["label"]) for r in read_tsv(os.path.join(out, "labels.tsv"))}
        scores = {r["id"]: float(r["score"]) for r in read_tsv(scan)}
        ids = sorted(labels)
        self.assertGreater(roc_auc_score([labels[i] for i in ids], [scores[i] for i in ids]), 0.9)

    def test_help_has_the_example(self):
        out = self.seqdl("simulate", "--help").stdout.decode()
        self.assertIn("seqdl simulate --motifs motifs.meme --n 5000 --length 200 -o sim/", out)


class SimulateRejects(CliTest):
    def reject(self, *args, pattern):
        out = self.path("sim")
        self.assert_error("simulate", *args, "-o", out, command="simulate", pattern=pattern, outputs=[out])

    def test_bad_motif_files(self):
        bad = write_text(self.path("bad.meme"), "MEME version 4\nMOTIF a\nletter-probability matrix: w= 1\n0.9 0.9 0 0\n")
        self.reject("--motifs", bad, pattern=r"bad\.meme:4: the probabilities sum to 1\.8")
        self.reject("--motifs", self.path("none.meme"), pattern=r"cannot open .*none\.meme")
        self.reject("--motifs", MOTIFS, "--motif", "XYZ", pattern=r"--motif: no motif with id or name 'XYZ'")
        self.reject("--motifs", MOTIFS, "--background", write_text(self.path("bg.fa"), "ACGT\n"),
                    pattern=r"bg\.fa:1: expected a FASTA header")

    def test_bad_option_values(self):
        self.reject("--motifs", MOTIFS, "--n", 0, pattern=r"--n: expected an integer >= 1")
        self.reject("--motifs", MOTIFS, "--gc", 1.5, pattern=r"--gc")
        self.reject("--motifs", MOTIFS, "--positives-fraction", 2, pattern=r"--positives-fraction")
        self.reject("--motifs", MOTIFS, "--position", "edge", pattern=r"--position")
        self.reject("--motifs", MOTIFS, "--length", 10, pattern=r"--length 10 cannot hold 1 motif instances of up to 14 bp")
        self.reject("--motifs", MOTIFS, "--motif", "Ebox_like", "--length", 20, "--instances", 4,
                    pattern=r"--length 20 cannot hold 4 motif instances of up to 6 bp")
        self.reject("--motifs", MOTIFS, "--gc", 0.4, "--background", MOTIFS, pattern=r"--gc and --background are alternatives")
        self.assert_error("simulate", "--motifs", MOTIFS, command="simulate", pattern=r"--output is required")


if __name__ == "__main__":
    main()
