#!/usr/bin/env bash
# Regenerates data/example/, the labelled set the demo trains on, with seqdl simulate: 2,000 sequences of
# 200 bp (GC 0.41), half of them positives carrying one instance of the CTCF-like motif of data/motifs.meme on
# either strand, fixed seed. The FASTA files and the label table are gzip-compressed (seqdl reads gzip) so that
# the repository stays small.
#   scripts/make_example_data.sh [SEQDL]      SEQDL: the seqdl binary (default: built with scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
seqdl=${1:-}
if [[ -z $seqdl ]]; then
  seqdl="$(scripts/build.sh seqdl)/apps/seqdl/seqdl"
fi

tmp=$(mktemp -d data/.example.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
"$seqdl" simulate --motifs data/motifs.meme --motif CTCF_like --n 2000 --length 200 --positives-fraction 0.5 \
  --gc 0.41 --seed 1 -o "$tmp/example"
gzip -9n "$tmp/example/pos.fa" "$tmp/example/neg.fa" "$tmp/example/labels.tsv"
rm -rf data/example
mv "$tmp/example" data/example
echo "data/example: $(du -sh data/example | cut -f1) ($(ls data/example | tr '\n' ' '))" >&2
