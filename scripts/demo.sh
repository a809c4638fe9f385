#!/usr/bin/env bash
# Quick-start command 1: install what is missing, build, and run seqdl's main job on the bundled example
# (data/example: 2,000 simulated 200-bp sequences, half carrying a CTCF-like motif; see data/README.md):
# train a model, evaluate it with an HTML report, find what it learned as motifs, explain a few sequences,
# and scan a sequence set with it. Results go to demo-output/ (or $SEQDL_DEMO_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build_dir=$(scripts/build.sh seqdl)
seqdl="$build_dir/apps/seqdl/seqdl"
out=${SEQDL_DEMO_DIR:-demo-output}
mkdir -p "$out"
step() { printf '\n== %s\n' "$*" >&2; }

step "seqdl on this machine"
"$seqdl" info --system

step "train: DeepBind on the example (validation split held out, kept in $out/splits)"
"$seqdl" --seed 1 train --arch deepbind --length 200 --table data/example/labels.tsv.gz \
  --sequence-column sequence --label-columns label --rc-augment --epochs 20 --patience 4 \
  --save-splits "$out/splits" -o "$out/model.seqdl"
"$seqdl" info "$out/model.seqdl"

step "evaluate: the validation split, with an HTML report"
"$seqdl" evaluate --model "$out/model.seqdl" --table "$out/splits/valid.tsv" --report "$out/report.html" \
  -o "$out/metrics.tsv"
cut -f1-6 "$out/metrics.tsv" >&2

step "motifs: the first-layer filters, compared with the motif that was planted"
"$seqdl" motifs extract --model "$out/model.seqdl" --sequences data/example/pos.fa.gz --summary "$out/filters.tsv" \
  -o "$out/filters.meme"
"$seqdl" motifs compare "$out/filters.meme" --db data/example/motifs.meme --top 1 -o "$out/matches.tsv"
# The three most influential filters and their best match.
printf 'filter\tinfluence\tconsensus\tmatch\tsimilarity\tE-value\n' >&2
tail -n +2 "$out/filters.tsv" | sort -t$'\t' -k4,4gr | head -3 | while IFS=$'\t' read -r f _ _ influence consensus _; do
  awk -F'\t' -v f="$f" -v i="$influence" -v c="$consensus" '$1 == f {print f "\t" i "\t" c "\t" $3 "\t" $8 "\t" $10}' \
    "$out/matches.tsv" >&2
done

step "saliency and ISM: where the model looks in the first positives (logos and heatmaps in $out/)"
(zcat data/example/pos.fa.gz || true) | head -20 > "$out/first_positives.fa"  # zcat stops early: not an error
"$seqdl" saliency --model "$out/model.seqdl" --method integrated-gradients --steps 128 --plot "$out/logos" \
  -o "$out/attributions.npy" "$out/first_positives.fa"
"$seqdl" ism --model "$out/model.seqdl" --plot "$out/ism" -o "$out/ism.npy" "$out/first_positives.fa"

step "predict: every example sequence"
"$seqdl" predict --model "$out/model.seqdl" --sequences data/example/pos.fa.gz -o "$out/predictions.tsv"
head -4 "$out/predictions.tsv" >&2

printf '\nDone: open %s/report.html and %s/logos/*.svg\n' "$out" "$out" >&2
