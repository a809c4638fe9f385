"""Shared helpers for seqdl's end-to-end tests: run the real binary, check exit codes, messages and outputs.

Environment (set by CTest): SEQDL (the binary), SEQDL_SOURCE_DIR, SEQDL_SHARED_DATA (../shared/data),
SEQDL_BUILD_DIR. Tests that need the shared data skip with a message when it is absent.
Under `scripts/test.sh --sanitize`, SEQDL_CLI_LSAN_OPTIONS replaces LSAN_OPTIONS for every process these tests start.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SEQDL = os.environ.get("SEQDL", "seqdl")
SOURCE_DIR = os.environ.get("SEQDL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED_DATA = os.environ.get("SEQDL_SHARED_DATA", os.path.join(SOURCE_DIR, "..", "shared", "data"))
FIXTURES = os.path.join(SOURCE_DIR, "tests", "fixtures")
REFERENCE_DIR = os.path.join(SHARED_DATA, "..", "bench", "reference")
PYTHON = "/usr/bin/python3"

# LeakSanitizer's settings for the seqdl processes (scripts/test.sh --sanitize says why they differ from the unit
# tests'). Set here, before anything starts, so that every subprocess inherits them, however it is started.
if "SEQDL_CLI_LSAN_OPTIONS" in os.environ:
    os.environ["LSAN_OPTIONS"] = os.environ["SEQDL_CLI_LSAN_OPTIONS"]


def shared(*parts):
    """Path of a file in ../shared/data, or skip the test with a message when it is absent."""
    path = os.path.join(SHARED_DATA, *parts)
    if not os.path.exists(path):
        raise unittest.SkipTest(f"../shared/data is absent here ({path}); skipping")
    return path


def read_text(path):
    with open(path) as f:
        return f.read()


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def write_text(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def read_fasta(path):
    """[name, sequence] of every record of a FASTA file (gzip too): an independent reader for checks."""
    import gzip
    opener = gzip.open if path.endswith(".gz") else open
    recs = []
    with opener(path, "rt") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith(">"):
                recs.append([line[1:].split()[0], ""])
            elif line and recs:
                recs[-1][1] += line
    return recs


def fasta_dict(path):
    return {name: seq for name, seq in read_fasta(path)}


def one_hot(seq):
    """[4, len] float32 one-hot, channels A, C, G, T; lowercase as uppercase; anything else all zero (the
    reference pipelines' lookup table)."""
    import numpy as np
    table = np.zeros((256, 4), dtype=np.float32)
    for i, b in enumerate(b"ACGT"):
        table[b, i] = table[b + 32, i] = 1.0
    return table[np.frombuffer(seq.encode(), dtype=np.uint8)].T


def fit(seq, length):
    """Centre-crop or N-pad as seqdl fits lengths: crop from (n - length) // 2, pad floor(extra / 2) first."""
    if len(seq) >= length:
        start = (len(seq) - length) // 2
        return seq[start:start + length]
    pad = length - len(seq)
    return "N" * (pad // 2) + seq + "N" * (pad - pad // 2)


def torch_modules():
    """(torch, archs) from Debian's python3-torch and ../shared/bench/reference, or skip the test."""
    sys.path.insert(0, REFERENCE_DIR)
    try:
        import torch
        import archs
    except ImportError as e:  # pragma: no cover - setup.sh installs python3-torch
        raise unittest.SkipTest(f"python3-torch or the reference architectures are missing: {e}")
    return torch, archs


def fixture(*parts):
    return os.path.join(FIXTURES, *parts)


class CliTest(unittest.TestCase):
    """A test case with a private temporary directory and helpers around the seqdl binary."""

    maxDiff = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="seqdl_cli_")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    @staticmethod
    def seqdl_path():
        return SEQDL

    def path(self, name):
        return os.path.join(self.tmp, name)

    def uci_splice_classes(self, limit=None):
        """../shared/data/uci_splice split into one FASTA per class (N, EI, IE: the name after the header's last
        '|'), the first `limit` records of each, in this test's folder; returns the matching --class arguments."""
        classes = {"N": [], "EI": [], "IE": []}
        name = None
        for line in read_text(shared("uci_splice", "splice.fa")).splitlines():
            if line.startswith(">"):
                name = line[1:].split("|")[-1]
            else:
                classes[name].append(line)
        args = []
        for c, seqs in classes.items():
            write_text(self.path(f"{c}.fa"), "".join(f">{c}{i}\n{s}\n" for i, s in enumerate(seqs[:limit])))
            args += ["--class", f"{c}={self.path(c + '.fa')}"]
        return args

    def run_seqdl(self, *args, stdin=None, env=None, timeout=900):
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run([SEQDL, *map(str, args)], input=stdin, capture_output=True, timeout=timeout,
                              env=full_env, cwd=self.tmp)

    def seqdl(self, *args, **kw):
        """Run seqdl and require success; returns the CompletedProcess (stdout/stderr as bytes)."""
        r = self.run_seqdl(*args, **kw)
        if r.returncode != 0:
            self.fail(f"seqdl {' '.join(map(str, args))} exited {r.returncode}:\n{r.stderr.decode(errors='replace')}")
        return r

    def run_unprivileged(self, *args):
        """Run seqdl as user nobody when we are root (root writes through folder permissions), else as is.
        Skips the test where that is impossible (no setpriv, or a binary nobody cannot read)."""
        if os.geteuid() != 0:
            return self.run_seqdl(*args)
        if shutil.which("setpriv") is None:
            self.skipTest("setpriv is missing: cannot drop root privileges")
        os.chmod(self.tmp, 0o777)
        r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", SEQDL, *map(str, args)],
                           capture_output=True, cwd=self.tmp)
        if r.returncode == 126 or b"Permission denied" in r.stderr and b"seqdl" not in r.stderr[:40]:
            self.skipTest("the seqdl binary is not readable by an unprivileged user here")
        return r

    def export_to_reference(self, model_path, arch, tasks=1):
        """The weights of a .seqdl zoo model loaded into the reference PyTorch architecture of archs.py
        (parameters, then buffers, in registration order on both sides); returns (torch, model)."""
        from seqdl_model import read_archive
        torch, archs = torch_modules()
        header, tensors = read_archive(model_path)
        ref = archs.build(arch, length=header["input_length"], tasks=tasks).eval()
        ours = [(n, tensors[n]) for n in (t["name"] for t in header["tensors"])]
        ref_state = ref.state_dict()
        ref_names = [n for n in ref_state if not n.endswith("num_batches_tracked") and n != "pe"]
        our_items = [(n, v) for n, v in ours if not n.endswith("num_batches_tracked") and not n.endswith("pe")]
        ref_params = [n for n, _ in ref.named_parameters()]
        ref_buffers = [n for n in ref_names if n not in ref_params]
        self.assertEqual(len(our_items), len(ref_params) + len(ref_buffers))
        new_state = {}
        for (name, value), ref_name in zip(our_items, ref_params + ref_buffers):
            self.assertEqual(tuple(value.shape), tuple(ref_state[ref_name].shape), f"{name} -> {ref_name}")
            new_state[ref_name] = torch.from_numpy(value.copy())
        ref.load_state_dict(new_state, strict=False)
        return torch, ref

    def train_tiny(self, arch, length, examples=40):
        """A zoo model trained for one epoch on random sequences with alternating labels: weights that are not the
        initial ones, in seconds."""
        import numpy as np
        table = self.path(f"{arch}.tsv")
        rng = np.random.default_rng(1)
        rows = ["id\tseq\ty"] + [f"r{i}\t{''.join(rng.choice(list('ACGT'), length))}\t{i % 2}" for i in range(examples)]
        write_text(table, "\n".join(rows) + "\n")
        model = self.path(f"{arch}.seqdl")
        self.seqdl("--threads", 2, "train", "--arch", arch, "--length", length, "--table", table, "--sequence-column",
                   "seq", "--label-columns", "y", "--epochs", 1, "--batch", 8, "--valid-fraction", 0, "-o", model)
        return model

    def assert_error(self, *args, status=2, pattern=None, command=None, outputs=(), **kw):
        """Require a failure with `status`, exactly one line on stderr of the form
        'seqdl <command>: error: ...' matching `pattern`, and none of `outputs` (nor temporaries) left."""
        r = self.run_seqdl(*args, **kw)
        err = r.stderr.decode(errors="replace")
        self.assertEqual(r.returncode, status, f"expected exit {status}, got {r.returncode}; stderr:\n{err}")
        lines = err.splitlines()
        self.assertEqual(len(lines), 1, f"expected one line on stderr, got:\n{err}")
        who = "seqdl" if command is None else f"seqdl {command}"
        self.assertTrue(lines[0].startswith(f"{who}: error: "), lines[0])
        if pattern is not None:
            self.assertRegex(lines[0], pattern)
        for out in outputs:
            self.assertFalse(os.path.exists(out), f"{out} was left behind after a failure")
        leftovers = [f for f in os.listdir(self.tmp) if ".seqdl-" in f]
        self.assertEqual(leftovers, [], "temporary files left behind")
        return lines[0]


def main():
    """unittest.main(), but exit 77 (CTest's skip code here) when every test was skipped."""
    prog = unittest.main(exit=False, verbosity=2)
    result = prog.result
    for test, reason in result.skipped:
        print(f"SKIPPED {test.id()}: {reason}", file=sys.stderr)
    if not result.wasSuccessful():
        sys.exit(1)
    if result.testsRun > 0 and len(result.skipped) == result.testsRun:
        sys.exit(77)
    sys.exit(0)
