"""Untrusted model files: a crafted .seqdl or TorchScript file (crafted_models.py) is a clear one-line error (exit 2)
from `seqdl info` and from `seqdl predict`, and nothing is allocated from a size the file declares: the peak
resident memory of the refused run stays near that of a good run, far below the 100 GB, 1 TB or 2^64 bytes the
files claim. Peak memory is the child's own (os.wait4), not a timing."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))

from crafted_models import craft  # noqa: E402
from seqdl_test import SEQDL, CliTest, main, write_text  # noqa: E402

# A refused model may cost what loading LibTorch and a tiny model cost, not what the file claims.
RSS_LIMIT_MB = 1024
TIME = "/usr/bin/time"
MARK = "seqdl-test-peak-rss-kb"


def run_measured(args, cwd):
    """(exit status, stderr text, peak RSS in MB) of one seqdl run, measured by GNU time: the rusage of a child of
    this Python process would count the pages it shared with its parent (torch, when crafting TorchScript) too."""
    if not os.path.exists(TIME):
        raise unittest.SkipTest(f"{TIME} (GNU time) is missing: scripts/setup.sh installs it")
    r = subprocess.run([TIME, "-f", f"{MARK} %M", SEQDL, *map(str, args)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, cwd=cwd)
    lines = r.stderr.decode(errors="replace").splitlines()
    rss = [l for l in lines if l.startswith(MARK)]
    lines = [l for l in lines if not l.startswith(MARK) and not l.startswith("Command exited with non-zero status")]
    return r.returncode, "\n".join(lines), int(rss[-1].split()[1]) / 1024


class UntrustedModels(CliTest):
    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.dir = tempfile.mkdtemp(prefix="seqdl_untrusted_")
        table = os.path.join(cls.dir, "t.tsv")
        write_text(table, "seq\ty\n" + "".join(f"{'ACGT'[i % 4] * 15}{'TGCA'[i % 3] * 15}\t{i % 2}\n" for i in range(16)))
        spec = write_text(os.path.join(cls.dir, "tiny.json"),
                          '{"name": "tiny", "input_length": 30, "layers": [{"type": "conv", "filters": 4, "kernel": 5},'
                          '{"type": "relu"}, {"type": "global_maxpool"}, {"type": "linear", "units": "tasks"}]}')
        cls.model = os.path.join(cls.dir, "tiny.seqdl")
        r = subprocess.run([SEQDL, "--threads", "1", "train", "--arch", spec, "--table", table, "--sequence-column",
                            "seq", "--label-columns", "y", "--epochs", "1", "--valid-fraction", "0", "-o", cls.model],
                           capture_output=True)
        if r.returncode != 0:
            raise RuntimeError(r.stderr.decode())
        cls.seqs = write_text(os.path.join(cls.dir, "s.fa"), ">a\n" + "ACGTTGCA" * 4 + "\n")

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.dir, ignore_errors=True)

    def predict(self, model, *extra):
        return run_measured(["predict", "--model", model, *extra, "--sequences", self.seqs, "-o", self.path("x.tsv")],
                            self.tmp)

    def assert_refused(self, result, fragment, what):
        status, err, rss = result
        self.assertEqual(status, 2, f"{what}: {err}")
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, f"{what}: {err}")
        self.assertIn(fragment, lines[0], what)
        self.assertLess(rss, RSS_LIMIT_MB, f"{what}: peak RSS {rss:.0f} MB")
        print(f"{what}: refused, peak RSS {rss:.0f} MB", file=sys.stderr)
        self.assertFalse(os.path.exists(self.path("x.tsv")))

    def test_a_good_model_for_comparison(self):
        status, err, rss = self.predict(self.model)
        self.assertEqual(status, 0, err)
        self.assertLess(rss, RSS_LIMIT_MB)
        print(f"good model: peak RSS {rss:.0f} MB", file=sys.stderr)

    def test_declared_sizes_are_never_allocated(self):
        cases = {"huge-tensor": "needs 100000000000 bytes for tensor 'huge' alone",
                 "overflow-shape": "declares an impossible size",
                 "wrapping-sizes": "needs 18446744073709551614 bytes for tensor 'wrap' alone",
                 "huge-header": "a 1099511627776-byte header"}
        for kind, fragment in cases.items():
            path = craft(kind, self.path(kind), self.model)
            self.assert_refused(run_measured(["info", path], self.tmp), fragment, f"info {kind}")
            self.assert_refused(self.predict(path), fragment, f"predict {kind}")

    def test_weights_that_do_not_fit_the_architecture(self):
        cases = {"wrong-shape": "has shape [5,5,6] but the architecture needs [4,4,5]", "missing-tensor": "is missing",
                 "extra-tensor": "'layers.99.weight' does not belong to this architecture",
                 "nan-weights": "holds NaN or infinite values", "inf-weights": "holds NaN or infinite values",
                 "header-not-json": "corrupt header", "negative-length": "input length or tasks < 1",
                 "version-2": "format version 2", "bad-checksum": "checksum mismatch"}
        for kind, fragment in cases.items():
            self.assert_refused(self.predict(craft(kind, self.path(kind), self.model)), fragment, kind)

    def test_metadata_of_the_wrong_types(self):
        path = craft("bad-metadata", self.path("bad-metadata"), self.model)
        self.assert_refused(run_measured(["info", path], self.tmp), "its metadata is not what seqdl writes", "info")

    def test_torchscript_files(self):
        cases = {"ts-not-torchscript": "is neither a seqdl model nor a TorchScript file",
                 "ts-truncated": "is neither a seqdl model nor a TorchScript file",
                 "ts-forward-throws": "this model refuses every input",
                 "ts-no-metadata": "does not record its input length: give --window"}
        for kind, fragment in cases.items():
            self.assert_refused(self.predict(craft(kind, self.path(kind), self.model)), fragment, kind)

    # 10^12 filters or units: the parameters are counted from the spec before LibTorch allocates any (exit 2).
    def test_absurd_layer_sizes_are_refused_before_allocation(self):
        for kind in ("absurd-filters", "absurd-units"):
            path = craft(kind, self.path(kind), self.model)
            self.assert_refused(self.predict(path), "parameters", kind)


class UntrustedSpecs(CliTest):
    # Found by fuzz_spec: a number beyond a double ('1e908') is a JSON error naming the file, exit 2.
    def test_number_overflow_in_a_spec_file(self):
        spec = write_text(self.path("s.json"), '{"input_length": 1e908, "layers": [{"type": "relu"}]}')
        fa = write_text(self.path("s.fa"), ">a\nACGTACGT\n>b\nTTGGCCAA\n")
        self.assert_error("train", "--arch", spec, "--class", f"a={fa}", "--class", f"b={fa}", "-o",
                          self.path("m.seqdl"), command="train", pattern=r"s\.json")


if __name__ == "__main__":
    main()
