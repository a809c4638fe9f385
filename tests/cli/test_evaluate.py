"""seqdl evaluate end to end: the metrics it prints checked against scikit-learn (random scores, tied scores,
multi-class, multi-label, undefined cases), the model path reproducing the validation AUPRC that train logged,
a PWM scan's scores, the curve files, the HTML report rendered in headless Chromium, and every rejected input."""
import gzip
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from html.parser import HTMLParser

import numpy as np

from seqdl_test import CliTest, main, read_text, shared, write_text

try:
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import (accuracy_score, average_precision_score, brier_score_loss, confusion_matrix,
                                 precision_recall_curve, roc_auc_score, roc_curve)
    from sklearn.preprocessing import label_binarize
    HAVE_SKLEARN = True
except ImportError:
    HAVE_SKLEARN = False

USF1_AC = ("deepbind_encode_chipseq", "USF1_H1-hESC_USF-1_HudsonAlpha_AC.seq.gz")
JASPAR = ("jaspar_meme", "JASPAR2020_CORE_vertebrates_non-redundant.meme")
TOL = 1e-9


def needs_sklearn(cls):
    return unittest.skipUnless(HAVE_SKLEARN, "python3-sklearn is not installed")(cls)


def write_table(path, header, rows):
    with open(path, "w") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(map(str, r)) + "\n")
    return path


def ece_reference(y, p, bins=10):
    """ECE with sklearn's uniform calibration bins (numpy.linspace edges, searchsorted on the inner ones)."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    ids = np.searchsorted(edges[1:-1], p)
    total = 0.0
    for b in range(bins):
        mask = ids == b
        if mask.any():
            total += mask.sum() / len(p) * abs(p[mask].mean() - y[mask].mean())
    return total


def operating_points(y, s):
    """(threshold, precision, recall, f1) at every distinct score, as sklearn's precision_recall_curve has them."""
    precision, recall, thresholds = precision_recall_curve(y, s)
    p, r = precision[:-1], recall[:-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)
    return thresholds, p, r, f1


class EvaluateCase(CliTest):
    def evaluate_json(self, *args):
        r = self.seqdl("evaluate", *args, "--json")
        return json.loads(r.stdout), r.stderr.decode()

    def assert_close(self, got, want, what, tol=TOL):
        self.assertIsNotNone(got, what)
        self.assertLessEqual(abs(got - want), tol, f"{what}: seqdl {got!r}, sklearn {want!r}")

    def check_binary_task(self, task, y, s, what):
        """Every per-task metric against sklearn / numpy on the same numbers."""
        y, s = np.asarray(y), np.asarray(s, dtype=float)
        self.assertEqual(task["samples"], len(y))
        self.assertEqual(task["positives"], int(y.sum()))
        self.assert_close(task["prevalence"], y.mean(), f"{what} prevalence")
        self.assert_close(task["auprc"], average_precision_score(y, s), f"{what} auprc")
        self.assert_close(task["auroc"], roc_auc_score(y, s), f"{what} auroc")
        thresholds, p, r, f1 = operating_points(y, s)
        best = np.flatnonzero(f1 == f1.max()).max()  # equal F1: the higher threshold
        self.assert_close(task["best_f1"], f1[best], f"{what} best F1")
        self.assert_close(task["best_f1_threshold"], thresholds[best], f"{what} best F1 threshold")
        for point in task["precision_at_recall"]:
            ok = r >= point["level"]
            self.assert_close(point["precision"], p[ok].max(), f"{what} precision at recall {point['level']}")
        for point in task["recall_at_precision"]:
            ok = p >= point["level"]
            if ok.any():
                self.assert_close(point["recall"], r[ok].max(), f"{what} recall at precision {point['level']}")
            else:
                self.assertIsNone(point["recall"])
        if (s.min() >= 0) and (s.max() <= 1):
            self.assert_close(task["brier"], brier_score_loss(y, s), f"{what} brier")
            self.assert_close(task["ece"], ece_reference(y, s), f"{what} ece")
            prob_true, prob_pred = calibration_curve(y, s, n_bins=10, strategy="uniform")
            np.testing.assert_allclose([b["fraction_positive"] for b in task["reliability"]], prob_true, rtol=0, atol=TOL)
            np.testing.assert_allclose([b["mean_predicted"] for b in task["reliability"]], prob_pred, rtol=0, atol=TOL)
        else:
            self.assertIsNone(task["brier"])
            self.assertIsNone(task["ece"])


@needs_sklearn
class ScoresAgainstSklearn(EvaluateCase):
    def binary_files(self, y, s, shuffle_labels=False, seed=0):
        ids = [f"seq{i}" for i in range(len(y))]
        write_table(self.path("scores.tsv"), ["id", "score"], [(i, repr(float(v))) for i, v in zip(ids, s)])
        rows = list(zip(ids, y))
        if shuffle_labels:
            np.random.default_rng(seed).shuffle(rows)
        write_table(self.path("labels.tsv"), ["label", "id"], [(l, i) for i, l in rows])
        return self.path("scores.tsv"), self.path("labels.tsv")

    def test_random_scores(self):
        rng = np.random.default_rng(11)
        y = (rng.random(3000) < 0.07).astype(int)
        s = np.clip(rng.random(3000) * 0.8 + 0.25 * y, 0, 1)
        scores, labels = self.binary_files(y, s, shuffle_labels=True)
        j, err = self.evaluate_json("--scores", scores, "--labels", labels, "--recall-levels", "0.25,0.5,0.9",
                                    "--precision-levels", "0.3,0.6,0.99")
        self.assertEqual(j["task_type"], "binary")
        self.assertTrue(j["scores_are_probabilities"])
        self.check_binary_task(j["tasks"][0], y, s, "random")
        self.assert_close(j["overall"]["auprc"], average_precision_score(y, s), "overall auprc")
        self.assert_close(j["overall"]["brier"], brier_score_loss(y, s), "overall brier")
        self.assertEqual(j["warnings"], [])
        self.assertRegex(err, r"0 paired in order, 3,000 by id|1 paired in order, 2,999 by id")

    def test_many_tied_scores(self):
        rng = np.random.default_rng(12)
        y = (rng.random(5000) < 0.3).astype(int)
        s = np.round(np.clip(rng.random(5000) * 0.7 + 0.3 * y, 0, 1), 1)  # 11 distinct scores
        scores, labels = self.binary_files(y, s)
        j, _ = self.evaluate_json("--scores", scores, "--labels", labels)
        self.check_binary_task(j["tasks"][0], y, s, "tied")
        # Top-k with ties: the k-th score's tie group shares the remaining places in proportion.
        k = int(y.sum())
        order = np.sort(s)[::-1]
        t = order[k - 1]
        above = s > t
        expected = (y[above].sum() + (k - above.sum()) * y[s == t].mean()) / k
        self.assert_close(j["tasks"][0]["top_k_accuracy"], expected, "top-k with ties")

    def test_scores_that_are_not_probabilities(self):
        rng = np.random.default_rng(13)
        y = (rng.random(800) < 0.5).astype(int)
        s = rng.normal(size=800) + y  # log-odds-like: outside [0, 1]
        scores, labels = self.binary_files(y, s)
        j, err = self.evaluate_json("--scores", scores, "--labels", labels)
        self.assertFalse(j["scores_are_probabilities"])
        self.check_binary_task(j["tasks"][0], y, s, "unbounded")
        self.assertIn("not read as probabilities", err)
        # --logits: the sigmoid makes them probabilities; ranking metrics are unchanged.
        j2, _ = self.evaluate_json("--scores", scores, "--labels", labels, "--logits")
        p = 1 / (1 + np.exp(-s))
        self.assert_close(j2["tasks"][0]["brier"], brier_score_loss(y, p), "brier of sigmoid(logits)", tol=1e-12)
        self.assert_close(j2["tasks"][0]["auroc"], roc_auc_score(y, s), "auroc of logits")

    def test_multiclass(self):
        rng = np.random.default_rng(14)
        classes = ["N", "EI", "IE"]
        n = 1500
        y = rng.integers(0, 3, n)
        logits = rng.normal(size=(n, 3)) + 1.2 * np.eye(3)[y]
        logits[:200] = np.round(logits[:200])  # some ties
        p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        ids = [f"r{i}" for i in range(n)]
        write_table(self.path("scores.tsv"), ["id"] + classes, [[i] + [repr(float(v)) for v in row] for i, row in zip(ids, p)])
        order = rng.permutation(n)
        write_table(self.path("labels.tsv"), ["id", "class"], [(ids[i], classes[y[i]]) for i in order])
        j, _ = self.evaluate_json("--scores", self.path("scores.tsv"), "--labels", self.path("labels.tsv"))
        self.assertEqual(j["task_type"], "multiclass")
        self.assertEqual([t["name"] for t in j["tasks"]], classes)
        onehot = label_binarize(y, classes=[0, 1, 2])
        for c, task in enumerate(j["tasks"]):
            self.check_binary_task(task, onehot[:, c], p[:, c], f"class {classes[c]}")
        o = j["overall"]
        self.assert_close(o["auroc"], roc_auc_score(y, p, multi_class="ovr"), "macro AUROC (ovr)")
        self.assert_close(o["auprc"], np.mean([average_precision_score(onehot[:, c], p[:, c]) for c in range(3)]),
                          "macro AUPRC")
        self.assert_close(o["auprc_micro"], average_precision_score(onehot, p, average="micro"), "micro AUPRC")
        self.assert_close(o["auroc_micro"], roc_auc_score(onehot, p, average="micro"), "micro AUROC")
        self.assert_close(o["accuracy"], accuracy_score(y, p.argmax(axis=1)), "accuracy")
        self.assertEqual(o["confusion_matrix"]["counts"], confusion_matrix(y, p.argmax(axis=1), labels=[0, 1, 2]).tolist())
        self.assert_close(o["brier"], np.mean(np.sum((p - onehot) ** 2, axis=1)), "multi-class Brier")
        conf, correct = p.max(axis=1), (p.argmax(axis=1) == y).astype(int)
        self.assert_close(o["ece"], ece_reference(correct, conf), "top-label ECE")

    def test_multilabel_by_name_and_an_undefined_task(self):
        rng = np.random.default_rng(15)
        n = 1000
        y = np.stack([(rng.random(n) < 0.2), (rng.random(n) < 0.5), np.zeros(n, bool)], axis=1).astype(int)
        s = np.clip(rng.random((n, 3)) * 0.8 + 0.2 * y, 0, 1)
        names = ["CTCF", "USF1", "absent"]
        write_table(self.path("scores.tsv"), ["id"] + names, [[f"r{i}"] + [repr(float(v)) for v in s[i]] for i in range(n)])
        write_table(self.path("labels.tsv"), ["id", "absent", "USF1", "CTCF"], [[f"r{i}", y[i, 2], y[i, 1], y[i, 0]] for i in range(n)])
        j, err = self.evaluate_json("--scores", self.path("scores.tsv"), "--labels", self.path("labels.tsv"))
        self.assertEqual(j["task_type"], "multilabel")
        for c in range(2):
            self.check_binary_task(j["tasks"][c], y[:, c], s[:, c], names[c])
        absent = j["tasks"][2]
        self.assertIsNone(absent["auprc"])
        self.assertIsNone(absent["auroc"])
        self.assertIsNone(absent["best_f1"])
        self.assertEqual(absent["undefined"]["auprc"], "no positive labels")
        self.assert_close(absent["brier"], brier_score_loss(y[:, 2], s[:, 2]), "brier without positives")
        self.assertIn("task 'absent': no positive labels", err)
        self.assertIn("warning", err)
        self.assertTrue(any("absent" in w for w in j["warnings"]))
        self.assert_close(j["overall"]["auprc"], np.mean([average_precision_score(y[:, c], s[:, c]) for c in range(2)]),
                          "macro over the defined tasks")
        self.assert_close(j["overall"]["auprc_micro"], average_precision_score(y, s, average="micro"), "micro AUPRC")
        self.assert_close(j["overall"]["brier"], np.mean((s - y) ** 2), "pooled brier")
        # The TSV says NA, never nan.
        tsv = self.seqdl("evaluate", "--scores", self.path("scores.tsv"), "--labels", self.path("labels.tsv")).stdout.decode()
        row = [l for l in tsv.splitlines() if l.startswith("absent\t")][0].split("\t")
        header = tsv.splitlines()[0].split("\t")
        self.assertEqual(row[header.index("auprc")], "NA")
        self.assertNotIn("nan", tsv.lower())

    def test_all_positive_task(self):
        scores, labels = self.binary_files([1, 1, 1], [0.2, 0.9, 0.5])
        j, err = self.evaluate_json("--scores", scores, "--labels", labels)
        self.assertEqual(j["tasks"][0]["auprc"], 1.0)  # as sklearn
        self.assertIsNone(j["tasks"][0]["auroc"])
        self.assertIn("no negative labels, so AUROC is undefined", err)

    def test_bootstrap_is_seeded_by_the_global_seed(self):
        rng = np.random.default_rng(16)
        y = (rng.random(600) < 0.3).astype(int)
        s = rng.random(600) + 0.3 * y
        scores, labels = self.binary_files(y, s)
        args = ("--scores", scores, "--labels", labels, "--bootstrap", 200)
        a, _ = self.evaluate_json(*args)
        b = json.loads(self.seqdl("--seed", 0, "evaluate", *args, "--json").stdout)
        c = json.loads(self.seqdl("--seed", 5, "evaluate", *args, "--json").stdout)
        ci = a["tasks"][0]["auprc_ci"]
        self.assertEqual(ci, b["tasks"][0]["auprc_ci"])
        self.assertNotEqual(ci, c["tasks"][0]["auprc_ci"])
        self.assertLess(ci["lower"], a["tasks"][0]["auprc"])
        self.assertGreater(ci["upper"], a["tasks"][0]["auprc"])
        self.assertEqual(ci["replicates"], 200)
        self.assertEqual(a["options"]["bootstrap"], 200)

    def test_curves_match_sklearn(self):
        rng = np.random.default_rng(17)
        y = (rng.random(400) < 0.25).astype(int)
        s = np.round(rng.random(400) * 0.8 + 0.2 * y, 2)
        scores, labels = self.binary_files(y, s)
        self.seqdl("evaluate", "--scores", scores, "--labels", labels, "--curves", self.path("curves"), "-o",
                   self.path("m.tsv"))
        self.assertEqual(sorted(os.listdir(self.path("curves"))), ["pr.tsv", "reliability.tsv", "roc.tsv"])
        pr = [l.split("\t") for l in read_text(self.path("curves/pr.tsv")).splitlines()[1:]]
        precision, recall, thresholds = precision_recall_curve(y, s)
        np.testing.assert_allclose([float(r[2]) for r in pr], precision, rtol=0, atol=TOL)
        np.testing.assert_allclose([float(r[3]) for r in pr], recall, rtol=0, atol=TOL)
        np.testing.assert_allclose([float(r[1]) for r in pr[:-1]], thresholds, rtol=0, atol=TOL)
        self.assertEqual(pr[-1][1], "NA")
        roc = [l.split("\t") for l in read_text(self.path("curves/roc.tsv")).splitlines()[1:]]
        fpr, tpr, _ = roc_curve(y, s)
        np.testing.assert_allclose([float(r[2]) for r in roc], fpr, rtol=0, atol=TOL)
        np.testing.assert_allclose([float(r[3]) for r in roc], tpr, rtol=0, atol=TOL)
        rel = read_text(self.path("curves/reliability.tsv")).splitlines()
        self.assertEqual(rel[0], "task\tbinning\tbin\tlower\tupper\tcount\tmean_predicted\tfraction_positive")
        width = [l.split("\t") for l in rel[1:] if l.split("\t")[1] == "equal_width"]
        self.assertEqual(sum(int(r[5]) for r in width), 400)
        mass = [l.split("\t") for l in rel[1:] if l.split("\t")[1] == "equal_mass"]
        self.assertEqual(sum(int(r[5]) for r in mass), 400)

    def test_tsv_columns_and_full_precision(self):
        rng = np.random.default_rng(18)
        y = (rng.random(300) < 0.4).astype(int)
        s = rng.random(300)
        scores, labels = self.binary_files(y, s)
        out = self.path("metrics.tsv")
        r = self.seqdl("evaluate", "--scores", scores, "--labels", labels, "-o", out)
        self.assertEqual(r.stdout, b"")
        lines = read_text(out).splitlines()
        header = lines[0].split("\t")
        for col in ("task", "samples", "positives", "prevalence", "auprc", "auroc", "best_f1", "best_f1_threshold",
                    "precision_at_recall_0.5", "recall_at_precision_0.9", "top_k_accuracy", "brier", "ece",
                    "ece_equal_mass"):
            self.assertIn(col, header)
        self.assertEqual([l.split("\t")[0] for l in lines[1:]], ["label", "overall"])
        row = dict(zip(header, lines[1].split("\t")))
        j, _ = self.evaluate_json("--scores", scores, "--labels", labels)
        for name in ("auprc", "auroc", "brier", "ece", "best_f1", "top_k_accuracy"):
            self.assertEqual(float(row[name]), j["tasks"][0][name], name)  # the same doubles in both outputs
        self.assert_close(float(row["auprc"]), average_precision_score(y, s), "auprc")
        self.assert_close(float(row["auroc"]), roc_auc_score(y, s), "auroc")

    def test_scores_from_stdin(self):
        scores, labels = self.binary_files([0, 1, 1, 0], [0.1, 0.8, 0.6, 0.7])
        with open(scores, "rb") as f:
            r = self.seqdl("evaluate", "--scores", "-", "--labels", labels, "--json", stdin=f.read())
        self.assertAlmostEqual(json.loads(r.stdout)["tasks"][0]["auroc"], 0.75)


class ModelReproducesTraining(EvaluateCase):
    def small_table(self, rows=1500):
        with gzip.open(shared(*USF1_AC), "rt") as f:
            lines = f.read().splitlines()[: rows + 1]
        return write_text(self.path("small.tsv"), "\n".join(lines) + "\n")

    def test_valid_split_reproduces_the_logged_auprc(self):
        table = self.small_table()
        model, splits = self.path("usf1.seqdl"), self.path("splits")
        self.seqdl("--threads", 2, "train", "--arch", "deepbind", "--table", table, "--sequence-column", "seq",
                   "--label-columns", "Bound", "--negatives", "shuffle", "--epochs", 2, "--save-splits", splits,
                   "-o", model)
        meta = json.loads(self.seqdl("info", model, "--json").stdout)["metadata"]
        logged = meta["validation"]
        best = max(float(l.split("\t")[3]) for l in read_text(model + ".log.tsv").splitlines()[1:])
        self.assertAlmostEqual(logged["auprc"], best, places=6)
        valid = os.path.join(splits, "valid.tsv")
        # As written by --save-splits, with the columns named, and with the columns found by themselves.
        for extra in (["--sequence-column", "sequence", "--label-columns", "Bound"], []):
            r = self.seqdl("--threads", 2, "evaluate", "--model", model, "--table", valid, *extra, "--json")
            j = json.loads(r.stdout)
            self.assertLessEqual(abs(j["overall"]["auprc"] - logged["auprc"]), 1e-6, (j["overall"]["auprc"], logged))
            self.assertLessEqual(abs(j["overall"]["auroc"] - logged["auroc"]), 1e-6)
            self.assertEqual(j["tasks"][0]["name"], "Bound")
            self.assertEqual(j["tasks"][0]["samples"], meta["splits"]["valid"])
            self.assertEqual(j["inputs"]["model"], model)
            self.assertIn("evaluate", j["provenance"]["command_line"])
        # The same sequences as one FASTA file per class (--class neg=... --class pos=...).
        rows = [l.split("\t") for l in read_text(valid).splitlines()[1:]]
        for label, name in (("0", "neg"), ("1", "pos")):
            write_text(self.path(f"{name}.fa"), "".join(f">{r[0]}\n{r[1]}\n" for r in rows if r[2] == label))
        r = self.seqdl("--threads", 2, "evaluate", "--model", model, "--class", f"neg={self.path('neg.fa')}",
                       "--class", f"pos={self.path('pos.fa')}", "--json", "--report", self.path("report.html"))
        j = json.loads(r.stdout)
        self.assertLessEqual(abs(j["overall"]["auprc"] - logged["auprc"]), 1e-6)
        html = read_text(self.path("report.html"))
        self.assertIn("pr-plot", html)
        self.assertIn(model, html)

    def test_multiclass_model_on_its_split(self):
        args = self.uci_splice_classes(limit=400)
        model = self.path("splice.seqdl")
        self.seqdl("--threads", 2, "train", "--arch", "deepbind", "--length", 60, *args, "--epochs", 3,
                   "--save-splits", self.path("splits"), "-o", model)
        logged = json.loads(self.seqdl("info", model, "--json").stdout)["metadata"]["validation"]
        j = json.loads(self.seqdl("--threads", 2, "evaluate", "--model", model, "--table",
                                  self.path("splits/valid.tsv"), "--json").stdout)
        self.assertEqual(j["task_type"], "multiclass")
        self.assertEqual([t["name"] for t in j["tasks"]], ["N", "EI", "IE"])
        self.assertLessEqual(abs(j["overall"]["auprc"] - logged["auprc"]), 1e-6)
        self.assertIsNotNone(j["overall"]["accuracy"])
        counts = j["overall"]["confusion_matrix"]["counts"]
        self.assertEqual(sum(map(sum, counts)), j["samples"])


def one_hot(seq, length):
    """[4, length] float32, A C G T; N and other codes zero; centre-cropped or N-padded as seqdl fits lengths."""
    if len(seq) > length:
        start = (len(seq) - length) // 2
        seq = seq[start:start + length]
    elif len(seq) < length:
        left = (length - len(seq)) // 2
        seq = "N" * left + seq + "N" * (length - len(seq) - left)
    table = np.zeros((256, 4), dtype=np.float32)
    for i, b in enumerate(b"ACGT"):
        table[b, i] = table[b + 32, i] = 1.0
    return table[np.frombuffer(seq.encode(), dtype=np.uint8)].T


@needs_sklearn
class TorchScriptModel(EvaluateCase):
    def test_torchscript_model_with_window_and_task_names(self):
        try:
            import torch
        except ImportError:
            raise unittest.SkipTest("python3-torch is not installed")

        class Net(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = torch.nn.Conv1d(4, 8, 9)
                self.fc = torch.nn.Linear(8, 2)

            def forward(self, x):
                return self.fc(torch.relu(self.conv(x)).amax(dim=2))

        torch.manual_seed(0)
        net = Net().eval()
        pt = self.path("net.pt")
        torch.jit.script(net).save(pt)
        with gzip.open(shared(*USF1_AC), "rt") as f:
            rows = [l.split("\t") for l in f.read().splitlines()[1:]]
        rng = np.random.default_rng(4)
        picked = [rows[i] for i in rng.choice(len(rows), 400, replace=False)]
        y = rng.integers(0, 2, (400, 2))
        y[:, 0] = [int(r[3]) for r in picked]
        table = write_table(self.path("t.tsv"), ["id", "seq", "first", "second"],
                            [(f"r{i}", r[2], y[i, 0], y[i, 1]) for i, r in enumerate(picked)])
        j, _ = self.evaluate_json("--model", pt, "--window", 101, "--task-names", "first,second", "--table", table,
                                  "--sequence-column", "seq", "--label-columns", "second,first")
        self.assertEqual(j["task_type"], "multilabel")
        self.assertEqual([t["name"] for t in j["tasks"]], ["second", "first"])  # the data's order
        x = torch.from_numpy(np.stack([one_hot(r[2], 101) for r in picked]))
        with torch.no_grad():
            p = torch.sigmoid(net(x)).double().numpy()
        self.assert_close(j["tasks"][0]["auprc"], average_precision_score(y[:, 1], p[:, 1]), "second", tol=1e-6)
        self.assert_close(j["tasks"][1]["auprc"], average_precision_score(y[:, 0], p[:, 0]), "first", tol=1e-6)
        self.assert_close(j["tasks"][1]["brier"], brier_score_loss(y[:, 0], p[:, 0]), "first brier", tol=1e-6)
        self.assert_error("evaluate", "--model", pt, "--table", table, "--sequence-column", "seq", "--label-columns",
                          "first", command="evaluate", pattern=r"give --window")


@needs_sklearn
class MotifScanScores(EvaluateCase):
    def test_pwm_scan_per_sequence_max_is_evaluated_as_it_is(self):
        with gzip.open(shared(*USF1_AC), "rt") as f:
            rows = [l.split("\t") for l in f.read().splitlines()[1:601]]
        # Positives are ChIP-seq peaks; negatives their dinucleotide-shuffled copies, as train makes them.
        rng = np.random.default_rng(3)
        fasta, labels = [], []
        for i, r in enumerate(rows):
            seq = r[2]
            fasta.append(f">p{i}\n{seq}\n")
            labels.append((f"p{i}", 1))
            shuffled = "".join(rng.permutation(list(seq)))
            fasta.append(f">n{i}\n{shuffled}\n")
            labels.append((f"n{i}", 0))
        write_text(self.path("seqs.fa"), "".join(fasta))
        rng.shuffle(labels)
        write_table(self.path("labels.tsv"), ["id", "label"], labels)
        scan = self.path("scan.tsv")
        self.seqdl("motifs", "scan", shared(*JASPAR), "--motif", "USF1", self.path("seqs.fa"), "--per-sequence-max",
                   "-o", scan)
        j, err = self.evaluate_json("--scores", scan, "--labels", self.path("labels.tsv"))
        table = [l.split("\t") for l in read_text(scan).splitlines()]
        score_of = {r[0]: float(r[table[0].index("score")]) for r in table[1:]}
        y = np.array([l for _, l in labels])
        s = np.array([score_of[i] for i, _ in labels])
        self.check_binary_task(j["tasks"][0], y, s, "PWM scan")
        self.assertGreater(j["tasks"][0]["auprc"], 0.7, "the E-box motif separates USF1 peaks from shuffles")
        self.assertFalse(j["scores_are_probabilities"])


class _SvgFinder(HTMLParser):
    """Collects the <svg> elements' classes and the <path> elements' classes and d attributes."""

    def __init__(self):
        super().__init__()
        self.svgs, self.paths, self.scripts, self.external = [], [], 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self.svgs.append(a.get("class", ""))
        elif tag == "path":
            self.paths.append((a.get("class", ""), a.get("d", "")))
        elif tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if key in a:
                self.external.append(a[key])


def chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
        if path:
            return path
    return None


class ReportInChromium(EvaluateCase):
    def run_chromium(self, *args):
        browser = chromium()
        if browser is None:
            raise unittest.SkipTest("chromium is not installed (Debian package chromium)")
        profile = tempfile.mkdtemp(prefix="seqdl_chromium_")
        try:
            return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                   "--no-first-run", "--disable-background-networking", "--disable-component-update",
                                   "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars", *args],
                                  capture_output=True, timeout=180)
        finally:
            shutil.rmtree(profile, ignore_errors=True)

    def test_report_renders_with_its_plots(self):
        rng = np.random.default_rng(19)
        n = 4000
        classes = ["N", "EI", "IE"]
        y = rng.integers(0, 3, n)
        logits = rng.normal(size=(n, 3)) + 1.5 * np.eye(3)[y]
        p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        write_table(self.path("scores.tsv"), ["id"] + classes, [[f"r{i}"] + [repr(float(v)) for v in p[i]] for i in range(n)])
        write_table(self.path("labels.tsv"), ["id", "class"], [(f"r{i}", classes[y[i]]) for i in range(n)])
        report = self.path("report.html")
        self.seqdl("evaluate", "--scores", self.path("scores.tsv"), "--labels", self.path("labels.tsv"),
                   "--bootstrap", 50, "--report", report, "-o", self.path("m.tsv"))
        html = read_text(report)
        static = _SvgFinder()
        static.feed(html)
        self.assertEqual(static.scripts, 0, "no scripts")
        self.assertEqual(static.external, [], "no external resources")
        self.assertNotIn("@import", html)
        self.assertNotIn("url(http", html)

        dom = self.run_chromium("--dump-dom", "file://" + report)
        self.assertEqual(dom.returncode, 0, dom.stderr.decode(errors="replace")[-2000:])
        rendered = _SvgFinder()
        rendered.feed(dom.stdout.decode())
        # Per class: PR, ROC, reliability; plus the overview (PR, ROC) and the top-label reliability diagram.
        self.assertEqual(sum("seqdl-plot" in c for c in rendered.svgs), 3 * 3 + 3)
        self.assertEqual(sum("reliability-figure" in c for c in rendered.svgs), 4)
        pr = [d for c, d in rendered.paths if "pr-curve" in c]
        roc = [d for c, d in rendered.paths if "roc-curve" in c]
        rel = [d for c, d in rendered.paths if "reliability-curve" in c]
        self.assertEqual(len(pr), 6)   # 3 in the overview, 1 per class
        self.assertEqual(len(roc), 6)
        self.assertEqual(len(rel), 4)
        for d in pr + roc:
            points = re.findall(r"[ML](-?[0-9.]+),(-?[0-9.]+)", d)
            self.assertGreater(len(points), 50, "a real curve, not a stub")
            xs = [float(x) for x, _ in points]
            ys = [float(v) for _, v in points]
            self.assertTrue(0 <= min(xs) and max(xs) <= 372 and 0 <= min(ys) and max(ys) <= 352, "inside its svg")
        self.assertGreaterEqual(sum("baseline" in c for c, _ in rendered.paths), 3 * 3 + 3)
        text = dom.stdout.decode()
        for needle in ("AUPRC", "prevalence", "Provenance", "command line", "true \\ predicted", "Top-label reliability"):
            self.assertIn(needle, text)

        shot = self.path("report.png")
        r = self.run_chromium("--window-size=1280,2400", f"--screenshot={shot}", "file://" + report)
        self.assertEqual(r.returncode, 0, r.stderr.decode(errors="replace")[-2000:])
        with open(shot, "rb") as f:
            png = f.read()
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        self.assertGreater(len(png), 50_000, "a page with plots, not a blank one")


class RejectedInput(EvaluateCase):
    def setUp(self):
        super().setUp()
        self.scores = write_table(self.path("scores.tsv"), ["id", "score"], [("a", 0.1), ("b", 0.9), ("c", 0.4)])
        self.labels = write_table(self.path("labels.tsv"), ["id", "label"], [("a", 0), ("b", 1), ("c", 1)])
        self.out = self.path("out.tsv")

    def reject(self, *args, pattern=None):
        return self.assert_error("evaluate", *args, "-o", self.out, "--report", self.path("r.html"), command="evaluate",
                                 pattern=pattern, outputs=[self.out, self.path("r.html")])

    def test_mismatched_ids(self):
        other = write_table(self.path("other.tsv"), ["id", "label"], [("a", 0), ("b", 1), ("x", 1)])
        self.reject("--scores", self.scores, "--labels", other, pattern=r"scores\.tsv:4: id 'c' has no label in .*other\.tsv")
        fewer = write_table(self.path("fewer.tsv"), ["id", "label"], [("a", 0), ("b", 1)])
        self.reject("--scores", self.scores, "--labels", fewer, pattern=r"id 'c' has no label")
        more = write_table(self.path("more.tsv"), ["id", "label"], [("a", 0), ("b", 1), ("c", 1), ("d", 0)])
        self.reject("--scores", self.scores, "--labels", more, pattern=r"1 id in .*more\.tsv has no score .*'d'")
        dup = write_table(self.path("dup.tsv"), ["id", "label"], [("c", 0), ("b", 1), ("c", 1)])
        self.reject("--scores", self.scores, "--labels", dup, pattern=r"id 'c' is listed twice")

    def test_label_outside_the_classes(self):
        scores = write_table(self.path("mc.tsv"), ["id", "N", "EI", "IE"], [("a", 0.2, 0.3, 0.5), ("b", 0.6, 0.2, 0.2)])
        labels = write_table(self.path("mcl.tsv"), ["id", "class"], [("a", "IE"), ("b", "XX")])
        self.reject("--scores", scores, "--labels", labels,
                    pattern=r"mcl\.tsv:3: class 'XX' is not one of the classes scored in .* \(N, EI, IE\)")
        bad = write_table(self.path("bad.tsv"), ["id", "label"], [("a", 0), ("b", 2), ("c", 1)])
        self.reject("--scores", self.scores, "--labels", bad, pattern=r"bad\.tsv:3: .*'2' is not a binary label")

    def test_nan_and_text_scores(self):
        nan = write_table(self.path("nan.tsv"), ["id", "score"], [("a", 0.1), ("b", "nan"), ("c", 0.4)])
        self.reject("--scores", nan, "--labels", self.labels, pattern=r"nan\.tsv:3: score column 'score' is nan")
        inf = write_table(self.path("inf.tsv"), ["id", "score"], [("a", "-inf"), ("b", 1), ("c", 0.4)])
        self.reject("--scores", inf, "--labels", self.labels, pattern=r"finite")
        na = write_table(self.path("na.tsv"), ["id", "score"], [("a", 0.1), ("b", "NA"), ("c", 0.4)])
        self.reject("--scores", na, "--labels", self.labels, pattern=r"'NA' is not a number")

    def test_empty_files(self):
        empty = write_text(self.path("empty.tsv"), "")
        self.reject("--scores", empty, "--labels", self.labels, pattern=r"empty\.tsv: empty file")
        self.reject("--scores", self.scores, "--labels", empty, pattern=r"empty\.tsv: empty file")
        header = write_text(self.path("header.tsv"), "id\tscore\n")
        header_l = write_text(self.path("header_l.tsv"), "id\tlabel\n")
        self.reject("--scores", header, "--labels", header_l, pattern=r"no rows")
        self.reject("--scores", self.path("missing.tsv"), "--labels", self.labels, pattern=r"cannot open .*missing\.tsv")

    def test_columns_and_usage(self):
        noid = write_table(self.path("noid.tsv"), ["name", "score"], [("a", 0.1)])
        self.reject("--scores", noid, "--labels", self.labels, pattern=r"names column 'id'")
        self.reject("--scores", self.scores, "--labels", self.labels, "--score-columns", "p", pattern=r"column 'p'")
        self.reject(pattern=r"nothing to evaluate")
        self.reject("--scores", self.scores, pattern=r"--scores needs --labels")
        self.reject("--scores", self.scores, "--labels", self.labels, "--model", "m.seqdl", pattern=r"not both")
        self.reject("--scores", self.scores, "--labels", self.labels, "--table", "t.tsv", pattern=r"are for --model")
        self.reject("--scores", self.scores, "--labels", self.labels, "--recall-levels", "1.5", pattern=r"recall-levels")
        self.reject("--model", self.path("nope.seqdl"), "--class", "a=x.fa", pattern=r"cannot open model")

    def test_model_with_data_that_does_not_fit(self):
        table = write_table(self.path("t.tsv"), ["id", "sequence", "Other"], [("a", "ACGT" * 30, 1), ("b", "TTGA" * 30, 0)])
        model = self.path("m.seqdl")
        self.seqdl("train", "--arch", "deepbind", "--table", table, "--label-columns", "Other", "--sequence-column",
                   "sequence", "--epochs", 1, "--valid-fraction", 0, "-o", model)
        other = write_table(self.path("o.tsv"), ["id", "sequence", "A", "B"], [("a", "ACGT" * 30, 1, 0), ("b", "TTGA" * 30, 0, 1)])
        self.reject("--model", model, "--table", other, pattern=r"name the labels with --label-columns")
        self.reject("--model", model, "--table", other, "--label-columns", "A,B", pattern=r"has 1 outputs \(Other\)")
        fa = write_text(self.path("x.fa"), ">x\nACGT\n")
        self.reject("--model", model, "--class", f"a={fa}", "--class", f"b={fa}", "--class", f"c={fa}",
                    pattern=r"is binary .* but the labelled data is multiclass")


if __name__ == "__main__":
    main()
