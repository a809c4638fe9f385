"""Data-parallel seqdl train over c10d/Gloo, two ranks on loopback: the model equals a single process with the
same global batch, a rank that dies or hangs ends the other with a clear error inside --dist-timeout, --resume
in 2-rank mode, the metadata, and rejected environments."""
import gzip
import json
import os
import signal
import socket
import subprocess
import time

import numpy as np

from seqdl_model import read_archive
from seqdl_test import CliTest, SEQDL, main, read_text, shared, write_text

USF1_AC = ("deepbind_encode_chipseq", "USF1_H1-hESC_USF-1_HudsonAlpha_AC.seq.gz")

# DeepBind without its dropout: with dropout each rank draws its own masks, so only a network without random
# layers (and without batch norm, whose batch statistics are per rank) steps identically with 1 and 2 ranks.
DEEPBIND_NO_DROPOUT = {
    "name": "deepbind_no_dropout", "input_length": 101, "tasks": 1,
    "layers": [{"type": "conv", "filters": 16, "kernel": 24}, {"type": "relu"}, {"type": "global_maxpool"},
               {"type": "linear", "units": 32}, {"type": "relu"}, {"type": "linear", "units": "tasks"}]}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_rows(path):
    lines = read_text(path).splitlines()
    cols = lines[0].split("\t")
    return [dict(zip(cols, map(float, l.split("\t")))) for l in lines[1:]]


class Distributed(CliTest):
    def setUp(self):
        super().setUp()
        table = shared(*USF1_AC)
        with gzip.open(table, "rt") as f:
            rows = f.read().splitlines()[:1201]
        self.table = self.path("small.tsv")
        write_text(self.table, "\n".join(rows) + "\n")
        self.arch = self.path("deepbind_no_dropout.json")
        write_text(self.arch, json.dumps(DEEPBIND_NO_DROPOUT))

    def args(self, out, batch, epochs=2, *extra):
        # 1,200 sequences and as many shuffled negatives; 20% validation: 1,920 to train on, 30 steps of 64.
        return ["--threads", "1", "--seed", "3", "train", "--arch", self.arch, "--table", self.table,
                "--sequence-column", "seq", "--label-columns", "Bound", "--negatives", "shuffle", "--rc-augment",
                "--max-shift", "3", "--valid-fraction", "0.2", "--epochs", str(epochs), "--patience", "0",
                "--batch", str(batch), "-o", self.path(out), *map(str, extra)]

    def launch(self, args, world=2, port=None, ranks=None, env=None):
        port = port or free_port()
        procs = []
        for rank in ranks if ranks is not None else range(world):
            e = dict(os.environ, RANK=str(rank), WORLD_SIZE=str(world), MASTER_ADDR="127.0.0.1",
                     MASTER_PORT=str(port), **(env or {}))
            procs.append(subprocess.Popen([SEQDL, *args], stderr=subprocess.PIPE, cwd=self.tmp, env=e))
        return procs

    def finish(self, procs, timeout=600):
        out = []
        for p in procs:
            _, err = p.communicate(timeout=timeout)
            out.append((p.returncode, err.decode(errors="replace")))
        return out

    def run_ranks(self, args, world=2):
        results = self.finish(self.launch(args, world))
        for rank, (status, err) in enumerate(results):
            self.assertEqual(status, 0, f"rank {rank} exited {status}:\n{err}")
        return results

    def test_two_ranks_equal_one_process_with_the_same_global_batch(self):
        self.seqdl(*self.args("one.seqdl", 64))
        results = self.run_ranks(self.args("two.seqdl", 32))
        _, one = read_archive(self.path("one.seqdl"))
        _, two = read_archive(self.path("two.seqdl"))
        self.assertEqual(sorted(one), sorted(two))
        for name in one:
            # Float32 sums in another order (two means of 32 averaged instead of one mean of 64), through 60 Adam
            # steps: observed differences are ~1e-7; a wrong shard, weighting or augmentation gives ~1e-2.
            np.testing.assert_allclose(two[name], one[name], rtol=0, atol=2e-5, err_msg=name)
        self.assertGreater(max(np.abs(one[n]).max() for n in one), 0.05)
        rows1, rows2 = log_rows(self.path("one.seqdl.log.tsv")), log_rows(self.path("two.seqdl.log.tsv"))
        self.assertEqual(len(rows2), 2)
        for r1, r2 in zip(rows1, rows2):
            for col in ("train_loss", "valid_loss", "valid_auprc", "valid_auroc"):
                self.assertAlmostEqual(r1[col], r2[col], places=4, msg=col)
        info = json.loads(self.seqdl("info", self.path("two.seqdl"), "--json").stdout)["metadata"]["training"]
        self.assertEqual((info["world_size"], info["batch_per_rank"], info["global_batch"], info["backend"]),
                         (2, 32, 64, "gloo"))
        info1 = json.loads(self.seqdl("info", self.path("one.seqdl"), "--json").stdout)["metadata"]["training"]
        self.assertEqual((info1["world_size"], info1["backend"]), (1, "none"))
        # Rank 0 speaks and writes for the job; rank 1 is silent and leaves no files.
        self.assertIn("rank 0 of 2", results[0][1])
        self.assertEqual(results[1][1].strip(), "")
        self.assertEqual(sorted(f for f in os.listdir(self.tmp) if f.startswith("two")),
                         ["two.seqdl", "two.seqdl.log.tsv"])

    def wait_for(self, path, procs, limit=300):
        deadline = time.time() + limit
        while not os.path.exists(path) and all(p.poll() is None for p in procs) and time.time() < deadline:
            time.sleep(0.01)
        if not os.path.exists(path):
            for p in procs:
                p.kill()
            self.fail(f"{path} never appeared: {self.finish(procs)}")

    def test_a_killed_rank_ends_the_other_with_an_error(self):
        procs = self.launch(self.args("m.seqdl", 32, 200, "--dist-timeout", 30))
        self.wait_for(self.path("m.seqdl.log.tsv"), procs)
        procs[1].send_signal(signal.SIGKILL)
        start = time.time()
        status, err = self.finish(procs[:1], timeout=120)[0]
        self.finish(procs[1:])
        self.assertLess(time.time() - start, 30 + 30)
        self.assertEqual(status, 1, err)
        self.assertRegex(err.splitlines()[-1], r"seqdl train: error: distributed training: rank 0 of 2 gave up on the "
                         r"other ranks during .* --dist-timeout 30 s\)")
        self.assertFalse(os.path.exists(self.path("m.seqdl")))

    def test_a_hung_rank_ends_the_other_after_the_timeout(self):
        procs = self.launch(self.args("m.seqdl", 32, 200, "--dist-timeout", 10))
        self.wait_for(self.path("m.seqdl.log.tsv"), procs)
        procs[1].send_signal(signal.SIGSTOP)  # alive, holding its sockets open, never answering
        start = time.time()
        try:
            status, err = self.finish(procs[:1], timeout=120)[0]
        finally:
            procs[1].send_signal(signal.SIGKILL)
            self.finish(procs[1:])
        self.assertLess(time.time() - start, 10 + 60)
        self.assertEqual(status, 1, err)
        self.assertRegex(err.splitlines()[-1], r"rank 0 of 2 gave up .* --dist-timeout 10 s\): .*[Tt]imed out")

    def test_a_missing_rank_fails_the_rendezvous(self):
        start = time.time()
        status, err = self.finish(self.launch(self.args("m.seqdl", 32, 1, "--dist-timeout", 3), ranks=[0]))[0]
        self.assertLess(time.time() - start, 60)
        self.assertEqual(status, 1, err)
        self.assertRegex(err, r"rank 0 of 2 gave up on the other ranks during the rendezvous at 127\.0\.0\.1:\d+ "
                              r"\(.*--dist-timeout 3 s\)")

    def test_resume_in_two_rank_mode_ends_with_the_uninterrupted_model(self):
        epochs = 5
        self.run_ranks(self.args("full.seqdl", 32, epochs))
        _, full = read_archive(self.path("full.seqdl"))
        procs = self.launch(self.args("cut.seqdl", 32, epochs))
        self.wait_for(self.path("cut.seqdl.ckpt"), procs)
        for p in procs:
            p.send_signal(signal.SIGKILL)  # as a scheduler pre-empting the job
        self.finish(procs)
        if os.path.exists(self.path("cut.seqdl")):
            self.skipTest("training finished before it could be interrupted")
        # Another world size cannot continue the run.
        r = self.run_seqdl(*self.args("cut.seqdl", 32, epochs, "--resume"))
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr.decode(), r"different options or data \(world_size: 2 then, 1 now\)")
        self.run_ranks(self.args("cut.seqdl", 32, epochs, "--resume"))
        _, resumed = read_archive(self.path("cut.seqdl"))
        for name in full:
            np.testing.assert_array_equal(full[name], resumed[name], name)
        self.assertEqual(len(log_rows(self.path("cut.seqdl.log.tsv"))), epochs)

    def test_ranks_with_other_options_are_refused(self):
        port = free_port()
        procs = self.launch(self.args("m.seqdl", 32, 2, "--dist-timeout", 60), port=port, ranks=[0])
        procs += self.launch(self.args("m.seqdl", 32, 2, "--dist-timeout", 60, "--lr", 0.01), port=port, ranks=[1])
        start = time.time()
        (status0, err0), (status1, err1) = self.finish(procs, timeout=120)
        self.assertLess(time.time() - start, 60)  # rank 0 learns at once that rank 1 has gone
        self.assertEqual(status1, 2, err1)
        self.assertEqual(err1.strip().splitlines()[-1], "seqdl train: error: distributed training: rank 1 has other "
                         "options or data than rank 0 (lr: 0.001 on rank 0, 0.01 here)")
        self.assertEqual(status0, 1, err0)
        self.assertIn("rank 0 of 2 gave up on the other ranks", err0)
        self.assertFalse(os.path.exists(self.path("m.seqdl")))

    def test_slurm_and_local_rank_fallbacks(self):
        # srun's SLURM_PROCID and SLURM_STEP_NUM_TASKS, or LOCAL_RANK, stand in for RANK and WORLD_SIZE.
        port = str(free_port())
        env = dict(os.environ, MASTER_ADDR="127.0.0.1", MASTER_PORT=port)
        for k in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "SLURM_PROCID", "SLURM_STEP_NUM_TASKS"):
            env.pop(k, None)
        envs = [dict(env, SLURM_PROCID="0", SLURM_STEP_NUM_TASKS="2", SLURM_NTASKS="2"),
                dict(env, LOCAL_RANK="1", WORLD_SIZE="2")]
        procs = [subprocess.Popen([SEQDL, *self.args("m.seqdl", 32, 1)], stderr=subprocess.PIPE, cwd=self.tmp, env=e)
                 for e in envs]
        for rank, (status, err) in enumerate(self.finish(procs)):
            self.assertEqual(status, 0, f"rank {rank}: {err}")
        info = json.loads(self.seqdl("info", self.path("m.seqdl"), "--json").stdout)["metadata"]["training"]
        self.assertEqual(info["world_size"], 2)
        # SLURM_NTASKS alone (a batch script without srun) and a stray RANK train alone.
        self.seqdl(*self.args("alone.seqdl", 32, 1), env={"SLURM_NTASKS": "2", "SLURM_PROCID": "0", "RANK": "5"})
        info = json.loads(self.seqdl("info", self.path("alone.seqdl"), "--json").stdout)["metadata"]["training"]
        self.assertEqual(info["world_size"], 1)

    def test_rejected_environments(self):
        args = self.args("m.seqdl", 32, 1)
        out = [self.path("m.seqdl")]
        self.assert_error(*args[:-2], "-o", out[0], env={"WORLD_SIZE": "2", "RANK": "0"}, command="train",
                          outputs=out, pattern=r"distributed training over 2 ranks: set MASTER_ADDR")
        self.assert_error(*args, env={"WORLD_SIZE": "2", "RANK": "2", "MASTER_ADDR": "127.0.0.1"}, command="train",
                          outputs=out, pattern=r"rank 2 is outside 0\.\.1")
        self.assert_error(*args, env={"WORLD_SIZE": "2", "MASTER_ADDR": "127.0.0.1"}, command="train", outputs=out,
                          pattern=r"set RANK")
        self.assert_error(*args, env={"WORLD_SIZE": "two"}, command="train", outputs=out,
                          pattern=r"WORLD_SIZE")
        self.assert_error(*args, env={"WORLD_SIZE": "2", "RANK": "1", "MASTER_ADDR": "127.0.0.1",
                                      "MASTER_PORT": "70000"}, command="train", outputs=out, pattern=r"MASTER_PORT")
        self.assert_error(*args, "--dist-timeout", 0, command="train", outputs=out, pattern=r"--dist-timeout")


if __name__ == "__main__":
    main()
