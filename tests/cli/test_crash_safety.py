"""Crash safety: outputs appear whole or not at all.

- SIGKILL at several moments (right after start, as soon as the temporary exists, and at seeded random fractions of
  an uninterrupted run's time) leaves nothing at the output paths of predict, ism, saliency, variants and motifs
  discover, except an output committed whole just before the kill (the process still tearing down, which a loaded
  machine makes long): that one must equal the uninterrupted run's. What may remain are the temporaries, '.<name>.seqdl-XXXXXX' beside the output (a kill cannot run
  clean-up code); a later run neither needs them gone nor removes them.
- An output folder the user cannot write to is a one-line error before any work starts.
- A full disk (a file size limit: writes past it fail with EFBIG, as with ENOSPC) is a one-line error naming the
  output, with no output and no temporary left, never a crash and never a partial file under the output's name.
"""
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))

from seqdl_test import SEQDL, SOURCE_DIR, CliTest, main, write_text  # noqa: E402

TEMPORARY = re.compile(r"^\.(.+)\.seqdl-[A-Za-z0-9]{6}$")


def temporaries(folder):
    return sorted(f for f in os.listdir(folder) if ".seqdl-" in f)


class Inputs:
    """A tiny model (30-bp window) and inputs sized so that each command runs for a few seconds."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="seqdl_crash_")
        rng = np.random.default_rng(1)
        p = self.path
        write_text(p("t.tsv"), "seq\ty\n" + "".join(f"{''.join(rng.choice(list('ACGT'), 30))}\t{i % 2}\n"
                                                   for i in range(64)))
        write_text(p("tiny.json"), '{"name": "tiny", "input_length": 30, "layers": [{"type": "conv", "filters": 4, '
                   '"kernel": 5}, {"type": "relu"}, {"type": "global_maxpool"}, {"type": "linear", "units": "tasks"}]}')
        genome = "".join(rng.choice(list("ACGT"), 2_000_000))
        write_text(p("g.fa"), ">chr1\n" + "\n".join(genome[i:i + 60] for i in range(0, len(genome), 60)) + "\n")
        subprocess.run(["samtools", "faidx", p("g.fa")], check=True)
        write_text(p("s.fa"), "".join(f">s{i}\n{''.join(rng.choice(list('ACGT'), 30))}\n" for i in range(1500)))
        lines = [f"chr1\t{pos}\t.\t{genome[pos - 1]}\t{'A' if genome[pos - 1] != 'A' else 'C'}\t.\t.\t.\n"
                 for pos in range(100, 1_990_000, 23)]
        write_text(p("v.vcf"), "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=2000000>\n"
                   "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" + "".join(lines))
        n = 4000
        np.save(p("x.npy"), np.eye(4, dtype=np.float32)[rng.integers(0, 4, (n, 200))].transpose(0, 2, 1).copy())
        np.save(p("h.npy"), rng.normal(0, 0.1, (n, 4, 200)).astype(np.float32))
        r = subprocess.run([SEQDL, "--threads", "1", "train", "--arch", p("tiny.json"), "--table", p("t.tsv"),
                            "--sequence-column", "seq", "--label-columns", "y", "--epochs", "1", "--valid-fraction",
                            "0", "-o", p("m.seqdl")], capture_output=True)
        if r.returncode != 0:
            raise RuntimeError(r.stderr.decode())

    def path(self, name):
        return os.path.join(self.dir, name)


INPUTS = None


def setUpModule():
    global INPUTS
    INPUTS = Inputs()


def tearDownModule():
    shutil.rmtree(INPUTS.dir, ignore_errors=True)


def commands(out):
    """(name, arguments, the output paths it writes) for each command under test, writing into folder `out`."""
    p = INPUTS.path
    o = lambda name: os.path.join(out, name)  # noqa: E731
    return [
        ("predict", ["predict", "--model", p("m.seqdl"), "--genome", p("g.fa"), "--stride", "1", "-o", o("p.bedGraph")],
         [o("p.bedGraph")]),
        ("ism", ["ism", "--model", p("m.seqdl"), "-o", o("i.npy"), "--tsv", o("i.tsv"), p("s.fa")],
         [o("i.npy"), o("i.ids.txt"), o("i.tsv")]),
        ("saliency", ["saliency", "--model", p("m.seqdl"), "--method", "integrated-gradients", "--steps", "12", "-o",
                      o("a.npy"), p("s.fa")], [o("a.npy"), o("a.ids.txt")]),
        ("variants", ["variants", "--model", p("m.seqdl"), "--genome", p("g.fa"), "--vcf", p("v.vcf"), "--rc", "mean",
                      "-o", o("v.vcf.gz")], [o("v.vcf.gz"), o("v.vcf.gz.tbi")]),
        ("motifs discover", ["motifs", "discover", "--onehot", p("x.npy"), "--attributions", p("h.npy"), "-o",
                             o("modisco")], [o("modisco")]),
    ]


def snapshot(path):
    """A file's bytes, or a folder's {relative path: bytes}: to compare an output with the uninterrupted one."""
    if not os.path.isdir(path):
        with open(path, "rb") as f:
            return f.read()
    found = {}
    for root, _, files in os.walk(path):
        for name in files:
            full = os.path.join(root, name)
            with open(full, "rb") as f:
                found[os.path.relpath(full, path)] = f.read()
    return found


class KillLeavesNoOutput(CliTest):
    def run_and_kill(self, args, out, moment, duration):
        proc = subprocess.Popen([SEQDL, "--threads", "2", *args], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, cwd=self.tmp)
        start = time.monotonic()
        if moment == "start":
            time.sleep(0.05)
        elif moment == "temporary":
            while proc.poll() is None and not temporaries(out) and time.monotonic() - start < 120:
                time.sleep(0.002)
        else:
            time.sleep(moment * duration)
        interrupted = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return interrupted

    def kill_once(self, name, args, outputs, reference, moment, duration):
        """Runs a command, SIGKILLs it at `moment` and checks what is left; returns whether the kill interrupted it."""
        for out in outputs:
            if os.path.isdir(out):
                shutil.rmtree(out)
            elif os.path.exists(out):
                os.remove(out)
        killed = False
        if self.run_and_kill(args, self.tmp, moment, duration):
            # Killed while running. An output may exist only if it was committed whole before the kill
            # (the process still tearing down); then it is exactly the uninterrupted run's output.
            committed = [out for out in outputs if os.path.exists(out)]
            for out in committed:
                self.assertTrue(snapshot(out) == reference[out],  # no diff of megabytes on failure
                                f"{name}: {out} after SIGKILL at {moment} differs from a whole output")
            killed = not committed
        else:
            # Finished before the kill: then everything is there.
            for out in outputs:
                self.assertTrue(os.path.exists(out), f"{name}: {out} missing after a finished run")
        for left in temporaries(self.tmp):
            self.assertRegex(left, TEMPORARY)
        return killed

    def test_sigkill_leaves_nothing_at_the_output_paths(self):
        rng = random.Random(19)
        for name, args, outputs in commands(self.tmp):
            with self.subTest(command=name):
                # The kill moments are fractions of the faster of two uninterrupted runs: a first run slowed by a
                # cold page cache or a busy machine would put every moment after the end of a later one.
                durations = []
                for _ in range(2):
                    t0 = time.monotonic()
                    r = subprocess.run([SEQDL, "--threads", "2", *args], capture_output=True, cwd=self.tmp)
                    durations.append(time.monotonic() - t0)
                    self.assertEqual(r.returncode, 0, r.stderr.decode())
                duration = min(durations)
                for out in outputs:
                    self.assertTrue(os.path.exists(out), out)
                reference = {out: snapshot(out) for out in outputs}
                moments = ["start", "temporary"] + sorted(round(rng.uniform(0.1, 0.95), 2) for _ in range(3))
                interrupted = 0
                for moment in moments:
                    # A moment that falls after the end of a run (this run faster than the timed ones, or the
                    # timed ones slowed by a busy machine) is tried again at half of it: every moment then
                    # interrupts a run, however the machine's speed varies, and each finished run is checked too.
                    for _ in range(6):
                        killed = self.kill_once(name, args, outputs, reference, moment, duration)
                        if killed or not isinstance(moment, float):
                            break
                        moment = round(moment / 2, 3)
                    interrupted += killed
                self.assertGreaterEqual(interrupted, 4, f"{name} ran too fast to be interrupted ({duration:.1f} s)")
                # A later run works with the temporaries of the killed ones beside it, and leaves them.
                left = temporaries(self.tmp)
                r = subprocess.run([SEQDL, "--threads", "2", *args], capture_output=True, cwd=self.tmp)
                self.assertEqual(r.returncode, 0, r.stderr.decode())
                self.assertEqual(temporaries(self.tmp), left)
                print(f"{name}: {interrupted} of {len(moments)} kills interrupted it ({duration:.1f} s uninterrupted); "
                      f"{len(left)} temporaries left", file=sys.stderr)
                for f in left:
                    path = os.path.join(self.tmp, f)
                    shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)


def limited(bytes_):
    """preexec_fn: files may not grow past `bytes_` (writes fail with EFBIG, SIGXFSZ ignored)."""
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (bytes_, bytes_))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return apply


class FullDisk(CliTest):
    LIMIT = 8 * 1024

    def assert_refused(self, args, outputs, limit=LIMIT):
        r = subprocess.run([SEQDL, "--threads", "2", "-q", *args], capture_output=True, cwd=self.tmp,
                           preexec_fn=limited(limit))
        err = r.stderr.decode(errors="replace")
        self.assertEqual(r.returncode, 2, f"{args[0]}: exit {r.returncode}: {err}")
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertRegex(lines[0], r"cannot write .+: File too large$", err)  # the system's reason, named
        for out in outputs:
            self.assertFalse(os.path.exists(out), f"{out} left after a failed write")
        self.assertEqual(temporaries(self.tmp), [], "temporaries left after a failed write")

    def test_every_kind_of_output(self):
        p, o = INPUTS.path, self.path
        cases = [
            (["encode", p("s.fa"), "-o", o("x.npy")], [o("x.npy"), o("x.ids.txt")]),
            (["predict", "--model", p("m.seqdl"), "--sequences", p("s.fa"), "-o", o("p.tsv")], [o("p.tsv")]),
            (["predict", "--model", p("m.seqdl"), "--genome", p("g.fa"), "-o", o("p.bedGraph")], [o("p.bedGraph")]),
            (["ism", "--model", p("m.seqdl"), "-o", o("i.npy"), p("s.fa")], [o("i.npy"), o("i.ids.txt")]),
            (["saliency", "--model", p("m.seqdl"), "-o", o("a.npy"), p("s.fa")], [o("a.npy")]),
            (["variants", "--model", p("m.seqdl"), "--genome", p("g.fa"), "--vcf", p("v.vcf"), "-o", o("v.tsv")],
             [o("v.tsv")]),
            (["variants", "--model", p("m.seqdl"), "--genome", p("g.fa"), "--vcf", p("v.vcf"), "-o", o("v.vcf.gz")],
             [o("v.vcf.gz"), o("v.vcf.gz.tbi")]),
            (["motifs", "discover", "--onehot", p("x.npy"), "--attributions", p("h.npy"), "-o", o("d")], [o("d")]),
            (["motifs", "scan", os.path.join(SOURCE_DIR, "data", "motifs.meme"), "--genome", p("g.fa"),
              "--max-pvalue", "0.01", "-o", o("hits.bed")], [o("hits.bed")]),
            (["simulate", "--motifs", os.path.join(SOURCE_DIR, "data", "motifs.meme"), "--n", "2000", "-o", o("sim")],
             [o("sim")]),
            (["coverage", self.reads(), "--genome", p("g.fa"), "-o", o("c.bw")], [o("c.plus.bw"), o("c.minus.bw")]),
            (["coverage", self.reads(), "--genome", p("g.fa"), "-o", o("c.bedGraph")],
             [o("c.plus.bedGraph"), o("c.minus.bedGraph")]),
        ]
        for args, outputs in cases:
            with self.subTest(command=" ".join(args[:2])):
                self.assert_refused(args, outputs)

    def test_model_files(self):
        # The model is a few KB: a limit below its size. The training log (OUTPUT.log.tsv) is written as epochs end
        # and kept on purpose (--resume continues it); the checkpoint and the model are atomic.
        out = self.path("m.seqdl")
        self.assert_refused(["train", "--arch", INPUTS.path("tiny.json"), "--table", INPUTS.path("t.tsv"),
                             "--sequence-column", "seq", "--label-columns", "y", "--epochs", "1", "-o", out],
                            [out, out + ".ckpt"], limit=1500)

    # bigWig goes through io::BigWigWriter: a failed write is an error naming the file, not a corrupted heap.
    def test_predict_bigwig(self):
        out = self.path("p.bw")
        self.assert_refused(["predict", "--model", INPUTS.path("m.seqdl"), "--genome", INPUTS.path("g.fa"), "-o", out],
                            [out])

    def reads(self):
        path = self.path("reads.bed")
        if not os.path.exists(path):
            rng = np.random.default_rng(3)
            starts = np.sort(rng.integers(0, 1_990_000, 100_000))
            write_text(path, "".join(f"chr1\t{s}\t{s + 50}\tr\t0\t{'+-'[i % 2]}\n" for i, s in enumerate(starts)))
        return path


class UnwritableOutputFolder(CliTest):
    """A folder the user may not write to (run as nobody when we are root: root writes anywhere)."""

    def assert_refused_first(self, args, out_name):
        ro = self.path("ro")
        os.mkdir(ro)
        os.chmod(ro, 0o555)
        r = self.run_unprivileged(*args, "-o", os.path.join(ro, out_name))
        err = r.stderr.decode(errors="replace")
        self.assertEqual(r.returncode, 2, err)
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, f"the work started before the output was checked:\n{err}")
        self.assertIn("Permission denied", lines[0])
        self.assertEqual(os.listdir(ro), [])

    def test_commands_check_their_output_folder_first(self):
        self.readable_inputs()
        p = self.inputs
        for name, args, out in [
            ("encode", ["encode", p("s.fa")], "x.npy"),
            ("predict", ["predict", "--model", p("m.seqdl"), "--sequences", p("s.fa")], "p.tsv"),
            ("ism", ["ism", "--model", p("m.seqdl"), p("s.fa")], "i.npy"),
            ("saliency", ["saliency", "--model", p("m.seqdl"), p("s.fa")], "a.npy"),
            ("variants", ["variants", "--model", p("m.seqdl"), "--genome", p("g.fa"), "--vcf", p("v.vcf")], "v.tsv"),
            ("motifs discover", ["motifs", "discover", "--onehot", p("x.npy"), "--attributions", p("h.npy")], "d"),
            ("simulate", ["simulate", "--motifs", os.path.join(SOURCE_DIR, "data", "motifs.meme")], "sim"),
        ]:
            with self.subTest(command=name):
                try:
                    self.assert_refused_first(args, out)
                finally:  # also after a failure or a skip, so that the next command starts from a fresh folder
                    if os.path.exists(self.path("ro")):
                        os.chmod(self.path("ro"), 0o755)
                        shutil.rmtree(self.path("ro"))

    # train probes its output folder before it reads the data, not when the first epoch's log is written.
    def test_train_checks_its_output_folder_first(self):
        self.readable_inputs()
        p = self.inputs
        self.assert_refused_first(["train", "--arch", p("tiny.json"), "--table", p("t.tsv"), "--sequence-column", "seq",
                                   "--label-columns", "y", "--epochs", "1", "--valid-fraction", "0"], "m.seqdl")

    def readable_inputs(self):
        """The shared inputs, copied where user nobody can read them."""
        folder = self.path("in")
        shutil.copytree(INPUTS.dir, folder)
        os.chmod(self.tmp, 0o755)
        for root, dirs, files in os.walk(folder):
            os.chmod(root, 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)
        self.inputs = lambda name: os.path.join(folder, name)


if __name__ == "__main__":
    main()
