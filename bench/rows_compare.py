"""Motif comparison row: `seqdl motifs compare` (Tomtom's method, the default) of 20 JASPAR 2020 motifs (every 37th
of the CORE vertebrates file) against JASPAR 2024 CORE vertebrates (879 motifs), against bench/compare_reference.py,
the same method in numpy. There is no MEME-suite Tomtom on this machine, so Tomtom itself is not timed. The row
also checks that both sides give each query the same best match, and prints seqdl's time for --method
mean-shuffle."""
import os

from harness import DATA, PYTHON, Context, row, timed

QUERIES = 20


def query_file(ctx: Context):
    source = ctx.need(os.path.join(DATA, "jaspar_meme", "JASPAR2020_CORE_vertebrates_non-redundant.meme"))
    path = os.path.join(ctx.tmp, "compare_queries.meme")
    if not os.path.exists(path):
        text = open(source).read()
        head, _, body = text.partition("\nMOTIF ")
        blocks = ["MOTIF " + b for b in body.split("\nMOTIF ")]
        chosen = blocks[::37][:QUERIES]
        with open(path, "w") as f:
            f.write(head + "\n\n" + "\n".join(b.rstrip() + "\n" for b in chosen))
    return path


def best_matches(path, seqdl_tsv):
    """{query: (best target, its E-value)}."""
    out = {}
    for line in open(path).read().splitlines()[1 if seqdl_tsv else 0:]:
        parts = line.split("\t")
        if seqdl_tsv and parts[0] not in out:
            out[parts[0]] = (parts[2], float(parts[10]))
        elif not seqdl_tsv:
            out[parts[0]] = (parts[1], float(parts[2]))
    return out


@row("compare-tomtom", "queries/s", target=1.0,
     doc=f"seqdl motifs compare, {QUERIES} JASPAR 2020 motifs vs JASPAR 2024 CORE vertebrates (879), Tomtom's "
         "method, vs bench/compare_reference.py (numpy, same method; no MEME-suite Tomtom here)")
def compare_row(ctx: Context):
    queries = query_file(ctx)
    db = ctx.need(os.path.join(DATA, "jaspar_meme", "JASPAR2024_CORE_vertebrates_non-redundant.meme"))
    seqdl_out, ref_out = os.path.join(ctx.tmp, "compare_seqdl.tsv"), os.path.join(ctx.tmp, "compare_ref.tsv")

    def seqdl():
        wall, _, rss = timed([ctx.seqdl, "motifs", "compare", queries, "--db", db, "--top", "5", "-o", seqdl_out])
        mean_wall, _, _ = timed([ctx.seqdl, "motifs", "compare", queries, "--db", db, "--method", "mean-shuffle",
                                 "-o", os.path.join(ctx.tmp, "compare_mean.tsv")])
        print(f"  compare-tomtom: seqdl {wall:.2f} s for {QUERIES} queries (mean-shuffle: {mean_wall:.2f} s)",
              flush=True)
        return QUERIES / wall, rss

    def reference():
        wall, text, _ = timed([PYTHON, os.path.join(os.path.dirname(__file__), "compare_reference.py"), queries, db,
                               ref_out])
        a, b = best_matches(seqdl_out, True), best_matches(ref_out, False)
        same = sum(a[q][0] == t for q, (t, _) in b.items())
        same_e = sum(abs(a[q][1] - e) <= 1e-3 * e for q, (_, e) in b.items())
        print(f"  compare-tomtom: numpy {wall:.2f} s; same best match for {same} of {len(b)} queries, same best "
              f"E-value (4 digits) for {same_e} (ties at equal E may pick different targets)", flush=True)
        return QUERIES / wall, 0

    return seqdl, reference
