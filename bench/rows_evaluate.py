"""Evaluate rows: `seqdl evaluate --scores --labels` against bench/evaluate_reference.py (numpy + scikit-learn) on
the same files; both sides include start-up and reading the two tables: rates are scores over wall seconds."""
import os

from harness import PYTHON, Context, row, timed


def score_tables(ctx: Context, n):
    """A binary problem of n scores, 10% positives, positives shifted up: id<TAB>score and id<TAB>label tables."""
    scores, labels = (os.path.join(ctx.tmp, f"eval_{n}_{k}.tsv") for k in ("scores", "labels"))
    if not os.path.exists(labels):
        import numpy as np
        rng = np.random.default_rng(8)
        y = (rng.random(n) < 0.1).astype(np.int8)
        s = rng.random(n) + 0.3 * y
        ids = np.char.add("r", np.arange(n).astype(str))
        np.savetxt(scores, np.column_stack([ids, np.char.mod("%.6f", s)]), fmt="%s", delimiter="\t",
                   header="id\tscore", comments="")
        np.savetxt(labels, np.column_stack([ids, y.astype(str)]), fmt="%s", delimiter="\t", header="id\tlabel",
                   comments="")
    return scores, labels


def evaluate_row(name, n, bootstrap, target, doc):
    @row(name, "scores/s", target=target, doc=doc)
    def setup(ctx: Context):
        scores, labels = score_tables(ctx, n)
        extra = ["--bootstrap", str(bootstrap)] if bootstrap else []
        out = os.path.join(ctx.tmp, f"{name}.tsv")

        def seqdl():
            wall, _, rss = timed([ctx.seqdl, "--threads", str(ctx.threads), "evaluate", "--scores", scores, "--labels",
                                  labels, *extra, "-o", out])
            return n / wall, rss

        def reference():
            wall, _, rss = timed([PYTHON, os.path.join(os.path.dirname(__file__), "evaluate_reference.py"), scores,
                                  labels, *extra])
            return n / wall, rss

        return seqdl, reference
    return setup


evaluate_row("evaluate-10M", 10_000_000, 0, 1.0,
             "seqdl evaluate (AUPRC, AUROC and the rest) on 10M scores vs numpy+sklearn AUPRC and AUROC; the issue's "
             "bar is 10M scores in a couple of seconds")
evaluate_row("evaluate-bootstrap", 100_000, 1000, 1.0,
             "seqdl evaluate --bootstrap 1000 on 100k scores vs a sklearn bootstrap loop of AUPRC and AUROC")
