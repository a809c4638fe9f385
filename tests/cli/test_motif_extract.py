"""seqdl motifs extract end to end: sites, motifs and influence checked against an independent NumPy computation
from the model file's weights; a planted motif learned to AUPRC > 0.95 and recovered as a filter; the issue's
"done when" checks on real data (USF1 E-box and CTCF filters matched in JASPAR 2020); every rejected input."""
import importlib.util
import json
import os
import random
import subprocess

import numpy as np

from seqdl_model import read_archive
from seqdl_test import CliTest, PYTHON, SOURCE_DIR, main, one_hot, read_fasta, read_text, shared, write_text

MOTIFS = os.path.join(SOURCE_DIR, "data", "motifs.meme")
BASES = "ACGT"
COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")
# bHLH factors that bind the CACGTG E-box (JASPAR names; "(var.2)" suffixes removed before the lookup).
EBOX_FACTORS = {"USF1", "USF2", "USF3", "MAX", "MAX::MYC", "MYC", "MYCN", "MNT", "MLX", "MLXIP", "MLXIPL", "Mlxip",
                "TFE3", "TFEB", "TFEC", "MITF", "BHLHE40", "BHLHE41", "HEY1", "HEY2", "HEYL", "CLOCK", "Npas2", "NPAS2",
                "ARNT", "Arnt", "Arntl", "ARNT2", "ARNT::HIF1A", "HIF1A", "SREBF1", "SREBF2", "HES1", "HES5", "HES7"}


def revcomp(s):
    return s.translate(COMPLEMENT)[::-1]


def read_meme(path):
    """{id: (name, nsites, rows)} of a MEME minimal-format file."""
    out, lines = {}, read_text(path).splitlines()
    for i, line in enumerate(lines):
        if line.startswith("MOTIF "):
            parts = line.split()
            head = lines[i + 1].split()
            w, nsites = int(head[head.index("w=") + 1]), float(head[head.index("nsites=") + 1])
            rows = np.array([[float(v) for v in lines[i + 2 + k].split()] for k in range(w)])
            out[parts[1]] = (parts[2] if len(parts) > 2 else "", nsites, rows)
    return out


def tsv_rows(path):
    lines = read_text(path).splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:]]


def fit_length(seq, length):
    """seqdl's centre crop or N-pad (encode::fit_length)."""
    n = len(seq)
    if n >= length:
        start = (n - length) // 2
        return seq[start:start + length]
    before = (length - n) // 2
    return "N" * before + seq + "N" * (length - n - before)


class DeepBindNumpy:
    """DeepBind (conv, relu, global max pool, linear 32, relu, dropout, linear) from a .seqdl file's weights."""

    def __init__(self, model):
        header, t = read_archive(model)
        self.length = header["input_length"]
        self.w, self.b = t["0_conv.weight"].astype(np.float64), t["0_conv.bias"].astype(np.float64)
        self.w1, self.b1 = t["3_linear.weight"].astype(np.float64), t["3_linear.bias"].astype(np.float64)
        self.w2, self.b2 = t["6_linear.weight"].astype(np.float64), t["6_linear.bias"].astype(np.float64)
        self.width = self.w.shape[2]

    def activations(self, seq):
        """ReLU(conv) [filters, windows] and, per window, whether it holds A/C/G/T only."""
        x = one_hot(seq)
        win = np.lib.stride_tricks.sliding_window_view(x, self.width, axis=1)  # [4, windows, width]
        a = np.maximum(np.einsum("bwk,fbk->fw", win, self.w) + self.b[:, None], 0)
        ok = np.array([all(c in "ACGTacgt" for c in seq[j:j + self.width]) for j in range(len(seq) - self.width + 1)])
        return a, ok

    def output(self, seq, zeroed=None):
        a, _ = self.activations(fit_length(seq, self.length))
        m = a.max(axis=1)
        if zeroed is not None:
            m[zeroed] = 0
        h = np.maximum(self.w1 @ m + self.b1, 0)
        return 1 / (1 + np.exp(-(self.w2 @ h + self.b2)[0]))


class ExtractMatchesNumpy(CliTest):
    """Sites, motifs and influence of a trained DeepBind against the same rules computed in NumPy."""

    def setUp(self):
        super().setUp()
        sim = self.path("sim")
        self.seqdl("--seed", 3, "simulate", "--motifs", MOTIFS, "--motif", "Ebox_like", "--n", 600, "--length", 101,
                   "-o", sim)
        self.model = self.path("m.seqdl")
        self.seqdl("--threads", 2, "--seed", 1, "train", "--arch", "deepbind", "--table", f"{sim}/labels.tsv",
                   "--sequence-column", "sequence", "--label-columns", "label", "--epochs", 4, "-o", self.model)
        # Positives of several lengths (batches get padded), with N and soft-masked bases.
        rng = random.Random(5)
        self.seqs = []
        for i, (name, s) in enumerate(read_fasta(f"{sim}/pos.fa")):
            if i % 4 == 1:
                s = s[:rng.randint(24, 100)]
            if i % 5 == 2:
                at = rng.randrange(len(s) - 3)
                s = s[:at] + "NN" + s[at + 2:]
            if i % 7 == 3:
                s = s[:20] + s[20:].lower()
            if i % 11 == 0:
                s = s + "".join(rng.choice(BASES) for _ in range(rng.randint(1, 60)))  # longer than the input
            self.seqs.append((name, s))
        self.fasta = write_text(self.path("pos.fa"), "".join(f">{n}\n{s}\n" for n, s in self.seqs))
        self.net = DeepBindNumpy(self.model)

    def expected_sites(self, threshold, both_strands, best):
        rows = [[s] + ([revcomp(s)] if both_strands else []) for _, s in self.seqs]
        acts = [[self.net.activations(r) for r in strands] for strands in rows]
        filters = self.net.w.shape[0]
        top = np.zeros(filters)
        for strands in acts:
            for a, ok in strands:
                if ok.any():
                    top = np.maximum(top, a[:, ok].max(axis=1))
        counts = np.zeros((filters, self.net.width, 4))
        sites = np.zeros(filters, dtype=int)
        ambiguous = np.zeros(filters, dtype=int)  # windows within float32 rounding of the threshold
        for strands, seq_rows in zip(acts, rows):
            for f in range(filters):
                thr = threshold * top[f]
                if top[f] <= 0:
                    continue
                cands = []
                for (a, ok), r in zip(strands, seq_rows):
                    for j in np.nonzero(ok)[0]:
                        v = a[f, j]
                        if abs(v - thr) < 1e-4 * top[f] + 1e-6:
                            ambiguous[f] += 1
                        if v > 0 and v >= thr:
                            cands.append((v, r[j:j + self.net.width].upper()))
                if best:
                    cands = [max(cands, key=lambda c: c[0])] if cands else []
                for _, w in cands:
                    sites[f] += 1
                    for k, c in enumerate(w):
                        counts[f, k, BASES.index(c)] += 1
        return sites, counts, ambiguous

    def check(self, *options, threshold=0.5, both=False, best=False):
        meme, summary = self.path("f.meme"), self.path("f.tsv")
        self.seqdl("--threads", 2, "motifs", "extract", "--model", self.model, "--sequences", self.fasta,
                   "--threshold", threshold, "--min-sites", 1, "--batch", 16, "--summary", summary, "-o", meme, *options)
        sites, counts, ambiguous = self.expected_sites(threshold, both, best)
        motifs, rows = read_meme(meme), tsv_rows(summary)
        self.assertEqual([r["filter"] for r in rows], [f"filter{f}" for f in range(len(sites))])
        for f, row in enumerate(rows):
            self.assertLessEqual(abs(int(row["sites"]) - sites[f]), ambiguous[f], f"filter{f}")
            if sites[f] == 0:
                self.assertNotIn(f"filter{f}", motifs)
                continue
            name, nsites, probs = motifs[f"filter{f}"]
            self.assertEqual(nsites, int(row["sites"]))
            self.assertEqual(name, row["consensus"])
            tol = 1e-6 if ambiguous[f] == 0 else 0.02
            np.testing.assert_allclose(probs, counts[f] / sites[f], atol=tol + 1e-6, err_msg=f"filter{f}")
        return rows

    def test_sites_motifs_and_influence_equal_numpy(self):
        rows = self.check()
        intact = np.array([self.net.output(s) for _, s in self.seqs])
        for f, row in enumerate(rows):
            zeroed = np.array([self.net.output(s, zeroed=f) for _, s in self.seqs])
            self.assertAlmostEqual(float(row["influence"]), float(np.mean(intact - zeroed)), delta=1e-5)
        self.assertGreater(max(float(r["influence"]) for r in rows), 0)

    def test_both_strands_best_sites_and_thresholds(self):
        self.check("--both-strands", both=True)
        self.check("--sites", "best", "--no-influence", best=True)
        self.check("--both-strands", "--sites", "best", threshold=0.3, both=True, best=True)
        rows = self.check("--no-influence", threshold=0.8)
        self.assertTrue(all(r["influence"] == "NA" for r in rows))


class PlantedMotifIsLearned(CliTest):
    """Issue 8: a simulated set with one planted motif is learned to AUPRC > 0.95, and the motif comes back."""

    def test_ctcf_like_set_learned_and_its_filter_recovered(self):
        sim = self.path("sim")
        self.seqdl("--seed", 1, "simulate", "--motifs", MOTIFS, "--motif", "CTCF_like", "--n", 5000, "--length", 200,
                   "--gc", 0.41, "-o", sim)
        model, splits = self.path("sim.seqdl"), self.path("splits")
        self.seqdl("--threads", 2, "--seed", 1, "train", "--arch", "deepbind", "--length", 200, "--table",
                   f"{sim}/labels.tsv", "--sequence-column", "sequence", "--label-columns", "label", "--epochs", 30,
                   "--patience", 5, "--save-splits", splits, "-o", model)
        header, _ = read_archive(model)
        logged = header["metadata"]["validation"]["auprc"]
        self.assertGreater(logged, 0.95)
        # The same number from evaluate on the validation split, and from scikit-learn on its predictions.
        r = self.seqdl("--threads", 2, "evaluate", "--model", model, "--table", f"{splits}/valid.tsv", "--json")
        auprc = json.loads(r.stdout)["tasks"][0]["auprc"]
        self.assertAlmostEqual(auprc, logged, delta=1e-6)
        # The most influential filter is the planted motif.
        meme, summary = self.path("f.meme"), self.path("f.tsv")
        self.seqdl("--threads", 2, "motifs", "extract", "--model", model, "--sequences", f"{sim}/pos.fa",
                   "--summary", summary, "-o", meme)
        rows = [r for r in tsv_rows(summary) if r["written"] == "yes"]
        top = max(rows, key=lambda r: float(r["influence"]))
        matches = self.path("m.tsv")
        self.seqdl("motifs", "compare", meme, "--db", MOTIFS, "--top", 1, "-o", matches)
        best = {r["query_id"]: r for r in tsv_rows(matches)}
        self.assertEqual(best[top["filter"]]["target_id"], "CTCF_like", best[top["filter"]])
        self.assertTrue(any(r["target_id"] == "CTCF_like" and float(r["similarity"]) > 0.85 for r in best.values()),
                        read_text(matches))


class DoneWhenOnSharedData(CliTest):
    """Issue 8's checks on the shared data: a USF1 DeepBind's filters include an E-box whose best JASPAR 2020
    match is a CACGTG bHLH factor; a CTCF DeepBind's include CTCF (MA0139.1)."""

    def setUp(self):
        super().setUp()
        self.jaspar = shared("jaspar_meme", "JASPAR2020_CORE_vertebrates_non-redundant.meme")

    def best_matches(self, model, *sequences):
        meme = self.path("filters.meme")
        self.seqdl("--threads", 2, "motifs", "extract", "--model", model, "--sequences", *sequences,
                   "--summary", self.path("filters.tsv"), "-o", meme)
        matches = self.path("matches.tsv")
        self.seqdl("motifs", "compare", meme, "--db", self.jaspar, "--top", 1, "-o", matches)
        return tsv_rows(matches)

    def test_usf1_deepbind_has_an_ebox_filter(self):
        table = shared("deepbind_encode_chipseq", "USF1_H1-hESC_USF-1_HudsonAlpha_AC.seq.gz")
        model = self.path("usf1.seqdl")
        self.seqdl("--threads", 2, "train", "--arch", "deepbind", "--table", table, "--sequence-column", "seq",
                   "--label-columns", "Bound", "--negatives", "shuffle", "--rc-augment", "--epochs", 5, "--seed", 1,
                   "-o", model)
        rows = self.best_matches(model, table, "--sequence-column", "seq")
        ebox = [r for r in rows if r["target_name"].split("(var.")[0] in EBOX_FACTORS]
        self.assertTrue(ebox, "no filter's best match is an E-box bHLH factor:\n" + read_text(self.path("matches.tsv")))
        self.assertTrue(any(float(r["e_value"]) < 0.5 and float(r["similarity"]) > 0.9 for r in ebox), ebox)

    def test_ctcf_deepbind_has_a_ctcf_filter(self):
        pos = shared("wasserman_ctcf_examples", "example_pos_sequences.fa.gz")
        neg = shared("wasserman_ctcf_examples", "example_neg_sequences.fa.gz")
        model = self.path("ctcf.seqdl")
        self.seqdl("--threads", 2, "train", "--arch", "deepbind", "--length", 1000, "--class", f"neg={neg}",
                   "--class", f"pos={pos}", "--epochs", 60, "--patience", 8, "--rc-augment", "--seed", 1, "-o", model)
        rows = self.best_matches(model, pos)
        ctcf = [r for r in rows if r["target_id"] == "MA0139.1"]
        self.assertTrue(ctcf, "no filter's best match is CTCF MA0139.1:\n" + read_text(self.path("matches.tsv")))


class ExtractRejects(CliTest):
    """Bad input: exit 2, one line, no output left behind."""

    def setUp(self):
        super().setUp()
        table = write_text(self.path("t.tsv"), "seq\ty\n" + "".join(
            f"{''.join(random.Random(i).choice(BASES) for _ in range(40))}\t{i % 2}\n" for i in range(16)))
        self.model = self.path("m.seqdl")
        self.seqdl("train", "--arch", "deepbind", "--length", 40, "--table", table, "--sequence-column", "seq",
                   "--label-columns", "y", "--epochs", 1, "--valid-fraction", 0, "-o", self.model)
        self.fasta = write_text(self.path("s.fa"), ">a\n" + "ACGT" * 10 + "\n")
        self.spec_table = table

    def reject(self, *args, pattern):
        out, tsv = self.path("x.meme"), self.path("x.tsv")
        self.assert_error("motifs", "extract", *args, "--summary", tsv, "-o", out, command="motifs", pattern=pattern,
                          outputs=[out, tsv])

    def test_models_without_visible_first_convolution(self):
        if importlib.util.find_spec("torch") is None:
            self.skipTest("python3-torch is missing")
        pt = self.path("m.pt")
        script = write_text(self.path("export.py"), f"""import torch
class M(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(4, 2, 5)
    def forward(self, x):
        return self.conv(x).amax(dim=2)[:, :1]
torch.jit.script(M()).save({pt!r})
""")
        subprocess.run([PYTHON, script], check=True, capture_output=True)  # jit.script needs a source file
        self.reject("--model", pt, "--sequences", self.fasta, pattern=r"m\.pt is a TorchScript model: its layers are "
                                                                      r"not visible")
        spec = write_text(self.path("pool_first.json"), json.dumps({
            "name": "pool_first", "input_length": 40, "tasks": 1,
            "layers": [{"type": "maxpool", "size": 2}, {"type": "conv", "filters": 3, "kernel": 5}, {"type": "relu"},
                       {"type": "global_maxpool"}, {"type": "linear", "units": "tasks"}]}))
        pool_first = self.path("pool_first.seqdl")
        self.seqdl("train", "--arch", spec, "--table", self.spec_table, "--sequence-column", "seq", "--label-columns",
                   "y", "--epochs", 1, "--valid-fraction", 0, "-o", pool_first)
        self.reject("--model", pool_first, "--sequences", self.fasta,
                    pattern=r"pool_first\.seqdl: the first layer is 'maxpool', not a convolution over the 4 bases")

    def test_bad_sequences_and_options(self):
        self.reject("--model", self.model, "--sequences", write_text(self.path("e.fa"), ""), pattern=r"e\.fa")
        self.reject("--model", self.model, "--sequences", write_text(self.path("short.fa"), ">a\nACGTACGTACGTACGTACGTACGTAC\n"
                                                                     ">b\nACGTACGTACGT\n"),
                    pattern=r"short\.fa: sequence 'b' \(record 2\) has 12 bases, fewer than the 24 that a first-layer "
                            r"filter spans")
        self.reject("--model", self.path("missing.seqdl"), "--sequences", self.fasta, pattern=r"cannot open model")
        self.reject("--model", self.model, "--sequences", self.fasta, "--threshold", "1.5", pattern=r"--threshold")
        self.reject("--model", self.model, "--sequences", self.fasta, "--min-sites", "0", pattern=r"--min-sites")
        self.reject("--model", self.model, "--sequences", self.fasta, "--sites", "most", pattern=r"--sites")
        self.reject("--model", self.model, pattern=r"--sequences is required")

    def test_help_has_the_example(self):
        r = self.seqdl("motifs", "extract", "--help")
        self.assertIn("seqdl motifs extract --model m.seqdl --sequences pos.fa -o filters.meme", r.stdout.decode())


if __name__ == "__main__":
    main()
