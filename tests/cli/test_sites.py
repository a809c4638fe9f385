"""seqdl sites: splice sites and introns from real annotations (../shared/data korflab sets: 1% genomes of
C. elegans, A. thaliana, D. melanogaster; 921 C. elegans small-gene loci), checked against a derivation
written here from the GFF3 alone (not seqdl's code), against the genome's dinucleotides, and on bad input."""
import collections
import gzip
import os
import unittest
from urllib.parse import unquote

from seqdl_test import CliTest, fixture, main, read_text, shared, write_text

GENOMES = {
    "celegans": ("korflab_1pct_genomes", "celegans", "celegans_WS282_1pct"),
    "athaliana": ("korflab_1pct_genomes", "athaliana", "athaliana_TAIR10_1pct"),
    "dmelanogaster": ("korflab_1pct_genomes", "dmelanogaster", "dmelanogaster_r6_1pct"),
}
COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def revcomp(s):
    return s.translate(COMPLEMENT)[::-1]


def dataset(name):
    """(gff3, fasta) of a korflab set, or skip."""
    if name == "smallgenes":
        return (shared("korflab_celegans_smallgenes", "smallgenes_all.gff3"),
                shared("korflab_celegans_smallgenes", "smallgenes_all.fa"))
    folder, species, stem = GENOMES[name]
    return shared(folder, species, stem + ".gff3"), shared(folder, species, stem + ".fa")


def read_genome(path):
    seqs, name = {}, None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith(">"):
                name = line[1:].split()[0]
                seqs[name] = []
            elif line:
                seqs[name].append(line)
    return {k: "".join(v).upper() for k, v in seqs.items()}


class Reference:
    """Transcripts from a GFF3 the plain way: every Parent of an `exon` line is a transcript; its gene is the top
    of its Parent chain. Exclusions follow docs/splice.md (exons outside the declared transcript or gene, other
    strand or contig, overlapping/touching exons, no strand, duplicate ids, strand conflicts with the gene)."""

    def __init__(self, gff):
        self.features, self.copies, exons = {}, collections.Counter(), collections.defaultdict(list)
        self.junction_rows = []
        with open(gff) as f:
            for line in f:
                line = line.rstrip("\r\n")
                if line.startswith("##FASTA"):
                    break
                if not line or line.startswith("#"):
                    continue
                c = line.split("\t")
                attrs = {}
                for kv in c[8].split(";"):
                    if kv.strip():
                        k, v = kv.strip().split("=", 1)
                        attrs[k] = [unquote(x) for x in v.split(",")]
                start, end, strand = int(c[3]) - 1, int(c[4]), c[6]
                if "ID" in attrs:
                    fid = attrs["ID"][0]
                    self.copies[fid] += 1
                    if fid not in self.features:
                        self.features[fid] = (c[2], c[0], strand, start, end, attrs.get("Parent", [""])[0])
                if c[2] == "exon":
                    for p in attrs.get("Parent", []):
                        exons[p].append((c[0], strand, start, end))
                if c[2] == "intron" and "Parent" not in attrs and c[5] != ".":
                    self.junction_rows.append((c[1], c[0], start, end, strand, float(c[5])))
        self.transcripts, self.excluded = {}, set()
        for tid, ex in exons.items():
            t = self.build(tid, sorted(ex, key=lambda e: (e[2], e[3])))
            if t is None:
                self.excluded.add(tid)
            else:
                self.transcripts[tid] = t

    def gene_of(self, tid):
        f = self.features.get(tid)
        root = f[5] if f else ""
        seen = 0
        while root and root in self.features and self.features[root][5] and seen < 64:
            root, seen = self.features[root][5], seen + 1
        return root or tid

    def build(self, tid, ex):
        f = self.features.get(tid)
        chrom, strand = (f[1], f[2]) if f else (ex[0][0], ex[0][1])
        span = (f[3], f[4]) if f else (ex[0][2], max(e[3] for e in ex))
        gene = self.gene_of(tid)
        g = self.features.get(gene) if gene != tid else None
        if self.copies[tid] > 1 or (g and self.copies[gene] > 1):
            return None
        if any(e[0] != chrom or e[1] != strand for e in ex) or strand not in "+-":
            return None
        if any(e[2] < span[0] or e[3] > span[1] for e in ex):
            return None
        if g and (g[1] != chrom or span[0] < g[3] or span[1] > g[4] or (g[2] in "+-" and g[2] != strand)):
            return None
        if any(ex[i][2] <= ex[i - 1][3] for i in range(1, len(ex))):
            return None
        return {"chrom": chrom, "strand": strand, "gene": gene, "exons": [(e[2], e[3]) for e in ex],
                "span": span}

    def canonical(self):
        best = {}
        for tid, t in self.transcripts.items():
            length = sum(e - s for s, e in t["exons"])
            key = (-length, tid)
            if t["gene"] not in best or key < best[t["gene"]][0]:
                best[t["gene"]] = (key, tid)
        return {tid for _, tid in best.values()}

    def introns(self, keep=None):
        """{(chrom, start, end, strand): sorted transcript ids}"""
        out = collections.defaultdict(set)
        for tid, t in self.transcripts.items():
            if keep is not None and tid not in keep:
                continue
            ex = t["exons"]
            for i in range(1, len(ex)):
                out[(t["chrom"], ex[i - 1][1], ex[i][0], t["strand"])].add(tid)
        return {k: sorted(v) for k, v in out.items()}

    @staticmethod
    def sites(introns):
        """{(chrom, position, strand, class): transcript ids} by SpliceAI's convention."""
        out = collections.defaultdict(set)
        for (chrom, s, e, strand), ids in introns.items():
            donor, acceptor = (s - 1, e) if strand == "+" else (e, s - 1)
            out[(chrom, donor, strand, "donor")].update(ids)
            out[(chrom, acceptor, strand, "acceptor")].update(ids)
        return {k: sorted(v) for k, v in out.items()}


def motif(genome, chrom, s, e, strand):
    seq = genome[chrom][s:e]
    if strand == "-":
        seq = revcomp(seq)
    pair = (seq[:2], seq[-2:])
    return {("GT", "AG"): "GT-AG", ("GC", "AG"): "GC-AG", ("AT", "AC"): "AT-AC"}.get(pair, "other")


def read_sites_bed(path):
    out = {}
    for line in read_text(path).splitlines():
        c = line.split("\t")
        assert len(c) == 6, line
        cls, ids = c[3].split(":", 1)
        assert int(c[2]) == int(c[1]) + 1
        key = (c[0], int(c[1]), c[5], cls)
        assert key not in out, f"duplicate site {key}"
        out[key] = ids.split(",") if not ids.startswith("reads=") else ids
        if isinstance(out[key], list):
            assert int(c[4]) == len(out[key]), line
    return out


def read_introns_bed(path):
    out = {}
    for line in read_text(path).splitlines():
        c = line.split("\t")
        out[(c[0], int(c[1]), int(c[2]), c[5])] = c
    return out


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


if __name__ == "__main__":
    main()
