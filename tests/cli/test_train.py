"""seqdl train end to end: small real trainings on ../shared/data that must learn, reproducibility, resume,
the model file, and every rejected input."""
import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time

import numpy as np

from seqdl_model import read_archive
from seqdl_test import CliTest, SEQDL, fixture, main, read_bytes, read_text, shared, write_bytes, write_text

USF1_AC = ("deepbind_encode_chipseq", "USF1_H1-hESC_USF-1_HudsonAlpha_AC.seq.gz")


def log_rows(path):
    lines = read_text(path).splitlines()
    cols = lines[0].split("\t")
    return [dict(zip(cols, map(float, l.split("\t")))) for l in lines[1:]]


class TrainLearns(CliTest):
    def test_usf1_deepbind_learns_the_ebox(self):
        table = shared(*USF1_AC)
        model = self.path("usf1.seqdl")
        self.seqdl("--threads", 2, "train", "--arch", "deepbind", "--table", table, "--sequence-column", "seq",
                   "--label-columns", "Bound", "--negatives", "shuffle", "--rc-augment", "--epochs", 3, "-o", model)
        rows = log_rows(model + ".log.tsv")
        self.assertEqual(len(rows), 3)
        best = max(r["valid_auprc"] for r in rows)
        self.assertGreater(best, 0.9, "prevalence is 0.5: the model must rank far better than chance")
        info = json.loads(self.seqdl("info", model, "--json").stdout)
        meta = info["metadata"]
        self.assertEqual(meta["task_type"], "binary")
        self.assertEqual(meta["task_names"], ["Bound"])
        self.assertAlmostEqual(meta["validation"]["auprc"], best, places=6)
        kept = max(rows, key=lambda r: r["valid_auprc"])
        self.assertAlmostEqual(meta["validation"]["loss"], kept["valid_loss"], places=5)
        self.assertEqual(info["input_length"], 101)
        self.assertEqual(info["parameters"], 2129)
        src = meta["data"]["sources"][0]
        self.assertEqual(src["bytes"], os.path.getsize(table))
        self.assertEqual(meta["data"]["shuffled_negatives"], src["records"])
        self.assertEqual(meta["splits"]["train"] + meta["splits"]["valid"] + meta["splits"]["test"]
                         + meta["splits"]["dropped_duplicates"], 2 * src["records"])
        self.assertIn("--rc-augment", meta["provenance"]["command_line"])

    def test_uci_splice_three_classes(self):
        args = self.uci_splice_classes()
        model = self.path("splice.seqdl")
        self.seqdl("--threads", 2, "train", "--arch", "deepbind", "--length", 60, *args, "--epochs", 6,
                   "--save-splits", self.path("splits"), "-o", model)
        info = json.loads(self.seqdl("info", model, "--json").stdout)
        self.assertEqual(info["metadata"]["task_type"], "multiclass")
        self.assertEqual(info["metadata"]["task_names"], ["N", "EI", "IE"])
        self.assertEqual(info["outputs"], 3)
        self.assertGreater(info["metadata"]["validation"]["auprc"], 0.6)  # macro; chance is ~0.33
        header = read_text(self.path("splits/valid.tsv")).splitlines()[0]
        self.assertEqual(header, "id\tsequence\tclass")

    def test_genomic_positives_with_gc_matched_negatives_and_chromosome_splits(self):
        genome = shared("korflab_1pct_genomes", "celegans", "celegans_WS282_1pct.fa")
        contigs = [l.split("\t")[:2] for l in read_text(genome + ".fai").splitlines()]
        contigs = [c for c in contigs if int(c[1]) > 100_000]  # the 1% mitochondrion is too short
        # Positives: GC-rich 200 bp windows are not what we test here; just real intervals on every contig.
        rng = np.random.default_rng(0)
        bed = self.path("peaks.bed")
        with open(bed, "w") as f:
            for name, length in contigs:
                for start in rng.integers(1000, int(length) - 1000, 30):
                    f.write(f"{name}\t{start}\t{start + 150}\n")
        model = self.path("g.seqdl")
        valid_chrom, test_chrom = contigs[0][0], contigs[1][0]
        r = self.seqdl("--threads", 2, "train", "--arch", "deepbind", "--length", 101, "--genome", genome,
                       "--positives", bed, "--negatives", "gc-matched", "--valid-chroms", valid_chrom,
                       "--test-chroms", test_chrom, "--epochs", 1, "--save-splits", self.path("splits"), "-o", model)
        err = r.stderr.decode()
        self.assertRegex(err, r"drew 180 GC-matched genomic negatives")
        test_ids = [l.split("\t")[0] for l in read_text(self.path("splits/test.tsv")).splitlines()[1:]]
        self.assertTrue(test_ids)
        train_rows = read_text(self.path("splits/train.tsv")).splitlines()[1:]
        self.assertFalse(any(l.startswith(valid_chrom + ":") or l.startswith(test_chrom + ":") for l in train_rows))


class TrainReproducible(CliTest):
    def small_table(self, rows=1200):
        table = shared(*USF1_AC)
        with gzip.open(table, "rt") as f:
            rows = f.read().splitlines()[:rows + 1]
        path = self.path("small.tsv")
        write_text(path, "\n".join(rows) + "\n")
        return path

    def train(self, out, *extra, seed=1, epochs=3):
        return self.seqdl("--threads", 2, "--seed", seed, "train", "--arch", "deepbind", "--table", self.small_table(),
                          "--sequence-column", "seq", "--label-columns", "Bound", "--negatives", "shuffle",
                          "--rc-augment", "--epochs", epochs, "--patience", 0, "-o", self.path(out), *extra)

    def test_same_seed_and_threads_give_a_bit_identical_model(self):
        self.train("a.seqdl")
        self.train("b.seqdl")
        a, b = (read_bytes(self.path(p)) for p in ("a.seqdl", "b.seqdl"))
        # The files differ only in the output name recorded in the command line; the weights are identical.
        _, wa = read_archive(self.path("a.seqdl"))
        _, wb = read_archive(self.path("b.seqdl"))
        for name in wa:
            np.testing.assert_array_equal(wa[name], wb[name], name)
        self.assertEqual(len(a), len(b))
        os.rename(self.path("a.seqdl"), self.path("first.seqdl"))
        self.train("a.seqdl")
        self.assertEqual(read_bytes(self.path("a.seqdl")), read_bytes(self.path("first.seqdl")))
        self.train("c.seqdl", seed=2)
        _, wc = read_archive(self.path("c.seqdl"))
        self.assertFalse(np.array_equal(wa["0_conv.weight"], wc["0_conv.weight"]))

    def test_bf16_autocast_trains_as_well_as_fp32(self):
        self.train("fp32.seqdl", epochs=4)
        self.train("bf16.seqdl", "--precision", "bf16", epochs=4)
        _, w32 = read_archive(self.path("fp32.seqdl"))
        _, w16 = read_archive(self.path("bf16.seqdl"))
        for name in w16:
            self.assertEqual(w16[name].dtype, w32[name].dtype, f"{name}: the stored weights stay fp32")
        # Same seed, same batches: only the bfloat16 products can tell the two runs apart.
        self.assertFalse(all(np.array_equal(w32[n], w16[n]) for n in w32), "--precision bf16 changed nothing")
        meta = json.loads(self.seqdl("info", self.path("bf16.seqdl"), "--json").stdout)["metadata"]
        self.assertEqual(meta["training"]["precision"], "bf16")
        best = {p: max(r["valid_auprc"] for r in log_rows(self.path(f"{p}.seqdl.log.tsv"))) for p in ("fp32", "bf16")}
        self.assertGreater(best["bf16"], 0.8, best)
        self.assertGreater(best["bf16"], best["fp32"] - 0.05, best)

    def test_resume_after_a_kill_ends_with_the_uninterrupted_model(self):
        epochs = 6
        self.train("full.seqdl", epochs=epochs)
        _, full = read_archive(self.path("full.seqdl"))
        self.assertFalse(os.path.exists(self.path("full.seqdl.ckpt")), "the checkpoint is removed on success")

        out = self.path("cut.seqdl")
        cmd = [SEQDL, "--threads", "2", "--seed", "1", "train", "--arch", "deepbind", "--table", self.small_table(),
               "--sequence-column", "seq", "--label-columns", "Bound", "--negatives", "shuffle", "--rc-augment",
               "--epochs", str(epochs), "--patience", "0", "-o", out]
        proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, cwd=self.tmp)
        deadline = time.time() + 120
        while not os.path.exists(out + ".ckpt") and proc.poll() is None and time.time() < deadline:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)  # as a cluster scheduler pre-empting the job
        proc.wait()
        if os.path.exists(out):
            self.skipTest("training finished before it could be interrupted")
        self.assertGreaterEqual(len(log_rows(out + ".log.tsv")), 1)
        self.seqdl(*cmd[1:], "--resume")
        _, resumed = read_archive(out)
        for name in full:
            np.testing.assert_array_equal(full[name], resumed[name], name)
        self.assertEqual(len(log_rows(out + ".log.tsv")), epochs)

    def test_resume_after_kills_at_random_moments_ends_with_the_uninterrupted_model(self):
        # Several runs in a row, each killed at a seeded random moment of its training (in the first epoch, between
        # epochs, while a checkpoint is written...), each resuming from whatever checkpoint the last one left (or
        # starting afresh if it left none); the last resume runs to the end. Start-up (LibTorch, the table) takes
        # most of a small run's time, so a moment is drawn as an epoch (from the log's rows, written as each ends)
        # plus a fraction of one epoch's time.
        epochs = 6
        out = self.path("cut.seqdl")
        log = out + ".log.tsv"
        cmd = [SEQDL, "--threads", "2", "--seed", "1", "train", "--arch", "deepbind", "--table",
               self.small_table(rows=4000), "--sequence-column", "seq", "--label-columns", "Bound", "--negatives",
               "shuffle", "--rc-augment", "--epochs", str(epochs), "--patience", "0"]
        self.seqdl(*cmd[1:], "-o", self.path("full.seqdl"))
        rows = log_rows(self.path("full.seqdl.log.tsv"))
        _, full = read_archive(self.path("full.seqdl"))

        def logged():  # whole rows only: a kill may have cut the last one
            return max(0, read_text(log).count("\n") - 1) if os.path.exists(log) else 0
        rng = random.Random(23)
        kills, resumed_kills = [], 0
        for _ in range(5):
            resume = ["--resume"] if os.path.exists(out + ".ckpt") else []
            done = logged() if resume else 0
            target = rng.randint(min(done, epochs - 1), epochs - 1)  # kill once this many epochs are logged...
            delay = rng.uniform(0.0, 0.08)  # ...and a moment later (an epoch takes about 0.1 s here)
            proc = subprocess.Popen(cmd + ["-o", out] + resume, stderr=subprocess.DEVNULL, cwd=self.tmp)
            while proc.poll() is None and logged() < target:
                time.sleep(0.0005)
            time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills.append(f"epoch {target}+{delay:.3f}s{' (resumed)' if resume else ''}")
                resumed_kills += bool(resume)
            proc.wait()
            if os.path.exists(out):
                break
        if not os.path.exists(out):
            self.seqdl(*cmd[1:], "-o", out, *(["--resume"] if os.path.exists(out + ".ckpt") else []))
        print(f"killed at {', '.join(kills)} ({len(rows)} epochs)", file=sys.stderr)
        self.assertGreaterEqual(len(kills), 2, "training finished before it could be interrupted twice")
        self.assertGreaterEqual(resumed_kills, 1, "no kill interrupted a resumed run")
        _, resumed = read_archive(out)
        for name in full:
            np.testing.assert_array_equal(full[name], resumed[name], name)
        self.assertEqual(len(log_rows(log)), epochs)

    def test_resume_with_other_options_is_refused(self):
        out = self.path("m.seqdl")
        self.train("m.seqdl", epochs=1)
        # Fake an interruption: a finished run leaves no checkpoint to resume from.
        self.assert_error("--threads", 2, "--seed", 1, "train", "--arch", "deepbind", "--table", self.small_table(),
                          "--sequence-column", "seq", "--label-columns", "Bound", "--negatives", "shuffle",
                          "--epochs", 3, "-o", out, "--resume", command="train",
                          pattern=r"--resume: there is no checkpoint .*m\.seqdl\.ckpt")
        # A checkpoint made with other options is refused too.
        cut = self.path("cut.seqdl")
        cmd = ["--threads", 2, "--seed", 1, "train", "--arch", "deepbind", "--table", self.small_table(),
               "--sequence-column", "seq", "--label-columns", "Bound", "--negatives", "shuffle", "-o", cut]
        proc = subprocess.Popen([SEQDL, *map(str, cmd), "--epochs", "50"], stderr=subprocess.DEVNULL, cwd=self.tmp)
        while not os.path.exists(cut + ".ckpt") and proc.poll() is None:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        r = self.run_seqdl(*cmd, "--epochs", 50, "--lr", 0.01, "--resume")
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr.decode(), r"was made with different options or data \(lr: 0\.001 then, 0\.01 now\)")


class TrainRejects(CliTest):
    def reject(self, *args, pattern):
        out = self.path("m.seqdl")
        self.assert_error("train", *args, "-o", out, command="train", pattern=pattern,
                          outputs=[out, out + ".ckpt", out + ".log.tsv"])

    def test_unknown_architecture(self):
        self.reject("--arch", "resnet", "--class", f"a={fixture('tiny.fa')}", "--class", f"b={fixture('tiny.fa')}",
                    pattern=r"--arch: 'resnet' is neither a zoo architecture")

    def test_length_too_short_for_the_architecture(self):
        self.reject("--arch", "basset", "--length", 50, "--class", f"a={fixture('tiny.fa')}",
                    "--class", f"b={fixture('tiny.fa')}", pattern=r"input length 50 is too short for basset")

    def test_empty_class_file(self):
        empty = write_text(self.path("empty.fa"), "")
        self.reject("--class", f"neg={empty}", "--class", f"pos={fixture('tiny.fa')}",
                    pattern=r"--class neg=.*empty\.fa: the file has no sequences")

    def test_label_count_mismatch(self):
        genome = write_text(self.path("g.fa"), ">chr1\n" + "ACGT" * 100 + "\n")
        bed = write_text(self.path("l.bed"), "chr1\t10\t50\t1\t0\nchr1\t60\t90\t1\n")
        self.reject("--genome", genome, "--intervals", bed, "--length", 30,
                    pattern=r"l\.bed:2: 1 label columns, but the first line has 2")

    def test_bed_interval_off_the_chromosome(self):
        genome = write_text(self.path("g.fa"), ">chr1\n" + "ACGT" * 100 + "\n")
        bed = write_text(self.path("p.bed"), "chr1\t10\t50\nchr1\t380\t450\n")
        self.reject("--genome", genome, "--positives", bed, "--negatives", "gc-matched", "--length", 30,
                    pattern=r"p\.bed:2: region chr1:381-450 runs past the end of chr1")

    def test_non_numeric_and_out_of_range_labels(self):
        bad = write_text(self.path("t.tsv"), "seq\ty\nACGTACGT\t1\nACGTTTTT\tyes\n")
        self.reject("--table", bad, "--sequence-column", "seq", "--label-columns", "y", "--length", 30,
                    pattern=r"t\.tsv:3: column 'y': expected a number, found 'yes'")
        bad = write_text(self.path("u.tsv"), "seq\ty\nACGTACGT\t1\nACGTTTTT\t3\n")
        self.reject("--table", bad, "--sequence-column", "seq", "--label-columns", "y", "--length", 30,
                    pattern=r"label 3 is outside \[0, 1\]")

    def test_one_class_only(self):
        table = write_text(self.path("t.tsv"), "seq\ty\nACGTACGT\t1\nACGTTTTT\t1\n")
        self.reject("--table", table, "--sequence-column", "seq", "--label-columns", "y", "--length", 30,
                    pattern=r"only positives.*--negatives shuffle")

    def test_contradictory_data_options(self):
        self.reject("--table", fixture("labels.tsv"), "--class", f"a={fixture('tiny.fa')}",
                    pattern=r"give one kind of labelled data")
        self.reject("--arch", "deepbind", pattern=r"no labelled data")
        self.reject("--class", "nonsense", pattern=r"--class: expected NAME=FILE")

    def test_bad_option_values(self):
        args = ["--class", f"a={fixture('tiny.fa')}", "--class", f"b={fixture('tiny.fa')}"]
        self.reject(*args, "--epochs", 0, pattern=r"--epochs: expected an integer >= 1")
        self.reject(*args, "--optimizer", "lbfgs", pattern=r"--optimizer")
        self.reject(*args, "--pos-weight", "heavy", pattern=r"--pos-weight: expected a number")

    def test_truncated_or_foreign_model_files(self):
        model = self.path("m.seqdl")
        self.seqdl("train", "--arch", "deepbind", "--length", 30, "--class", f"a={fixture('tiny.fa')}",
                   "--class", f"b={fixture('tiny.fa')}", "--valid-fraction", 0, "--epochs", 1, "-o", model)
        data = read_bytes(model)
        for cut in (5, 30, len(data) // 2, len(data) - 1):
            write_bytes(self.path("cut.seqdl"), data[:cut])
            self.assert_error("info", self.path("cut.seqdl"), command="info", pattern=r"cut\.seqdl")
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0xFF
        write_bytes(self.path("flip.seqdl"), bytes(flipped))
        self.assert_error("info", self.path("flip.seqdl"), command="info", pattern=r"corrupt")
        self.assert_error("info", fixture("tiny.fa"), command="info", pattern=r"neither a seqdl model nor a TorchScript file")


if __name__ == "__main__":
    main()
