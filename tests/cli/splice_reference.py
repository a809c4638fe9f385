"""An independent derivation of splice sites and introns from a GFF3 (written from the file format and SpliceAI's
convention, not from seqdl's code), for the CLI tests of seqdl sites and of the commands built on its labels."""
import collections
from urllib.parse import unquote

from seqdl_test import read_text

COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def revcomp(s):
    return s.translate(COMPLEMENT)[::-1]


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
