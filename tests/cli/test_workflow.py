"""The Snakemake workflow (scripts/workflow/Snakefile) end to end: train, evaluate, a genome scan scattered into
shards and gathered, which must equal one unsharded scan."""
import os
import shutil
import subprocess

from seqdl_test import SEQDL, SOURCE_DIR, CliTest, main, read_text, write_text


class Workflow(CliTest):
    def test_scattered_scan_equals_one_scan(self):
        if shutil.which("snakemake") is None:
            self.skipTest("snakemake is not installed")
        genome = write_text(self.path("g.fa"), "".join(
            f">chr{c}\n" + "".join("ACGTTGCAAC"[(i * 7 + c) % 10] for i in range(20000 + 3000 * c)) + "\n"
            for c in range(1, 4)))
        out = self.path("results")
        config = [f"seqdl={SEQDL}", f"table={SOURCE_DIR}/data/example/labels.tsv.gz", "sequence_column=sequence",
                  "label_columns=label", "arch=deepbind", "length=200", "train_options=--epochs 2",
                  f"genome={genome}", "stride=7", "shards=3", "threads=1", f"out={out}"]
        r = subprocess.run(["snakemake", "-s", os.path.join(SOURCE_DIR, "scripts", "workflow", "Snakefile"),
                            "--cores", "2", "--config", *config], capture_output=True, text=True, cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr[-3000:])
        for name in ("metrics.tsv", "report.html", "track.bedGraph", "model.seqdl"):
            self.assertTrue(os.path.exists(os.path.join(out, name)), name)
        self.assertFalse(os.path.exists(os.path.join(out, "shards", "1.bedGraph")), "shards are temporary")
        whole = self.seqdl("predict", "--model", os.path.join(out, "model.seqdl"), "--genome", genome, "--stride", 7,
                           "-o", "-", "--format", "bedgraph").stdout.decode()
        self.assertEqual(read_text(os.path.join(out, "track.bedGraph")), whole)
        self.assertEqual(read_text(os.path.join(out, "metrics.tsv")).splitlines()[0].split("\t")[0], "task")


if __name__ == "__main__":
    main()
