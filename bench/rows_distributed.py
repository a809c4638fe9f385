"""Data-parallel training speed-up: `seqdl train` as 2 ranks x 1 thread (c10d/Gloo on loopback, batch 64 per
rank) against 1 rank x 1 thread (batch 64), on the tables of the train-* rows. The "reference" column of these
rows is seqdl itself in one process, so the ratio is the speed-up in samples/s (rank 0's epoch log counts every
rank's samples). Every process runs in a session of its own (setsid): Linux's autogroup scheduling shares the CPU
between sessions, so on a loaded machine two ranks in one session would get the CPU time of one. Needs 2 free
cores: on a loaded machine the ratio measures the load as much as the method."""
import os
import socket

from harness import Context, rate_from, row, timed
from rows import random_table

RATE = r"epoch 1/1: .* ([\d.]+[kMG]?) samples/s"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def train_args(ctx, arch, table, tasks, out):
    return ["setsid", "-w", ctx.seqdl, "--threads", "1", "train", "--arch", arch, "--table", table,
            "--sequence-column", "seq", "--label-columns", ",".join(f"t{k}" for k in range(tasks)),
            "--valid-fraction", "0", "--epochs", "1", "--batch", "64", "-o", os.path.join(ctx.tmp, out)]


def two_ranks(ctx, args):
    """Rank 1 in the background, rank 0 timed; returns rank 0's output and peak RSS."""
    import subprocess
    port = str(free_port())
    env = dict(os.environ, WORLD_SIZE="2", MASTER_ADDR="127.0.0.1", MASTER_PORT=port)
    rank1 = subprocess.Popen(args, env=dict(env, RANK="1"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _, out, rss = timed(args, env=dict(env, RANK="0"))
    finally:
        rank1.wait()
    return out, rss


def distributed_row(arch):
    @row(f"train-2ranks-{arch}", "samples/s", doc=f"seqdl train {arch}: 2 ranks x 1 thread vs 1 rank x 1 thread")
    def setup(ctx: Context):
        table, tasks = random_table(ctx, arch)

        def seqdl():
            out, rss = two_ranks(ctx, train_args(ctx, arch, table, tasks, f"{arch}_2ranks.seqdl"))
            return rate_from(out, RATE), rss

        def reference():
            _, out, rss = timed(train_args(ctx, arch, table, tasks, f"{arch}_1rank.seqdl"))
            return rate_from(out, RATE), rss

        return seqdl, reference
    return setup


for _arch in ("deepbind", "basset"):
    distributed_row(_arch)
