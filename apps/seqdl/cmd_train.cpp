// seqdl train: labelled sequences -> a .seqdl model (the main job).

#include "commands.hpp"
#include "io/coverage_source.hpp"
#include "options.hpp"
#include "splice_options.hpp"
#include "torch_jobs.hpp"
#include "train/train.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {
namespace {

// --coverage and what goes with it: profile models (BPNet, ChromBPNet) and binned track regression. Returns the
// --shift text, parsed once the command runs.
std::shared_ptr<std::string> add_coverage_train_options(CLI::App* app, train::ProfileTrainOptions& p) {
  auto shift = std::make_shared<std::string>("0,0");
  const char* g = "Coverage models";
  app->add_option("--coverage", p.coverage.inputs, "Read coverage to predict: BAM/CRAM/SAM, BED/tagAlign, BEDPE, 10x "
                                                   "fragments (several: pooled), or bedGraph/bigWig tracks (one "
                                                   "combined, or plus minus); trains a profile model (docs/profile.md)")
      ->group(g);
  add_choice(app, "--coverage-format", p.coverage.format, io::kCoverageFormatChoices,
             "auto (from the name), bam, bed, bedpe, fragments, bedgraph, bigwig")->group(g);
  app->add_option("--shift", *shift, "Move 5' ends / cut sites by PLUS,MINUS bases (ATAC Tn5: 4,-4)")
      ->capture_default_str()->group(g);
  add_choice(app, "--strand", p.coverage.strands, io::kStrandModeChoices,
             "both (a profile per strand, BPNet) or combined (ATAC/DNase, ChromBPNet)")->group(g);
  app->add_option("--min-mapq", p.coverage.filter.min_mapq, "BAM: minimum mapping quality")
      ->check(integer_at_least(0))->group(g);
  app->add_option("--peaks", p.peaks, "Peak summits: narrowPeak (column 10) or a BED of summits")->group(g);
  app->add_option("--exclude", p.exclude, "Blacklist BED: windows touching it are skipped")->group(g);
  app->add_option("--task-name", p.task_name, "Name of the coverage task in the model's outputs")
      ->capture_default_str()->group(g);
  app->add_option("--control", p.control.inputs, "Control track (input or bias reads/tracks): not supported yet")
      ->group(g);
  app->add_option("--output-length", p.output_length, "Profile length (default: the architecture's, 1000 for bpnet)")
      ->check(integer_at_least(1))->group(g);
  app->add_option("--jitter", p.jitter, "Training windows move by up to this many bases")
      ->check(integer_at_least(0))->capture_default_str()->group(g);
  app->add_flag("--no-rc-augment{false}", p.rc, "Do not reverse-complement half of the training windows")->group(g);
  app->add_option("--counts-weight", p.counts_weight, "lambda of the counts MSE: auto (median training-peak total / 10, "
                                                      "ChromBPNet's rule) or a number")
      ->capture_default_str()->group(g);
  app->add_option("--arch-option", p.arch_options, "KEY=VALUE for bpnet: filters, layers, stem-kernel, profile-kernel "
                                                   "(repeat)")->group(g);
  app->add_option("--bias-model", p.bias_model, "ChromBPNet: a trained profile model of Tn5 bias, frozen; its logits "
                                                "are added and the counts joined by logsumexp")->group(g);
  app->add_option("--bin", p.bin, "Regression on binned coverage (Basenji-style) with bins of this many bases")
      ->check(integer_at_least(1))->group(g);
  add_choice(app, "--track-loss", p.track_loss, train::kTrackLossChoices, "--bin: poisson or mse (of log(1 + x))")
      ->group(g);
  return shift;
}

}  // namespace

Command add_train(CLI::App& parent, const GlobalOptions& global) {
  auto opt = std::make_shared<train::TrainOptions>();
  CLI::App* app = parent.add_subcommand("train", "Train a model on labelled sequences");
  add_labelled_options(app, opt->data);
  app->add_option("--valid-fraction", opt->split.valid_fraction, "Fraction held out for validation (early stopping)")
      ->check(number_in(0, 0.99))->capture_default_str()->group("Splits");
  app->add_option("--test-fraction", opt->split.test_fraction, "Fraction held out as a test set")
      ->check(number_in(0, 0.99))->capture_default_str()->group("Splits");
  app->add_option("--valid-chroms", opt->split.valid_chroms, "Chromosomes for validation (genomic sets)")
      ->delimiter(',')->group("Splits");
  app->add_option("--test-chroms", opt->split.test_chroms, "Chromosomes for the test set (genomic sets)")
      ->delimiter(',')->group("Splits");
  app->add_option("--save-splits", opt->save_splits, "Write train.tsv, valid.tsv and test.tsv into this folder")
      ->group("Splits");

  // Splice sites: a per-position model (SpliceAI) on the genes of an annotation (train/splice_task.hpp).
  CLI::Option* annotation = add_splice_options(
      app, opt->splice, "Gene annotation (GFF3/GTF): train a per-position splice-site model (--arch spliceai80, "
                        "spliceai400, spliceai2k) on its genes, with --genome; splits by --valid-chroms/--test-chroms");
  app->add_option("--site-free-blocks", opt->site_free_blocks, "Annotation: fraction of training blocks without a "
                                                               "splice site to keep (seeded)")
      ->check(number_in(0, 1))->capture_default_str()->needs(annotation)->group("Splice sites");

  app->add_option("--arch", opt->arch, "Architecture: deepbind, basset, deepsea, danq, spliceai80, spliceai400, "
                                       "spliceai2k, transformer, or a spec file (JSON)")->capture_default_str()->group("Model");
  app->add_option("--length", opt->length, "Input length (default: the architecture's); longer sequences are "
                                           "centre-cropped, shorter ones padded with N")
      ->check(integer_at_least(1))->group("Model");
  add_choice(app, "--unknown", opt->unknown, encode::kUnknownChoices, "One-hot of N and IUPAC codes: zero, uniform or iupac")
      ->group("Model");
  app->add_option("-o,--output", opt->output, "Model file to write (.seqdl); the log goes to OUTPUT.log.tsv")
      ->required()->group("Model");

  auto* t = app;
  t->add_option("--epochs", opt->epochs, "Maximum epochs")->check(integer_at_least(1))->capture_default_str()->group("Training");
  t->add_option("--patience", opt->patience, "Stop after this many epochs without a better validation score (0: never): AUPRC; for "
                "splice models the mean of acceptor and donor AUPRC; for profile models the loss")
      ->check(integer_at_least(0))->capture_default_str()->group("Training");
  t->add_option("--batch", opt->batch, "Batch size")->check(integer_at_least(1))->capture_default_str()->group("Training");
  add_choice(t, "--optimizer", opt->optimizer, train::kOptimizerChoices, "adam, adamw or sgd (with --momentum)")
      ->group("Training");
  t->add_option("--lr", opt->lr, "Learning rate")->check(number_in(1e-12, 100))->capture_default_str()->group("Training");
  t->add_option("--weight-decay", opt->weight_decay, "Weight decay (decoupled for adamw)")
      ->check(number_in(0, 10))->capture_default_str()->group("Training");
  t->add_option("--momentum", opt->momentum, "SGD momentum")->check(number_in(0, 1))->capture_default_str()->group("Training");
  t->add_option("--clip", opt->clip, "Clip the gradients' global norm to this (0: no clipping)")
      ->check(number_in(0, 1e12))->capture_default_str()->group("Training");
  add_choice(t, "--schedule", opt->schedule, train::kScheduleChoices,
             "Learning rate schedule: none, plateau (reduce when the validation score that --patience "
             "follows stops improving) or cosine (with --warmup-epochs)")->group("Training");
  t->add_option("--warmup-epochs", opt->warmup_epochs, "Cosine schedule: linear warm-up length in epochs")
      ->check(number_in(0, 1e6))->group("Training");
  t->add_option("--plateau-factor", opt->plateau_factor, "Plateau schedule: multiply the rate by this")
      ->check(number_in(1e-6, 1))->capture_default_str()->group("Training");
  t->add_option("--plateau-patience", opt->plateau_patience, "Plateau schedule: epochs to wait")
      ->check(integer_at_least(0))->capture_default_str()->group("Training");
  t->add_option("--min-lr", opt->min_lr, "Lowest learning rate a schedule reaches")->check(number_in(0, 100))->group("Training");
  t->add_option("--pos-weight", opt->pos_weight, "Binary/multi-label: weight of positives in the loss: none, auto "
                                                 "(negatives/positives per task) or a number")
      ->capture_default_str()->group("Training");
  add_choice(t, "--class-weights", opt->class_weights, train::kClassWeightChoices,
             "Multi-class: none or auto (inverse class frequency); default none, auto with --annotation")
      ->group("Training");
  t->add_flag("--rc-augment", opt->rc_augment, "Reverse-complement each training example with probability 1/2")
      ->group("Training");
  t->add_option("--max-shift", opt->max_shift, "Shift each training example by up to this many bases (N-filled)")
      ->check(integer_at_least(0))->group("Training");
  add_choice(t, "--precision", opt->precision, train::kPrecisionChoices, "fp32, or bf16 (bfloat16 autocast on the CPU)")
      ->group("Training");
  t->add_flag("--resume", opt->resume, "Continue an interrupted run from OUTPUT.ckpt (same options)")->group("Training");
  t->add_option("--dist-timeout", opt->distributed.timeout_seconds,
                "Distributed training (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT; docs/distributed.md): seconds a "
                "rank waits for the others (rendezvous, each all-reduce, rank 0's validation) before failing")
      ->check(number_in(1, 1e7))->capture_default_str()->group("Distributed");
  auto shift = add_coverage_train_options(app, opt->profile);

  app->footer(
      "Examples:\n"
      "  seqdl train --arch deepbind --table USF1_AC.seq.gz --sequence-column seq --label-columns Bound \\\n"
      "      --negatives shuffle --rc-augment -o usf1.seqdl\n"
      "  seqdl train --arch basset --length 600 --class neg=neg.fa.gz --class pos=pos.fa.gz --epochs 15 \\\n"
      "      --patience 3 --seed 1 -o ctcf.seqdl\n"
      "  seqdl train --arch basset --genome g.fa --positives peaks.narrowPeak --negatives gc-matched \\\n"
      "      --valid-chroms chr8 --test-chroms chr9 -o m.seqdl\n"
      "  seqdl train --arch spliceai80 --genome g.fa --annotation genes.gff3 --valid-chroms IV --test-chroms V X \\\n"
      "      -o splice.seqdl\n"
      "  # two processes on this machine, one thread each (batch 64 per rank: 128 per step)\n"
      "  for r in 0 1; do RANK=$r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 \\\n"
      "      seqdl --threads 1 train --arch deepbind --table t.tsv --sequence-column seq --label-columns Bound \\\n"
      "      -o m.seqdl & done; wait\n"
      "  seqdl train --arch bpnet --genome g.fa --peaks summits.bed --coverage atac.bam --shift 4,-4 \\\n"
      "      --strand combined --exclude blacklist.bed --negatives gc-matched --negative-ratio 0.1 \\\n"
      "      --valid-chroms chrXV chrXVI --test-chroms chrIV -o atac.seqdl       # see docs/profile.md");
  return {app, [opt, shift, app, &global] {
            if (opt->profile.enabled()) {  // coverage models: their own defaults
              opt->profile.coverage.shift = opt->profile.control.shift = io::parse_shift(*shift, "--shift");
              opt->profile.control.strands = opt->profile.coverage.strands;
              if (app->count("--negative-ratio") == 0) opt->data.negative_ratio = 0.1;
            }
            opt->threads = resolved_threads();
            opt->seed = global.seed;
            train::TrainSummary s = torch_commands().train(*opt);
            auto best = train::validation_of(s.epochs, s.best_epoch, s.valid_size);
            log::info("best epoch {} of {}: valid {}; wrote {} (log {})", s.best_epoch, s.epochs_run,
                      join(best, ", ", [](const auto& m) { return fmt::format("{} {:.4f}", m.first, m.second); }),
                      opt->output, s.log_path);
          }};
}

}  // namespace seqdl::cli
