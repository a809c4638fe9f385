"""seqdl sites: splice sites and introns from real annotations (../shared/data korflab sets: 1% genomes of
C. elegans, A. thaliana, D. melanogaster; 921 C. elegans small-gene loci), checked against a derivation
written here from the GFF3 alone (not seqdl's code), against the genome's dinucleotides, and on bad input."""
import collections
import gzip

from seqdl_test import CliTest, fixture, main, read_text, shared, write_text
from splice_reference import Reference, motif, read_genome, read_introns_bed, read_sites_bed, revcomp

GENOMES = {
    "celegans": ("korflab_1pct_genomes", "celegans", "celegans_WS282_1pct"),
    "athaliana": ("korflab_1pct_genomes", "athaliana", "athaliana_TAIR10_1pct"),
    "dmelanogaster": ("korflab_1pct_genomes", "dmelanogaster", "dmelanogaster_r6_1pct"),
}


def dataset(name):
    """(gff3, fasta) of a korflab set, or skip."""
    if name == "smallgenes":
        return (shared("korflab_celegans_smallgenes", "smallgenes_all.gff3"),
                shared("korflab_celegans_smallgenes", "smallgenes_all.fa"))
    folder, species, stem = GENOMES[name]
    return shared(folder, species, stem + ".gff3"), shared(folder, species, stem + ".fa")


class SitesTest(CliTest):
    def derive(self, name, *extra, introns=False):
        gff, fa = dataset(name)
        out = self.path(f"{name}.{'introns' if introns else 'sites'}.bed")
        r = self.seqdl("sites", "--annotation", gff, "--genome", fa, "-o", out, *(["--introns"] if introns else []),
                       *extra)
        return out, r.stderr.decode()

    def check_species(self, name):
        gff, fa = dataset(name)
        ref = Reference(gff)
        genome = read_genome(fa)
        out, log = self.derive(name)
        got = read_sites_bed(out)
        expected = Reference.sites(ref.introns())
        self.assertEqual(got, expected)
        # Every donor at an annotated exon end, every acceptor at an exon start (transcribed strand).
        for (chrom, pos, strand, cls), ids in got.items():
            for tid in ids:
                ex = ref.transcripts[tid]["exons"]
                ends = {e - 1 for s, e in ex} if (cls == "donor") == (strand == "+") else {s for s, e in ex}
                self.assertIn(pos, ends, f"{cls} {chrom}:{pos} {strand} is not at an exon boundary of {tid}")
        # >= 98% canonical dinucleotides, read here from the genome.
        donors = [(c, p, s) for (c, p, s, k) in got if k == "donor"]
        acceptors = [(c, p, s) for (c, p, s, k) in got if k == "acceptor"]
        gt = sum((genome[c][p + 1:p + 3] if s == "+" else revcomp(genome[c][p - 2:p])) in ("GT", "GC")
                 for c, p, s in donors)
        ag = sum((genome[c][p - 2:p] if s == "+" else revcomp(genome[c][p + 1:p + 3])) == "AG"
                 for c, p, s in acceptors)
        self.assertGreaterEqual(gt / len(donors), 0.98, name)
        self.assertGreaterEqual(ag / len(acceptors), 0.98, name)
        # The summary's numbers.
        genes = {t["gene"] for t in ref.transcripts.values()}
        self.assertIn(f"{len(genes):,} genes, {len(ref.transcripts):,} transcripts", log)
        self.assertIn(f"{len(acceptors):,} acceptors, {len(donors):,} donors", log)
        self.assertIn(f"donors GT/GC {100 * gt / len(donors):.1f}%, acceptors AG {100 * ag / len(acceptors):.1f}%", log)
        # Introns: the same set, transcripts and motifs.
        out, _ = self.derive(name, introns=True)
        got_introns = read_introns_bed(out)
        ref_introns = ref.introns()
        self.assertEqual(set(got_introns), set(ref_introns))
        for key, cols in got_introns.items():
            self.assertEqual(cols[3].split(","), ref_introns[key])
            self.assertEqual(int(cols[4]), len(ref_introns[key]))
            self.assertEqual(cols[6], motif(genome, *key))
            self.assertEqual(int(cols[7]), len(ref_introns[key]))
        counts = collections.Counter(motif(genome, *k) for k in ref_introns)
        print(f"{name}: {len(genes)} genes, {len(ref.transcripts)} transcripts, {len(acceptors)} acceptors, "
              f"{len(donors)} donors, {len(ref_introns)} introns {dict(counts)}; donors GT/GC "
              f"{100 * gt / len(donors):.2f}%, acceptors AG {100 * ag / len(acceptors):.2f}%; excluded "
              f"{len(ref.excluded)}")

    def test_celegans(self):
        self.check_species("celegans")

    def test_athaliana(self):
        self.check_species("athaliana")

    def test_dmelanogaster(self):
        self.check_species("dmelanogaster")

    def test_smallgenes(self):
        self.check_species("smallgenes")

    def test_canonical_keeps_the_longest_transcript_per_gene(self):
        for name in ("smallgenes", "dmelanogaster"):
            gff, _ = dataset(name)
            ref = Reference(gff)
            keep = ref.canonical()
            out, log = self.derive(name, "--canonical")
            got = read_sites_bed(out)
            self.assertEqual(got, Reference.sites(ref.introns(keep)))
            seen = {tid for ids in got.values() for tid in ids}
            genes = collections.Counter(ref.transcripts[t]["gene"] for t in seen)
            self.assertEqual(max(genes.values()), 1, f"{name}: a gene kept two transcripts")
            self.assertIn(f"{len(ref.transcripts) - len(keep):,} not selected", log)
            multi = [g for g, n in collections.Counter(t["gene"] for t in ref.transcripts.values()).items() if n > 1]
            self.assertGreater(len(multi), 10, f"{name}: too few multi-isoform genes for the test to mean anything")

    def junction_expectation(self, ref, source, min_count):
        reads = collections.Counter()
        for src, chrom, s, e, strand, n in ref.junction_rows:
            if src == source and strand in "+-":
                reads[(chrom, s, e, strand)] += n
        return {k: n for k, n in reads.items() if n >= min_count}

    def test_junction_evidence_from_gff_and_bed(self):
        gff, fa = dataset("celegans")
        ref = Reference(gff)
        annotated = ref.introns()
        evidence = self.junction_expectation(ref, "RNASeq_splice", 5)
        out, log = self.derive("celegans", "--junctions", gff, "--junction-source", "RNASeq_splice")
        got = read_sites_bed(out)
        expected = dict(Reference.sites(annotated))
        only = {k: v for k, v in evidence.items() if k not in annotated}
        extra = collections.Counter()
        for (chrom, s, e, strand), n in only.items():
            donor, acceptor = (s - 1, e) if strand == "+" else (e, s - 1)
            for key in ((chrom, donor, strand, "donor"), (chrom, acceptor, strand, "acceptor")):
                if key not in expected:
                    extra[key] += n
        for key, n in extra.items():
            expected[key] = "reads=" + (str(int(n)) if n == int(n) else repr(n))
        self.assertEqual(set(got), set(expected))
        self.assertEqual(got, expected)
        matched = sum(1 for k in evidence if k in annotated)
        self.assertIn(f"{len(evidence):,} introns with >= 5 reads: {matched:,} annotated, {len(only):,} added", log)
        self.assertGreater(len(only), 100)
        # --introns carries the reads; the default minimum is 5, and --min-count changes it.
        out, _ = self.derive("celegans", "--junctions", gff, "--junction-source", "RNASeq_splice", introns=True)
        rows = read_introns_bed(out)
        self.assertEqual(len(rows), len(set(annotated) | set(only)))
        for key, n in evidence.items():
            self.assertEqual(float(rows[key][8]), n)
            self.assertEqual(rows[key][3] == "junction", key not in annotated)
        out, _ = self.derive("celegans", "--junctions", gff, "--junction-source", "RNASeq_splice", "--min-count",
                             "100", introns=True)
        strong = self.junction_expectation(ref, "RNASeq_splice", 100)
        self.assertEqual(len(read_introns_bed(out)), len(set(annotated) | set(strong)))
        # The same evidence as a BED of intron bases (0-based half-open, count in column 5) gives the same sites.
        bed = self.path("junctions.bed")
        write_text(bed, "".join(f"{c}\t{s}\t{e}\tj\t{n}\t{st}\n" for src, c, s, e, st, n in ref.junction_rows
                                if src == "RNASeq_splice"))
        out_bed, _ = self.derive("celegans", "--junctions", bed)
        self.assertEqual(read_text(out_bed), read_text(self.path("celegans.sites.bed")))

    def test_gtf_gives_what_gff3_gives(self):
        gff, fa = dataset("dmelanogaster")
        ref = Reference(gff)
        lines = []
        for tid, t in sorted(ref.transcripts.items()):
            a = f'gene_id "{t["gene"]}"; transcript_id "{tid}";'
            lines.append(f'{t["chrom"]}\tFlyBase\ttranscript\t{t["span"][0] + 1}\t{t["span"][1]}\t.\t{t["strand"]}\t.\t{a}')
            for s, e in reversed(t["exons"]):
                lines.append(f'{t["chrom"]}\tFlyBase\texon\t{s + 1}\t{e}\t.\t{t["strand"]}\t.\t{a}')
        gtf = self.path("genes.gtf.gz")
        with gzip.open(gtf, "wt") as f:
            f.write("\n".join(lines) + "\n")
        self.seqdl("sites", "-a", gtf, "-g", fa, "-o", self.path("gtf.bed"))
        gff_out, _ = self.derive("dmelanogaster")
        self.assertEqual(read_text(self.path("gtf.bed")), read_text(gff_out))

    def test_fixture_genes_stdout_chroms_and_unsorted_input(self):
        gff = fixture("splice", "genes.gff3")
        r = self.seqdl("sites", "-a", gff, "-o", "-")
        rows = [line.split("\t") for line in r.stdout.decode().splitlines()]
        # Both strands of the overlapping G1 (+) and G4 (-) are there; minus-strand sites as worked out by hand.
        self.assertEqual([(c[1], c[3], c[5]) for c in rows if c[5] == "-"],
                         [("54", "acceptor:T4", "-"), ("65", "donor:T4", "-"), ("119", "acceptor:T3", "-"),
                          ("130", "donor:T3", "-"), ("149", "acceptor:T3", "-"), ("160", "donor:T3", "-")])
        self.assertEqual(len(rows), 12)
        self.assertIn("5 genes, 6 transcripts (5 spliced)", r.stderr.decode())
        self.assertIn("no --genome", r.stderr.decode())
        body = [line for line in read_text(gff).splitlines() if not line.startswith("#")]
        shuffled = write_text(self.path("shuffled.gff3"), "\n".join(body[::-1] + [""]))
        self.assertEqual(self.seqdl("sites", "-a", shuffled, "-o", "-").stdout, r.stdout)
        none = self.seqdl("sites", "-a", gff, "--chroms", "chrOther", "-o", "-")
        self.assertEqual(none.stdout, b"")
        self.assertIn("no transcripts or sites on chrOther", none.stderr.decode())
        h = self.seqdl("sites", "--help").stdout.decode()
        self.assertIn("Examples:", h)
        self.assertIn("seqdl sites --annotation genes.gff3 --genome g.fa -o sites.bed", h)

    def test_every_warned_case_is_counted(self):
        good = ("chrS\tt\tgene\t101\t180\t.\t-\t.\tID=GG\n"
                "chrS\tt\tmRNA\t101\t180\t.\t-\t.\tID=GOOD;Parent=GG\n"
                "chrS\tt\texon\t101\t120\t.\t-\t.\tParent=GOOD\nchrS\tt\texon\t161\t180\t.\t-\t.\tParent=GOOD\n")

        def tx(tid, span, exons, strand="+", chrom="chrS", gene=None, gene_span="1\t200", gene_strand=None):
            g = gene or "G" + tid
            out = f"{chrom}\tt\tgene\t{gene_span}\t.\t{gene_strand or strand}\t.\tID={g}\n"
            out += f"{chrom}\tt\tmRNA\t{span}\t.\t{strand}\t.\tID={tid};Parent={g}\n"
            for s, e, *st in exons:
                out += f"{chrom}\tt\texon\t{s}\t{e}\t.\t{st[0] if st else strand}\t.\tParent={tid}\n"
            return out

        bad = {
            "exon-outside-transcript": tx("A", "11\t50", [(11, 20), (41, 60)]),
            "transcript-outside-gene": tx("B", "11\t60", [(11, 20), (41, 60)], gene_span="11\t40"),
            "exon-off-transcript": tx("C", "11\t60", [(11, 20), (41, 60, "-")]),
            "overlapping-exons": tx("D", "11\t60", [(11, 30), (25, 60)]),
            "no-strand": tx("E", "11\t60", [(11, 20), (41, 60)], strand="."),
            "gene-strand-conflict": tx("F", "11\t60", [(11, 20), (41, 60)], strand="-", gene_strand="+"),
            "missing-contig": tx("H", "11\t60", [(11, 20), (41, 60)], chrom="chrZ"),
            "outside-contig": tx("I", "11\t260", [(11, 20), (241, 260)], gene_span="1\t260"),
            "duplicate-id": tx("J", "11\t60", [(11, 20), (41, 60)]) + "chrS\tt\tmRNA\t11\t60\t.\t+\t.\tID=J;Parent=GJ\n",
            "exon-without-transcript": "chrS\tt\texon\t11\t20\t.\t+\t.\tID=lonely\n",
            "implied-parent": "chrS\tt\texon\t11\t20\t.\t+\t.\tParent=K\nchrS\tt\texon\t41\t60\t.\t+\t.\tParent=K\n",
        }
        gff = write_text(self.path("bad.gff3"), good + "".join(bad.values()))
        r = self.seqdl("sites", "-a", gff, "-g", fixture("splice", "genome.fa"), "-o", self.path("out.bed"))
        log = r.stderr.decode()
        for kind in bad:
            lines = [line for line in log.splitlines() if f"[{kind}]" in line]
            self.assertEqual(len(lines), 1, f"{kind} not reported once:\n{log}")
            self.assertRegex(lines[0], r"\] (warning: )?1 .*bad\.gff3:\d+: ", lines[0])
        names = {line.split("\t")[3] for line in read_text(self.path("out.bed")).splitlines()}
        self.assertEqual(names, {"donor:GOOD", "acceptor:GOOD", "donor:K", "acceptor:K"})
        self.assertIn("9 excluded by the checks", log)
        # A GTF exon without transcript_id: counted, the rest read.
        gtf = write_text(self.path("x.gtf"), 'chrS\tt\texon\t11\t20\t.\t+\t.\tgene_id "G";\n'
                                             'chrS\tt\texon\t11\t20\t.\t+\t.\tgene_id "G"; transcript_id "T";\n'
                                             'chrS\tt\texon\t41\t60\t.\t+\t.\tgene_id "G"; transcript_id "T";\n')
        r = self.seqdl("sites", "-a", gtf, "-o", "-")
        self.assertIn("1 exons without a transcript", r.stderr.decode())
        self.assertIn("x.gtf:1: exon without transcript_id", r.stderr.decode())
        self.assertEqual(r.stdout.decode(), "chrS\t19\t20\tdonor:T\t1\t+\nchrS\t40\t41\tacceptor:T\t1\t+\n")

    def test_rejected_inputs(self):
        fa = fixture("splice", "genome.fa")
        out = self.path("out.bed")
        line = "chrS\tt\texon\t11\t20\t.\t+\t.\tParent=T\n"
        cases = [
            (line + "chrS\tt\texon\t11\t20\t.\t+\t.\n", r"bad\.gff3:2: expected 9 tab-separated columns"),
            (line.replace("\t11\t", "\televen\t"), r"bad\.gff3:1: start: expected an integer, found 'eleven'"),
            (line.replace("\t11\t20\t", "\t30\t20\t"), r"bad\.gff3:1: start 30 is after end 20"),
            (line.replace("\t+\t", "\tforward\t"), r"bad\.gff3:1: strand 'forward' is not one of \+ - \. \?"),
            ("##gff-version 3\n" + line.replace("Parent=T", "Parent"), r"bad\.gff3:2: GFF3 attribute 'Parent' has no"),
            ("chrS\tt\tgene\t11\t20\t.\t+\t.\tID=G\n", r"bad\.gff3: no exon features"),
        ]
        for text, pattern in cases:
            gff = write_text(self.path("bad.gff3"), text)
            self.assert_error("sites", "-a", gff, "-o", out, command="sites", pattern=pattern, outputs=[out])
        gtf = write_text(self.path("bad.gtf"), 'chrS\tt\texon\t11\t20\t.\t+\t.\tgene_id "G; transcript_id "T";\n')
        self.assert_error("sites", "-a", gtf, "-o", out, command="sites", pattern=r"bad\.gtf:1: GTF attribute",
                          outputs=[out])
        gff = fixture("splice", "genes.gff3")
        self.assert_error("sites", "-a", self.path("absent.gff3"), "-o", out, command="sites",
                          pattern=r"cannot open .*absent\.gff3", outputs=[out])
        self.assert_error("sites", "-a", gff, "--introns", "-o", out, command="sites",
                          pattern=r"--introns needs --genome", outputs=[out])
        self.assert_error("sites", "-a", gff, "-g", fa, "--chroms", "chrZ", "-o", out, command="sites",
                          pattern=r"--chroms: chrZ is not a contig of", outputs=[out])
        bed = write_text(self.path("j.bed"), "chrS\t30\t40\tj\tmany\t+\n")
        self.assert_error("sites", "-a", gff, "--junctions", bed, "-o", out, command="sites",
                          pattern=r"j\.bed:1: column 5 should be the read count", outputs=[out])
        self.assert_error("sites", "-a", gff, "--min-count", "-1", "-o", out, command="sites", pattern="--min-count",
                          outputs=[out])


if __name__ == "__main__":
    main()
