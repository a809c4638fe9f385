"""Coverage rows: `seqdl coverage` against bench/coverage_reference.py (numpy) on the yeast ATAC fragments; both
sides include start-up, reading the gzip file and writing a per-base bedGraph: rates are fragments over wall
seconds."""
import os

from harness import DATA, PYTHON, Context, row, timed

YEAST = os.path.join(DATA, "yeast_atac_sacCer3")


@row("coverage-yeast-bedpe", "fragments/s", target=1.0,
     doc="seqdl coverage --shift 4,-4 --strand combined on 467,908 yeast ATAC fragments (BEDPE.gz) to a bedGraph vs "
         "numpy (np.add.at over dense per-contig arrays)")
def coverage_yeast(ctx: Context):
    bedpe = ctx.need(os.path.join(YEAST, "reads", "yeast_500k_SRR1822137.bedpe.gz"))
    sizes = ctx.need(os.path.join(YEAST, "genome", "sacCer3.chrom.sizes"))
    n = 467_908

    def seqdl():
        wall, _, rss = timed([ctx.seqdl, "coverage", bedpe, "--shift", "4,-4", "--strand", "combined",
                              "--chrom-sizes", sizes, "-o", os.path.join(ctx.tmp, "seqdl.bedGraph")])
        return n / wall, rss

    def reference():
        wall, _, rss = timed([PYTHON, os.path.join(os.path.dirname(__file__), "coverage_reference.py"), bedpe, sizes,
                              os.path.join(ctx.tmp, "ref.bedGraph")])
        return n / wall, rss

    return seqdl, reference
