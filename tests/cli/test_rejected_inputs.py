"""Every rejected input in one table: tests/cli/rejected_inputs.tsv, one row per case, run here one by one.

Run a few rows: SEQDL_REJECTED_ROWS=<regex over case names> python3 tests/cli/test_rejected_inputs.py
(SEQDL_REJECTED_SHOW=1 prints every row's stderr, to review the messages.)

Columns: case (a unique name), command (the seqdl arguments), status (the expected exit status), message (a fragment
that the one stderr line must contain). Each row must exit with that status, print exactly one line on stderr of the
form 'seqdl <command>: error: ...' holding the fragment, and leave no output file ({out:...}) and no temporary
(.seqdl-) behind. Rows run in a fresh folder each.

Placeholders in the command (arguments are separated by spaces; a placeholder may hold spaces):
  {file:NAME=TEXT}  writes TEXT to NAME in the row's folder; the argument becomes its path. TEXT takes the escapes
                    \\t \\n \\r \\\\ \\s (space) \\xNN (a byte) and \\} (a closing brace).
  {gz:NAME=TEXT}    the same, gzip-compressed; {gzhalf:NAME=TEXT}: the first half of that (a truncated gzip)
  {npy:NAME=EXPR}   NAME holding numpy.save(EXPR), EXPR a Python expression over np (numpy)
  {lit:TEXT}        TEXT itself, escapes decoded (an argument holding braces or spaces)
  {out:NAME}        NAME in the row's folder, which must not exist after the run
  {tmp:NAME}        NAME in the row's folder (no check)
  {fixture:PATH}    tests/fixtures/PATH
  {shared:PATH}     ../shared/data/PATH (the row is skipped when it is absent)
  {crafted:KIND}    a crafted model file from crafted_models.py (KIND: see there)
  {model} {model2} {script} {genome} {seqs} {table} {motifs} {vcf} {bam} {onehot} {attributions}
                    fixtures built once for all rows (see Fixtures below)
"""
import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))

from crafted_models import craft  # noqa: E402
from seqdl_test import FIXTURES, SEQDL, SHARED_DATA, SOURCE_DIR, CliTest, main, torch_modules, write_text  # noqa: E402

TABLE = os.path.join(SOURCE_DIR, "tests", "cli", "rejected_inputs.tsv")
COLUMNS = ["case", "command", "status", "message"]
COMMANDS = {"coverage", "encode", "evaluate", "info", "ism", "motifs", "predict", "saliency", "simulate", "sites", "train",
            "variants"}


def unescape(text):
    """The table's escapes as bytes: \\t \\n \\r \\\\ \\s \\xNN \\}."""
    out = bytearray()
    i = 0
    simple = {"t": b"\t", "n": b"\n", "r": b"\r", "\\": b"\\", "s": b" ", "}": b"}"}
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n in simple:
                out += simple[n]
                i += 2
                continue
            if n == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", text[i + 2:i + 4]):
                out.append(int(text[i + 2:i + 4], 16))
                i += 4
                continue
        out += c.encode()
        i += 1
    return bytes(out)


def tokens(command):
    """Splits on spaces outside braces."""
    out, cur, depth, i = [], "", 0, 0
    while i < len(command):
        c = command[i]
        if c == "\\" and depth > 0 and i + 1 < len(command):
            cur += command[i:i + 2]
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}" and depth > 0:
            depth -= 1
        if c == " " and depth == 0:
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    if cur:
        out.append(cur)
    return out


def read_table():
    rows = []
    with open(TABLE) as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if fields == COLUMNS:
                continue
            if len(fields) != 4:
                raise ValueError(f"{TABLE}:{number}: expected 4 tab-separated fields, found {len(fields)}")
            rows.append(dict(zip(COLUMNS, fields), line=number))
    return rows


def command_name(args):
    """The command an error line names: 'seqdl <first non-option argument>' ('motifs' for its subcommands)."""
    skip_value = {"--threads", "-t", "--seed"}
    i = 0
    while i < len(args):
        a = args[i]
        if a in skip_value:
            i += 2
            continue
        if a.startswith("-"):
            i += 1
            continue
        return a
    return None


class Fixtures:
    """What many rows share, built once in a folder of its own: a tiny trained model (30-bp window, one output
    'y'; {model2}: two outputs), a TorchScript file with a seqdl.json, a two-contig genome, sequences, a label
    table, a motif file, a VCF on the genome, a BAM and attributions for motifs discover."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="seqdl_rejected_")
        self.paths = {}

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def get(self, key, test):
        if key not in self.paths:
            self.paths[key] = getattr(self, "make_" + key)(test)
        return self.paths[key]

    def make_genome(self, test):
        import numpy as np
        rng = np.random.default_rng(7)
        seq = {c: "".join(rng.choice(list("ACGT"), n)) for c, n in (("chr1", 400), ("chr2", 120))}
        return write_text(self.path("genome.fa"), "".join(f">{c}\n{s}\n" for c, s in seq.items()))

    def make_seqs(self, test):
        import numpy as np
        rng = np.random.default_rng(8)
        return write_text(self.path("seqs.fa"), "".join(f">s{i}\n{''.join(rng.choice(list('ACGT'), 30))}\n"
                                                        for i in range(6)))

    def make_table(self, test):
        import numpy as np
        rng = np.random.default_rng(9)
        return write_text(self.path("table.tsv"), "id\tseq\ty\tz\n" + "".join(
            f"r{i}\t{''.join(rng.choice(list('ACGT'), 30))}\t{i % 2}\t{(i // 2) % 2}\n" for i in range(24)))

    def train(self, test, name, labels):
        spec = write_text(self.path("tiny.json"), '{"name": "tiny", "input_length": 30, "tasks": 1, "layers": ['
                          '{"type": "conv", "filters": 4, "kernel": 5}, {"type": "relu"}, {"type": "global_maxpool"},'
                          '{"type": "linear", "units": "tasks"}]}')
        out = self.path(name)
        r = test.run_seqdl("--threads", 1, "--seed", 1, "train", "--arch", spec, "--table", self.get("table", test),
                           "--sequence-column", "seq", "--label-columns", labels, "--epochs", 1, "--batch", 8,
                           "--valid-fraction", 0, "-o", out)
        if r.returncode != 0:
            raise RuntimeError(f"training the fixture model failed:\n{r.stderr.decode()}")
        return out

    def make_model(self, test):
        return self.train(test, "tiny.seqdl", "y")

    def make_model2(self, test):
        return self.train(test, "tiny2.seqdl", "y,z")

    def make_script(self, test):
        torch, _ = torch_modules()
        import json
        module = torch.nn.Sequential(torch.nn.Conv1d(4, 1, 5), torch.nn.AdaptiveMaxPool1d(1), torch.nn.Flatten())
        path = self.path("tiny.pt")
        torch.jit.save(torch.jit.script(module), path,
                       _extra_files={"seqdl.json": json.dumps({"input_length": 30, "task_names": ["y"]})})
        return path

    def make_motifs(self, test):
        return write_text(self.path("motifs.meme"), "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\n"
                          "Background letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n\n"
                          "MOTIF m1 one\nletter-probability matrix: alength= 4 w= 3 nsites= 10 E= 0\n"
                          "1 0 0 0\n0 1 0 0\n0 0 1 0\n")

    def make_vcf(self, test):
        genome = open(self.get("genome", test)).read().split("\n")[1]
        return write_text(self.path("v.vcf"), "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=400>\n"
                          "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                          f"chr1\t100\t.\t{genome[99]}\t{'A' if genome[99] != 'A' else 'C'}\t.\t.\t.\n")

    def make_bam(self, test):
        sam = self.path("r.sam")
        write_text(sam, "@SQ\tSN:chr1\tLN:400\n" + "".join(f"r{i}\t0\tchr1\t{10 + i}\t60\t4M\t*\t0\t0\tACGT\t*\n"
                                                           for i in range(5)))
        bam = self.path("r.bam")
        if shutil.which("samtools") is None:
            raise unittest.SkipTest("samtools is missing")
        os.system(f"samtools view -b -o {bam} {sam} && samtools index {bam}")
        return bam

    def make_onehot(self, test):
        import numpy as np
        rng = np.random.default_rng(10)
        path = self.path("onehot.npy")
        np.save(path, np.eye(4, dtype=np.float32)[rng.integers(0, 4, (30, 80))].transpose(0, 2, 1).copy())
        return path

    def make_attributions(self, test):
        import numpy as np
        path = self.path("hyp.npy")
        np.save(path, np.random.default_rng(11).normal(0, 0.1, (30, 4, 80)).astype(np.float32))
        return path


class RejectedInputs(CliTest):
    fixtures = None

    @classmethod
    def setUpClass(cls):
        cls.fixtures = Fixtures()

    @classmethod
    def tearDownClass(cls):
        cls.fixtures.cleanup()

    def expand(self, token, outputs):
        def one(m):
            kind, _, arg = m.group(1).partition(":")
            if kind == "lit":
                return unescape(arg).decode()
            if kind in ("file", "gz", "gzhalf", "npy"):
                name, _, text = arg.partition("=")
                if kind == "npy":
                    import io
                    import numpy as np
                    buffer = io.BytesIO()
                    np.save(buffer, eval(text, {"np": np}))  # the table's own expressions
                    data = buffer.getvalue()
                else:
                    data = unescape(text)
                if kind in ("gz", "gzhalf"):
                    import gzip
                    data = gzip.compress(data, mtime=0)
                    if kind == "gzhalf":
                        data = data[: len(data) // 2]
                path = self.path(name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(data)
                return path
            if kind == "out":
                outputs.append(self.path(arg))
                return self.path(arg)
            if kind == "tmp":
                return self.path(arg)
            if kind == "fixture":
                return os.path.join(FIXTURES, arg)
            if kind == "shared":
                path = os.path.join(SHARED_DATA, arg)
                if not os.path.exists(path):
                    raise unittest.SkipTest(f"../shared/data is absent here ({path})")
                return path
            if kind == "crafted":
                return craft(arg, self.path(arg), self.fixtures.get("model", self))
            return self.fixtures.get(kind, self)
        return re.sub(r"\{((?:[^{}\\]|\\.)*)\}", one, token)

    def run_row(self, row):
        outputs = []
        args = [self.expand(t, outputs) for t in tokens(row["command"])]
        r = self.run_seqdl(*args, timeout=300)
        err = r.stderr.decode(errors="replace")
        where = f"{TABLE}:{row['line']} ({row['case']}): seqdl {' '.join(args)}"
        self.assertEqual(r.returncode, int(row["status"]), f"{where}\nexpected exit {row['status']}; stderr:\n{err}")
        lines = err.splitlines()
        if os.environ.get("SEQDL_REJECTED_SHOW"):  # to review the messages: every row's stderr
            print(f"{row['case']}: {err.strip()}", file=sys.stderr)
        self.assertEqual(len(lines), 1, f"{where}\nexpected one line on stderr, got:\n{err}")
        name = command_name(args)
        prefix = f"seqdl {name}: error: " if name in COMMANDS else "seqdl: error: "
        self.assertTrue(lines[0].startswith(prefix), f"{where}\n{lines[0]}")
        self.assertIn(row["message"], lines[0], where)
        for out in outputs:
            self.assertFalse(os.path.exists(out), f"{where}\n{out} was left behind after a failure")
        leftovers = [f for _, _, files in os.walk(self.tmp) for f in files if ".seqdl-" in f]
        self.assertEqual(leftovers, [], f"{where}\ntemporary files left behind")

    def test_table_is_well_formed(self):
        rows = read_table()
        names = [r["case"] for r in rows]
        self.assertEqual(len(names), len(set(names)), "case names must be unique")
        for r in rows:
            self.assertRegex(r["status"], r"^[12]$", r["case"])
            self.assertTrue(r["message"].strip(), r["case"])

    def test_every_row(self):
        rows = read_table()
        only = os.environ.get("SEQDL_REJECTED_ROWS")  # a regular expression over case names, to run a few rows
        if only:
            rows = [r for r in rows if re.search(only, r["case"])]
        ran = 0
        for row in rows:
            with self.subTest(case=row["case"]):
                self.tmp = tempfile.mkdtemp(prefix="seqdl_row_")
                try:
                    self.run_row(row)
                    ran += 1
                finally:
                    shutil.rmtree(self.tmp, ignore_errors=True)
        print(f"{ran} of {len(rows)} rows passed (the others failed or were skipped: see above)", file=sys.stderr)


if __name__ == "__main__":
    main()
