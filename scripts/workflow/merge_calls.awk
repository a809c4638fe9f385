# Joins the BED calls of `seqdl predict --shard K/N --format bed` (chrom start end task peak . peak_offset), with
# the shards concatenated in order, into the calls one unsharded scan writes. Shards are contiguous runs of bins
# in genome order, so a call that crosses a shard boundary arrives as two calls on the same contig and task, the
# first ending exactly where the second starts (two calls of one scan never touch: touching bins are one call).
# The joined call keeps the higher peak (the first on a tie, as seqdl does) and its offset from the new start.
# Every other line passes through unchanged, byte for byte.
#   cat shard1.bed shard2.bed ... | awk -f merge_calls.awk > calls.bed
BEGIN { FS = OFS = "\t" }

function flush() {
  if (open) print chrom, start, end, name, peak, strand, offset
  open = 0
}

open && $1 == chrom && $4 == name && $2 + 0 == end + 0 {
  if ($5 + 0 > peak + 0) {
    peak = $5
    offset = $2 - start + $7
  }
  end = $3
  next
}

{
  flush()
  chrom = $1; start = $2; end = $3; name = $4; peak = $5; strand = $6; offset = $7
  open = 1
}

END { flush() }
