"""seqdl encode end to end: outputs checked with numpy against an independent one-hot of the same bases
(read back through samtools where the input is a genome or alignments), and every rejected input."""
import gzip
import os
import shutil
import subprocess

import numpy as np

from seqdl_test import CliTest, fit, fixture, main, one_hot, read_bytes, read_fasta, read_text, shared, write_text

class Encode(CliTest):
    def encode(self, *args, out="x.npy"):
        self.seqdl("encode", *args, "-o", self.path(out))
        ids = read_text(self.path(out[:-4] + ".ids.txt")).split("\n")[:-1]
        return np.load(self.path(out)), ids

    def test_fasta_matches_an_independent_one_hot(self):
        recs = read_fasta(fixture("tiny.fa"))
        x, ids = self.encode(fixture("tiny.fa"), "--length", 12)
        self.assertEqual(x.shape, (3, 4, 12))
        self.assertEqual(x.dtype, np.float32)
        self.assertEqual(ids, [r[0] for r in recs])
        for i, (_, seq) in enumerate(recs):
            np.testing.assert_array_equal(x[i], one_hot(fit(seq, 12)))

    def test_uint8_and_reverse_complement(self):
        x, _ = self.encode(fixture("tiny.fa"), "--length", 16, "--dtype", "uint8")
        self.assertEqual(x.dtype, np.uint8)
        f, _ = self.encode(fixture("tiny.fa"), "--length", 16, out="f.npy")
        np.testing.assert_array_equal(x.astype(np.float32), f)
        rc, _ = self.encode(fixture("tiny.fa"), "--length", 16, "--reverse-complement", out="rc.npy")
        np.testing.assert_array_equal(rc, f[:, ::-1, ::-1])  # channels A,C,G,T reversed = complement

    def test_unknown_modes(self):
        path = self.path("n.fa")
        write_text(path, ">a\nNRAC\n")
        x, _ = self.encode(path, "--unknown", "iupac")
        np.testing.assert_allclose(x[0][:, 0], [0.25] * 4)
        np.testing.assert_allclose(x[0][:, 1], [0.5, 0, 0.5, 0])
        x, _ = self.encode(path, "--unknown", "uniform", out="u.npy")
        np.testing.assert_allclose(x[0][:, 1], [0.25] * 4)

    def test_stdin_and_gzip(self):
        data = read_bytes(fixture("tiny.fq"))
        self.seqdl("encode", "-", "--length", 9, "-o", self.path("s.npy"), stdin=data)
        x = np.load(self.path("s.npy"))
        self.assertEqual(x.shape, (2, 4, 9))
        gz = self.path("t.fa.gz")
        with gzip.open(gz, "wb") as f:
            f.write(read_bytes(fixture("tiny.fa")))
        y, _ = self.encode(gz, "--length", 12, out="g.npy")
        z, _ = self.encode(fixture("tiny.fa"), "--length", 12, out="p.npy")
        np.testing.assert_array_equal(y, z)

    def test_genome_regions_match_samtools_faidx(self):
        genome = shared("korflab_1pct_genomes", "celegans", "celegans_WS282_1pct.fa")
        fai = [l.split("\t") for l in read_text(genome + ".fai").splitlines()]
        bed = self.path("r.bed")
        with open(bed, "w") as f:
            for name, length, *_ in fai[:4]:
                f.write(f"{name}\t1000\t1200\n{name}\t{int(length) - 500}\t{int(length) - 300}\n")
        x, ids = self.encode(genome, "--regions", bed)
        self.assertEqual(x.shape, (8, 4, 200))
        for i, rid in enumerate(ids):
            out = subprocess.run(["samtools", "faidx", genome, rid], capture_output=True, text=True, check=True).stdout
            seq = "".join(out.split("\n")[1:])
            np.testing.assert_array_equal(x[i], one_hot(seq), rid)
        # Resized windows take real flanking bases around the centre, not N.
        w, _ = self.encode(genome, "--regions", bed, "--length", 300, out="w.npy")
        name = fai[0][0]
        out = subprocess.run(["samtools", "faidx", genome, f"{name}:951-1250"], capture_output=True, text=True).stdout
        np.testing.assert_array_equal(w[0], one_hot("".join(out.split("\n")[1:])))

    def test_bam_reads_match_samtools_view(self):
        bam = shared("samtools_ex1", "ex1.bam")
        x, ids = self.encode(bam, "--region", "seq1:100-300", "--length", 35)
        view = subprocess.run(["samtools", "view", "-F", "0x900", bam, "seq1:100-300"], capture_output=True,
                              text=True, check=True).stdout.splitlines()
        self.assertEqual(len(ids), len(view))
        for i, line in enumerate(view):
            cols = line.split("\t")
            self.assertEqual(ids[i], cols[0])
            np.testing.assert_array_equal(x[i], one_hot(fit(cols[9], 35)))

    def test_cram_needs_and_uses_its_reference(self):
        cram = shared("freebayes_tiny_na12878", "NA12878.chr22.tiny.cram")
        ref = shared("freebayes_tiny_na12878", "q.fa")
        bam = shared("freebayes_tiny_na12878", "NA12878.chr22.tiny.bam")
        self.assert_error("encode", cram, "--length", 100, "-o", self.path("c.npy"), command="encode",
                          pattern=r"is CRAM: give the reference FASTA", outputs=[self.path("c.npy")])
        c, _ = self.encode(cram, "--reference", ref, "--length", 100, "--min-mapq", 20, out="c.npy")
        b, _ = self.encode(bam, "--length", 100, "--min-mapq", 20, out="b.npy")
        np.testing.assert_array_equal(c, b)

    def test_help_has_the_issue_examples(self):
        out = self.seqdl("encode", "--help").stdout.decode()
        self.assertIn("seqdl encode genome.fa --regions", out)
        self.assertIn("--dtype", out)


class EncodeRejects(CliTest):
    """Every malformed input: exit 2, one line naming the file and line or record, no output left."""

    def reject(self, *args, pattern):
        out = self.path("x.npy")
        self.assert_error("encode", *args, "-o", out, command="encode", pattern=pattern,
                          outputs=[out, self.path("x.ids.txt")])

    def write(self, name, content, mode="w"):
        with open(self.path(name), mode) as f:
            f.write(content)
        return self.path(name)

    def test_truncated_gzip(self):
        raw = gzip.compress(b"".join(b">r%d\n%s\n" % (i, b"ACGT" * 50) for i in range(3000)))
        self.reject(self.write("t.fa.gz", raw[: len(raw) // 2], "wb"), pattern=r"t\.fa\.gz: corrupt or truncated")

    def test_truncated_bgzf(self):
        plain = self.write("b.fa", "".join(f">r{i}\n{'ACGT' * 50}\n" for i in range(3000)))
        subprocess.run(["bgzip", "-f", plain], check=True)
        raw = read_bytes(plain + ".gz")
        self.reject(self.write("t.fa.gz", raw[: len(raw) // 2], "wb"), pattern=r"t\.fa\.gz: corrupt or truncated")

    def test_fasta_without_header(self):
        self.reject(self.write("h.fa", "ACGT\nACGT\n"), pattern=r"h\.fa:1: expected a FASTA header")

    def test_empty_record(self):
        self.reject(self.write("e.fa", ">a\nACGT\n>b\n>c\nAC\n"), pattern=r"e\.fa:3: record 'b' has no sequence")

    def test_fastq_quality_length(self):
        self.reject(self.write("q.fq", "@r1\nACGT\n+\nIIII\n@r2\nACGT\n+\nIII\n"),
                    pattern=r"q\.fq:8: FASTQ record 'r2' has 4 bases but 3 quality values")

    def test_binary_file_as_fasta(self):
        self.reject(self.write("img.fa", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "wb"),
                    pattern=r"img\.fa")

    def test_bam_named_fasta_is_read_as_what_it_is(self):
        # Content decides, not the name: a BAM renamed .fa is read as alignments.
        bam = shared("samtools_ex1", "ex1.bam")
        shutil.copy(bam, self.path("reads.fa"))
        self.seqdl("encode", self.path("reads.fa"), "--length", 35, "-o", self.path("r.npy"))

    def test_bed_start_after_end(self):
        fa = self.write("g.fa", ">chr1\n" + "ACGT" * 50 + "\n")
        self.reject(fa, "--regions", self.write("r.bed", "chr1\t10\t20\nchr1\t50\t40\n"),
                    pattern=r"r\.bed:2: start 50 is after end 40")

    def test_bed_non_numeric(self):
        fa = self.write("g.fa", ">chr1\n" + "ACGT" * 50 + "\n")
        self.reject(fa, "--regions", self.write("r.bed", "chr1\tten\t20\n"),
                    pattern=r"r\.bed:1: start: expected an integer, found 'ten'")

    def test_unknown_contig(self):
        fa = self.write("g.fa", ">chr1\n" + "ACGT" * 50 + "\n")
        self.reject(fa, "--regions", "chrZ:1-50", pattern=r"unknown contig 'chrZ'")
        self.reject(fa, "--regions", self.write("r.bed", "chr1\t1\t5\nchr9\t1\t5\n"),
                    pattern=r"r\.bed:2: unknown contig 'chr9'")

    def test_region_past_contig_end(self):
        fa = self.write("g.fa", ">chr1\n" + "ACGT" * 50 + "\n")
        self.reject(fa, "--regions", "chr1:150-250", pattern=r"runs past the end of chr1 \(200 bp\)")

    def test_plain_gzip_genome_needs_bgzip(self):
        gz = self.path("g.fa.gz")
        with gzip.open(gz, "wt") as f:
            f.write(">chr1\n" + "ACGT" * 50 + "\n")
        self.reject(gz, "--regions", "chr1:1-10", pattern=r"g\.fa\.gz is gzip-compressed.*bgzip")

    def test_unindexed_genome_in_read_only_folder(self):
        ro = self.path("ro")
        os.mkdir(ro)
        fa = write_text(os.path.join(ro, "g.fa"), ">chr1\nACGTACGT\n")
        os.chmod(ro, 0o555)
        out = self.path("x.npy")
        r = self.run_unprivileged("encode", fa, "--regions", "chr1:1-4", "-o", out)
        err = r.stderr.decode()
        self.assertEqual(r.returncode, 2, err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertRegex(err, r"^seqdl encode: error: .*has no index .* folder is not writable")
        self.assertFalse(os.path.exists(out))

    def test_table_missing_column(self):
        self.reject(fixture("labels.tsv"), "--sequence-column", "sequence",
                    pattern=r"--sequence-column names column 'sequence', but the table's columns are: id, seq")

    def test_lengths_differ_without_length(self):
        self.reject(fixture("tiny.fa"), pattern=r"'seq2' is 16 bp .* give --length")

    def test_bad_option_values(self):
        self.reject(fixture("tiny.fa"), "--length", "0", pattern=r"--length: expected an integer >= 1")
        self.reject(fixture("tiny.fa"), "--dtype", "float64", pattern=r"--dtype")
        self.reject(fixture("tiny.fa"), "--dtype", "uint8", "--unknown", "iupac", "--length", 5,
                    pattern=r"--dtype uint8 holds 0/1 only")
        self.reject(self.path("missing.fa"), pattern=r"cannot open .*missing\.fa")


if __name__ == "__main__":
    main()
