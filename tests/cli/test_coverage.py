"""seqdl coverage end to end. Exactness against independent truths: ENCODE's own per-strand 5'-end count bigWigs
of the CEBPB rep1 BAM (read with pyBigWig), 5' ends computed here from `samtools view` for the paired-end BAM,
and the yeast ATAC data's per-base Tn5 insertion bedGraph and stranded cut-site BED (made with awk upstream).
Then the profile windows (skips counted, output-span sums, background placement) and every rejected input."""
import collections
import gzip
import os
import re
import shutil
import subprocess

from seqdl_test import CliTest, PYTHON, main, read_text, shared, write_text

ENCODE = "encode_chipseq_hg38_chr19_reads"
YEAST = "yeast_atac_sacCer3"
REP1 = "rep1.subsampled.25.merged.nodup"


def bigwig_counts(path, chrom):
    """{0-based position: value} of a bigWig's non-zero bases on one contig (pyBigWig)."""
    import pyBigWig
    bw = pyBigWig.open(path)
    out = {}
    if chrom in bw.chroms():
        for start, end, value in bw.intervals(chrom) or ():
            if value != 0:
                for p in range(start, end):
                    out[p] = value
    bw.close()
    return out


def bedgraph_counts(path, chrom=None):
    """{(chrom, pos): value} of a bedGraph's non-zero bases (plain or gzip)."""
    opener = gzip.open if path.endswith(".gz") else open
    out = {}
    with opener(path, "rt") as f:
        for line in f:
            c, s, e, v = line.split()[:4]
            if (chrom is None or c == chrom) and float(v) != 0:
                for p in range(int(s), int(e)):
                    out[(c, p)] = float(v)
    return out


def samtools_five_prime(bam, proper_pairs=True):
    """Per-strand 5'-end counts from `samtools view`: POS - 1 forward, POS - 1 + reference length - 1 reverse."""
    out = subprocess.run(["samtools", "view", "-F", "0xF04", bam], capture_output=True, text=True, check=True).stdout
    plus, minus = collections.Counter(), collections.Counter()
    for line in out.splitlines():
        f = line.split("\t")
        flag, pos = int(f[1]), int(f[3]) - 1
        if proper_pairs and flag & 1 and not flag & 2:
            continue
        if flag & 16:
            reflen = sum(int(n) for n, op in re.findall(r"(\d+)([MDN=X])", f[5]))
            minus[(f[2], pos + reflen - 1)] += 1
        else:
            plus[(f[2], pos)] += 1
    return plus, minus


class EncodeCounts(CliTest):
    def setUp(self):
        super().setUp()
        self.bam = shared(ENCODE, "reads", REP1 + ".bam")
        self.truth = {s: bigwig_counts(shared(ENCODE, "tracks", f"{REP1}.{s}.bigwig"), "chr19")
                      for s in ("positive", "negative")}

    def test_bam_5prime_counts_equal_encode_bigwigs_at_every_base(self):
        self.seqdl("coverage", self.bam, "-o", self.path("rep1.bw"))
        plus = bigwig_counts(self.path("rep1.plus.bw"), "chr19")
        minus = bigwig_counts(self.path("rep1.minus.bw"), "chr19")
        self.assertEqual(sum(plus.values()), 15689)
        self.assertEqual(sum(minus.values()), 15535)
        self.assertEqual(plus, self.truth["positive"])
        self.assertEqual(minus, self.truth["negative"])
        # chrM, which ENCODE's tracks leave out, against samtools.
        sp, sm = samtools_five_prime(self.bam)
        self.assertEqual(bigwig_counts(self.path("rep1.plus.bw"), "chrM"),
                         {p: float(n) for (c, p), n in sp.items() if c == "chrM"})
        self.assertEqual(bigwig_counts(self.path("rep1.minus.bw"), "chrM"),
                         {p: float(n) for (c, p), n in sm.items() if c == "chrM"})

    def test_flag_and_mapq_filters(self):
        # Only reverse-strand reads (flag 0x10): the plus track is empty, the minus track unchanged.
        self.seqdl("coverage", self.bam, "--require-flags", "0x10", "-o", self.path("rev.bw"))
        self.assertEqual(bigwig_counts(self.path("rev.plus.bw"), "chr19"), {})
        self.assertEqual(bigwig_counts(self.path("rev.minus.bw"), "chr19"), self.truth["negative"])
        # Every read of this BAM has MAPQ < 255: nothing counted, empty tracks, a clean exit.
        r = self.seqdl("coverage", self.bam, "--min-mapq", "255", "--strand", "combined", "-o", self.path("q.bw"))
        self.assertIn("36,544 records read, 0 counted, 36,544 filtered", r.stderr.decode())
        self.assertEqual(bigwig_counts(self.path("q.bw"), "chr19"), {})
        self.assert_error("coverage", self.bam, "--exclude-flags", "0xZZ", "-o", self.path("f.bw"),
                          command="coverage", pattern="SAM flags")

    def test_tagalign_reads_give_the_same_counts(self):
        sizes = shared(ENCODE, "genome", "hg38_chr19_chrM.chrom.sizes")
        self.seqdl("coverage", shared(ENCODE, "reads", REP1 + ".tagAlign.gz"), "--chrom-sizes", sizes,
                   "-o", self.path("ta.bedGraph"))
        for strand, truth in (("plus", "positive"), ("minus", "negative")):
            got = bedgraph_counts(self.path(f"ta.{strand}.bedGraph"))
            self.assertEqual(got, {("chr19", p): v for p, v in self.truth[truth].items()})

    def test_bigwig_tracks_read_as_given(self):
        tracks = [shared(ENCODE, "tracks", f"{REP1}.{s}.bigwig") for s in ("positive", "negative")]
        self.seqdl("coverage", *tracks, "-o", self.path("bw.bedGraph"))
        for strand, truth in (("plus", "positive"), ("minus", "negative")):
            got = bedgraph_counts(self.path(f"bw.{strand}.bedGraph"))
            self.assertEqual(got, {("chr19", p): v for p, v in self.truth[truth].items()})
        self.assert_error("coverage", tracks[0], "-o", self.path("one.bedGraph"), command="coverage",
                          pattern="one unstranded track")

    def test_region_queries_through_the_index_and_combined_strands(self):
        self.seqdl("coverage", self.bam, "--regions", "chr19:1,000,001-6,000,000", "--strand", "combined",
                   "-o", self.path("r.bedGraph"))
        got = bedgraph_counts(self.path("r.bedGraph"))
        want = collections.Counter()
        for t in self.truth.values():
            for p, v in t.items():
                if 1000000 <= p < 6000000:
                    want[("chr19", p)] += v
        self.assertEqual(got, dict(want))

    def test_paired_end_bam_counts_both_mates_of_proper_pairs(self):
        bam = shared(ENCODE, "reads", "rep1-R1.subsampled.67.merged.nodup.bam")
        self.seqdl("coverage", bam, "--shift", "4,-4", "-o", self.path("pe.bedGraph"))
        sp, sm = samtools_five_prime(bam)
        for strand, counts, shift in (("plus", sp, 4), ("minus", sm, -4)):
            want = {(c, p + shift): float(n) for (c, p), n in counts.items()}
            self.assertEqual(bedgraph_counts(self.path(f"pe.{strand}.bedGraph")), want)


class YeastInsertions(CliTest):
    def setUp(self):
        super().setUp()
        self.genome = shared(YEAST, "genome", "sacCer3.fa")
        self.truth = bedgraph_counts(shared(YEAST, "derived", "tn5_insertions.shifted.unstranded.bedGraph.gz"))

    def test_bedpe_and_10x_fragments_equal_the_insertion_bedgraph(self):
        for name in ("yeast_500k_SRR1822137.bedpe.gz", "yeast_500k_SRR1822137.frag.gz"):
            out = self.path(name + ".bedGraph")
            self.seqdl("coverage", shared(YEAST, "reads", name), "--shift", "4,-4", "--strand", "combined",
                       "--genome", self.genome, "-o", out)
            got = bedgraph_counts(out)
            self.assertEqual(sum(got.values()), 935816)
            self.assertEqual(got, self.truth, name)

    def test_stranded_cut_sites_equal_the_cut_site_bed(self):
        plus, minus = collections.Counter(), collections.Counter()
        with gzip.open(shared(YEAST, "derived", "tn5_cutsites.shifted.bed.gz"), "rt") as f:
            for line in f:
                c, s, e, _, _, strand = line.split()
                (plus if strand == "+" else minus)[(c, int(s))] += 1
        self.seqdl("coverage", shared(YEAST, "reads", "yeast_500k_SRR1822137.bedpe.gz"), "--shift", "4,-4",
                   "--chrom-sizes", shared(YEAST, "genome", "sacCer3.chrom.sizes"), "-o", self.path("c.bw"))
        import pyBigWig
        sizes = dict(l.split() for l in read_text(shared(YEAST, "genome", "sacCer3.chrom.sizes")).splitlines())
        for strand, want in (("plus", plus), ("minus", minus)):
            got = {}
            for chrom in sizes:
                got.update({(chrom, p): v for p, v in bigwig_counts(self.path(f"c.{strand}.bw"), chrom).items()})
            self.assertEqual(got, {k: float(v) for k, v in want.items()})

    def test_windows_skip_contig_ends_and_exclusion_and_sum_their_output_span(self):
        summits = shared(YEAST, "peaks", "yeast_SRR1822137_500k_summits.bed")
        exclude = shared(YEAST, "derived", "sacCer3.exclude_chrM_rDNA.bed")
        r = self.seqdl("coverage", shared(YEAST, "reads", "yeast_500k_SRR1822137.bedpe.gz"), "--shift", "4,-4",
                       "--strand", "combined", "--genome", self.genome, "--peaks", summits, "--exclude", exclude,
                       "--valid-chroms", "chrXV", "chrXVI", "--test-chroms", "chrIV", "--negative-ratio", "0.1",
                       "--windows", self.path("w.bed"))
        err = r.stderr.decode()
        sizes = {l.split()[0]: int(l.split()[1]) for l in read_text(self.genome + ".fai").splitlines()}
        excl = [l.split() for l in read_text(exclude).splitlines()]
        off = skipped = 0
        kept = []
        for line in read_text(summits).splitlines():
            c, s = line.split()[0], int(line.split()[1])
            a, b = s - 1057, s - 1057 + 2114
            if a < 0 or b > sizes[c]:
                off += 1
            elif any(c == e[0] and a < int(e[2]) and int(e[1]) < b for e in excl):
                skipped += 1
            else:
                kept.append((c, s))
        self.assertIn(f"{off} peaks skipped: window runs off contig end", err)
        self.assertIn(f"{skipped} peaks skipped: window overlaps the exclusion BED", err)
        rows = [l.split("\t") for l in read_text(self.path("w.bed")).splitlines()]
        peaks = [r for r in rows if r[7] == "peak"]
        background = [r for r in rows if r[7] == "background"]
        self.assertEqual([(r[0], int(r[1]) + 1057) for r in peaks], kept)
        for r in peaks[:200]:
            c, centre = r[0], int(r[1]) + 1057
            want = sum(self.truth.get((c, p), 0) for p in range(centre - 500, centre + 500))
            self.assertEqual(float(r[4]), want, r)
            split = "test" if c == "chrIV" else "valid" if c in ("chrXV", "chrXVI") else "train"
            self.assertEqual(r[6], split)
        per_split = collections.Counter(r[6] for r in peaks)
        self.assertEqual(collections.Counter(r[6] for r in background),
                         {s: int(n * 0.1 + 0.5) for s, n in per_split.items()})  # llround
        peak_spans = collections.defaultdict(list)
        for line in read_text(summits).splitlines():
            c, s = line.split()[0], int(line.split()[1])
            peak_spans[c].append((s - 500, s + 500))
        for r in background:
            c, a, b = r[0], int(r[1]), int(r[2])
            self.assertFalse(any(a < e and s < b for s, e in peak_spans[c]), r)
            self.assertFalse(any(c == e[0] and a < int(e[2]) and int(e[1]) < b for e in excl), r)


class RejectedInputs(CliTest):
    def test_bam_without_index_when_regions_are_needed(self):
        bam = self.path("noindex.bam")
        shutil.copy(shared(ENCODE, "reads", REP1 + ".bam"), bam)
        self.assert_error("coverage", bam, "--regions", "chr19:1-100000", "-o", self.path("x.bw"),
                          command="coverage", pattern=r"noindex\.bam has no index",
                          outputs=[self.path("x.plus.bw"), self.path("x.minus.bw")])

    def test_empty_coverage_files(self):
        sizes = write_text(self.path("g.sizes"), "chr1\t1000\n")
        self.assert_error("coverage", write_text(self.path("e.bed"), ""), "--chrom-sizes", sizes, "-o",
                          self.path("x.bedGraph"), command="coverage", pattern="e.bed holds no reads",
                          outputs=[self.path("x.plus.bedGraph")])
        header = self.path("h.bam")
        subprocess.run(["samtools", "view", "-H", "-b", "-o", header, shared(ENCODE, "reads", REP1 + ".bam")],
                       check=True)
        self.assert_error("coverage", header, "-o", self.path("y.bw"), command="coverage",
                          pattern="h.bam holds no reads", outputs=[self.path("y.plus.bw")])
        self.assert_error("coverage", write_text(self.path("e.bedGraph"), "track x\n"), "--chrom-sizes", sizes,
                          "--strand", "combined", "-o", self.path("z.bw"), command="coverage",
                          pattern="holds no coverage", outputs=[self.path("z.bw")])

    def test_coverage_on_contigs_the_genome_lacks(self):
        tag = shared(ENCODE, "reads", REP1 + ".tagAlign.gz")
        yeast = shared(YEAST, "genome", "sacCer3.chrom.sizes")
        self.assert_error("coverage", tag, "--chrom-sizes", yeast, "-o", self.path("x.bedGraph"),
                          command="coverage",
                          pattern=r"none of the 31,224 records of .* lies on a contig of the genome.*chr19",
                          outputs=[self.path("x.plus.bedGraph")])
        # Some records off the genome: a warning with counts, the rest counted.
        sizes = write_text(self.path("part.sizes"), "chr1\t1000\nchr2\t1000\n")
        bed = write_text(self.path("r.bed"), "chr1\t5\t10\tr\t0\t+\nchrUn\t1\t5\tr\t0\t+\nchrUn\t2\t6\tr\t0\t-\n")
        r = self.seqdl("coverage", bed, "--chrom-sizes", sizes, "--strand", "combined", "-o", self.path("p.bedGraph"))
        self.assertIn("2 records on 1 contigs the genome lacks were skipped: chrUn (2)", r.stderr.decode())
        self.assertEqual(read_text(self.path("p.bedGraph")), "chr1\t5\t6\t1\n")

    def test_summit_outside_its_peak(self):
        genome = shared(YEAST, "genome", "sacCer3.fa")
        peaks = write_text(self.path("p.narrowPeak"), "chrII\t100000\t100400\tp1\t0\t.\t1\t1\t1\t200\n"
                                                      "chrII\t200000\t200400\tp2\t0\t.\t1\t1\t1\t400\n")
        self.assert_error("coverage", shared(YEAST, "reads", "yeast_500k_SRR1822137.bedpe.gz"), "--genome", genome,
                          "--peaks", peaks, "--windows", self.path("w.bed"), "-o", self.path("c.bw"),
                          "--strand", "combined", command="coverage",
                          pattern=r"p\.narrowPeak:2: summit offset 400 is outside the peak",
                          outputs=[self.path("w.bed"), self.path("c.bw")])

    def test_bad_options(self):
        bam = shared(ENCODE, "reads", REP1 + ".bam")
        self.assert_error("coverage", bam, "--shift", "4;4", "-o", self.path("x.bw"), command="coverage",
                          pattern="--shift")
        self.assert_error("coverage", bam, "-o", self.path("x.txt"), command="coverage", pattern="track format")
        self.assert_error("coverage", bam, "--strand", "combined", "-o", "-", "--peaks", "p.bed",
                          command="coverage", pattern="--genome")

    def test_help_has_examples(self):
        r = self.seqdl("coverage", "--help")
        self.assertIn("Examples:", r.stdout.decode())
        self.assertIn("--shift 4,-4", r.stdout.decode())


if __name__ == "__main__":
    main()
