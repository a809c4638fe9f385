#include "train/splice_task.hpp"

#include <algorithm>
#include <numeric>
#include <set>
#include <thread>

#include "encode/bases.hpp"
#include "infer/batches.hpp"
#include "io/checksum.hpp"
#include "metrics/binary.hpp"
#include "nn/network.hpp"
#include "train/batches.hpp"
#include "util/bounded_queue.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/random.hpp"
#include "util/text.hpp"

namespace seqdl::train {
namespace {

void check_options(const TrainOptions& o) {
  if (o.data.genome.empty()) throw UsageError("--annotation needs --genome: the indexed FASTA of its contigs");
  if (data::has_labelled_input(o.data) || o.data.negatives.has_value()) {
    throw UsageError("--annotation trains on the annotation's genes: --class, --table, --intervals, --positives and "
                     "--negatives are for sequence classifiers");
  }
  if (o.rc_augment) {
    throw UsageError("--rc-augment does not apply to --annotation: each gene is read on its transcribed strand");
  }
  if (o.max_shift > 0) throw UsageError("--max-shift does not apply to --annotation: blocks tile the genes");
  if (o.pos_weight != "none") throw UsageError("--pos-weight is for binary and multi-label tasks; use --class-weights");
  if (!(o.site_free_blocks >= 0 && o.site_free_blocks <= 1)) {
    throw UsageError("--site-free-blocks must be between 0 and 1, found {}", o.site_free_blocks);
  }
  if (!o.save_splits.empty()) {
    throw UsageError("--save-splits writes labelled sequences; with --annotation the splits (chromosomes or gene spans) "
                     "are recorded in the model file");
  }
}

data::SpliceAnnotation load(const TrainOptions& o) {
  check_options(o);
  data::SpliceOptions s = o.splice;
  s.genome = o.data.genome;
  return data::load_splice_annotation(s);
}

void check_chroms(const std::vector<std::string>& named, const std::set<std::string>& known, const char* option) {
  for (const auto& c : named) {
    if (known.count(c) == 0) {
      throw UsageError("{} {}: the annotation has no gene there (its chromosomes: {})", option, c,
                       join(std::vector<std::string>(known.begin(), known.end()), ", "));
    }
  }
}

std::string class_text(const data::SpliceBlocks& b) {
  auto c = b.class_counts();
  return fmt::format("{} blocks, {} positions: {} acceptors, {} donors", with_commas(b.size()),
                     with_commas(c[0] + c[1] + c[2]), with_commas(c[1]), with_commas(c[2]));
}

nlohmann::json source_json(const std::string& role, const std::string& path) {
  io::FileDigest d = io::file_digest(path);
  return {{"role", role}, {"path", path}, {"bytes", d.bytes}, {"md5", d.md5}};
}

// Training batches built on a background thread: base indices (or one-hot) [b, input] and labels [b, output]
// int64. Rank r of `world` takes batches r, r + world, ... of the epoch's seeded order.
class SpliceBatchStream : public BatchSource {
 public:
  SpliceBatchStream(const data::SpliceBlocks& blocks, int64_t batch, uint64_t seed, int epoch,
                    const encode::OneHotTable& table, int rank, int world)
      : blocks_(blocks), batch_(batch), seed_(seed), epoch_(epoch), table_(table), rank_(rank), world_(world) {
    batches_ = BatchStream::batches_for(blocks.size(), batch) / world;
    worker_ = std::thread([this] { build(); });
  }
  ~SpliceBatchStream() override {
    queue_.close();
    if (worker_.joinable()) worker_.join();
  }
  SpliceBatchStream(const SpliceBatchStream&) = delete;
  SpliceBatchStream& operator=(const SpliceBatchStream&) = delete;

  std::optional<Batch> next() override { return queue_.pop(); }
  int64_t batches() const override { return batches_; }

 private:
  void build() {
    try {
      const size_t n = blocks_.size();
      const int64_t L = blocks_.geometry().input(), P = blocks_.geometry().output;
      std::vector<size_t> order(n);
      std::iota(order.begin(), order.end(), 0);
      Rng(seed_, 1000 + static_cast<uint64_t>(epoch_)).shuffle(order);
      const bool indices = table_.mode() == encode::Unknown::zero;
      std::string bases(static_cast<size_t>(L), 'N');
      for (int64_t k = 0; k < batches_; ++k) {
        const int64_t b = k * world_ + rank_;
        const size_t begin = static_cast<size_t>(b * batch_), end = std::min(n, begin + static_cast<size_t>(batch_));
        const auto count = static_cast<int64_t>(end - begin);
        Batch out{indices ? torch::empty({count, L}, torch::kUInt8) : torch::empty({count, 4, L}),
                  {torch::empty({count, P}, torch::kInt64)}};
        for (int64_t i = 0; i < count; ++i) {
          const size_t block = order[begin + static_cast<size_t>(i)];
          blocks_.input(block, bases.data());
          if (indices) {
            encode::base_indices(bases, out.x.data_ptr<uint8_t>() + i * L);
          } else {
            encode::one_hot(bases, out.x.data_ptr<float>() + i * 4 * L, static_cast<size_t>(L), table_);
          }
          blocks_.labels(block, out.targets[0].data_ptr<int64_t>() + i * P);
        }
        if (!queue_.push(std::move(out))) return;
      }
      queue_.close();
    } catch (...) {
      queue_.close(std::current_exception());
    }
  }

  const data::SpliceBlocks& blocks_;
  int64_t batch_;
  uint64_t seed_;
  int epoch_;
  const encode::OneHotTable& table_;
  int rank_, world_;
  int64_t batches_ = 0;
  BoundedQueue<Batch> queue_{3};
  std::thread worker_;
};

torch::nn::functional::CrossEntropyFuncOptions loss_options(const torch::Tensor& weights) {
  auto options = torch::nn::functional::CrossEntropyFuncOptions().ignore_index(data::kIgnoredLabel);
  if (weights.defined()) options.weight(weights);
  return options;
}

}  // namespace

SiteValidation site_metrics(const std::vector<float>& probabilities, const std::vector<uint8_t>& labels) {
  SiteValidation v;
  std::vector<double> scores(labels.size());
  std::vector<uint8_t> positive(labels.size());
  for (int cls : {1, 2}) {
    for (size_t i = 0; i < labels.size(); ++i) {
      scores[i] = probabilities[2 * i + static_cast<size_t>(cls - 1)];
      positive[i] = labels[i] == cls;
    }
    metrics::Ranking ranking(scores, positive);
    const double auprc = metrics::average_precision(ranking).value_or(0.0);
    const auto top = metrics::top_k_accuracy(ranking);
    (cls == 1 ? v.acceptor_auprc : v.donor_auprc) = auprc;
    (cls == 1 ? v.acceptor_top_k : v.donor_top_k) = top ? top->accuracy : 0.0;
  }
  return v;
}

data::BlockGeometry splice_geometry(const std::string& arch, int64_t length) {
  nn::Network net(nn::load_arch(arch), length, 3);
  net->eval();
  torch::NoGradGuard no_grad;
  auto y = net->forward(torch::zeros({1, 4, length}));
  if (y.dim() != 3) {
    throw UsageError("--annotation trains a per-position model, but --arch {} gives one output per sequence (use "
                     "spliceai80, spliceai400, spliceai2k or a per-position spec)", arch);
  }
  const int64_t positions = y.size(2), context = length - positions;
  if (context < 0 || context % 2 != 0) {
    throw UsageError("--arch {}: {} output positions from {} input bases are not centred in the input", arch, positions,
                     length);
  }
  return {positions, context};
}

SpliceTask::SpliceTask(const TrainOptions& o, int64_t length)
    : o_(o), length_(length), annotation_(load(o)), table_(o.unknown) {
  const data::BlockGeometry geometry = splice_geometry(o.arch, length);
  const auto names = annotation_.labels.chromosomes();
  const std::set<std::string> known(names.begin(), names.end());
  check_chroms(o.split.valid_chroms, known, "--valid-chroms");
  check_chroms(o.split.test_chroms, known, "--test-chroms");
  std::vector<data::LabelledSpan> train, valid, test;
  if (!o.split.valid_chroms.empty() || !o.split.test_chroms.empty()) {
    valid_chroms_ = o.split.valid_chroms;
    test_chroms_ = o.split.test_chroms;
    for (const auto& c : test_chroms_) {
      if (std::find(valid_chroms_.begin(), valid_chroms_.end(), c) != valid_chroms_.end()) {
        throw UsageError("{} is named by both --valid-chroms and --test-chroms", c);
      }
    }
    for (const auto& c : names) {
      if (std::find(valid_chroms_.begin(), valid_chroms_.end(), c) == valid_chroms_.end() &&
          std::find(test_chroms_.begin(), test_chroms_.end(), c) == test_chroms_.end()) {
        train_chroms_.push_back(c);
      }
    }
    if (train_chroms_.empty()) throw UsageError("--valid-chroms and --test-chroms leave no chromosome to train on");
    train = annotation_.labels.labelled_spans(train_chroms_);
    if (!valid_chroms_.empty()) valid = annotation_.labels.labelled_spans(valid_chroms_);
    if (!test_chroms_.empty()) test = annotation_.labels.labelled_spans(test_chroms_);
  } else {
    // Whole spans drawn by the seed: test first, then validation (as data/splits.hpp draws examples).
    auto spans = annotation_.labels.labelled_spans();
    std::vector<size_t> order(spans.size());
    std::iota(order.begin(), order.end(), 0);
    Rng(o.seed, 3000).shuffle(order);
    const auto n_test = static_cast<size_t>(static_cast<double>(spans.size()) * o.split.test_fraction);
    const auto n_valid = static_cast<size_t>(static_cast<double>(spans.size()) * o.split.valid_fraction);
    std::vector<int> role(spans.size(), 0);
    for (size_t k = 0; k < order.size(); ++k) role[order[k]] = k < n_test ? 2 : k < n_test + n_valid ? 1 : 0;
    for (size_t i = 0; i < spans.size(); ++i) (role[i] == 0 ? train : role[i] == 1 ? valid : test).push_back(spans[i]);
  }
  if (train.empty()) throw UsageError("--annotation {}: no gene span is left to train on", o.splice.annotation);
  test_spans_ = test.size();
  io::IndexedFasta genome(o.data.genome);
  train_ = data::make_splice_blocks(std::move(train), genome, geometry);
  valid_ = data::make_splice_blocks(std::move(valid), genome, geometry);
  const size_t all_train = train_.size();
  train_.subsample_site_free(o.site_free_blocks, o.seed);

  const auto counts = train_.class_counts();
  const double n = static_cast<double>(counts[0] + counts[1] + counts[2]);
  if (o.class_weights.value_or(ClassWeights::automatic) == ClassWeights::automatic) {
    weights_ = torch::empty({3});
    for (int64_t c = 0; c < 3; ++c) weights_[c] = n / (3.0 * std::max<double>(1.0, static_cast<double>(counts[c])));
  }
  log::info("{}: {} genes in {} spans; blocks of {} bases ({} output positions + {} of context)", o.splice.annotation,
            with_commas(annotation_.models.genes.size()), with_commas(train_.spans().size() + valid_.spans().size() + test_spans_),
            geometry.input(), geometry.output, geometry.context);
  log::info("train{}: {}{}", train_chroms_.empty() ? "" : " (" + join(train_chroms_, ", ") + ")", class_text(train_),
            train_.size() < all_train ? fmt::format(" ({} blocks without a site left out)", all_train - train_.size()) : "");
  log::info("valid{}: {}", valid_chroms_.empty() ? "" : " (" + join(valid_chroms_, ", ") + ")", class_text(valid_));
  if (test_spans_ > 0) {
    log::info("test{}: {} spans left out", test_chroms_.empty() ? "" : " (" + join(test_chroms_, ", ") + ")",
              with_commas(test_spans_));
  }
  if (weights_.defined()) {
    log::info("class weights: neither {:.3g}, acceptor {:.3g}, donor {:.3g}", weights_[0].item<double>(),
              weights_[1].item<double>(), weights_[2].item<double>());
  }
  if (valid_.size() == 0) log::warn("no validation set: no early stopping, the last epoch is kept");
}

nn::ModelInfo SpliceTask::model_info() const {
  nn::ModelInfo info;
  info.input_length = length_;
  info.task_names = {"neither", "acceptor", "donor"};
  info.task_type = data::TaskType::multiclass;
  info.unknown = o_.unknown;
  info.source = "the network in training";
  return info;
}

int64_t SpliceTask::batches_per_epoch(int world) const {
  return BatchStream::batches_for(train_.size(), o_.batch) / world;
}

std::unique_ptr<BatchSource> SpliceTask::batches(uint64_t seed, int epoch, int rank, int world) {
  return std::make_unique<SpliceBatchStream>(train_, o_.batch, seed, epoch, table_, rank, world);
}

torch::Tensor SpliceTask::loss(const std::vector<torch::Tensor>& heads, const Batch& batch) const {
  return torch::nn::functional::cross_entropy(heads[0], batch.targets[0], loss_options(weights_));
}

Validation SpliceTask::validate(nn::Model& model) {
  if (valid_.size() == 0) return {};
  torch::InferenceMode guard;
  const int64_t L = valid_.geometry().input(), P = valid_.geometry().output;
  std::vector<float> probabilities;  // acceptor, donor per labelled position
  std::vector<uint8_t> labels;
  double loss_sum = 0, weight_sum = 0;
  std::string codes;
  std::vector<int64_t> y;
  for (size_t begin = 0; begin < valid_.size(); begin += static_cast<size_t>(o_.batch)) {
    const size_t end = std::min(valid_.size(), begin + static_cast<size_t>(o_.batch));
    const auto count = static_cast<int64_t>(end - begin);
    codes.resize(static_cast<size_t>(count * L));
    y.resize(static_cast<size_t>(count * P));
    for (int64_t i = 0; i < count; ++i) {
      valid_.input(begin + static_cast<size_t>(i), codes.data() + i * L);
      valid_.labels(begin + static_cast<size_t>(i), y.data() + i * P);
    }
    auto logits = infer::run_model(model, infer::model_input(codes, count, L, table_)).to(torch::kFloat32);
    auto target = torch::from_blob(y.data(), {count, P}, torch::kInt64);
    // Summed losses and weights, so that the loss is the weighted mean over every position, as in training.
    loss_sum += torch::nn::functional::cross_entropy(logits, target, loss_options(weights_).reduction(torch::kSum))
                    .item<double>();
    auto labelled = target.ge(0);
    weight_sum += weights_.defined() ? weights_.index({target.clamp_min(0)}).masked_select(labelled).sum().item<double>()
                                     : static_cast<double>(labelled.sum().item<int64_t>());
    auto p = torch::softmax(logits, 1).slice(1, 1, 3).permute({0, 2, 1}).contiguous();  // [count, P, 2]
    const float* v = p.data_ptr<float>();
    for (int64_t k = 0; k < count * P; ++k) {
      if (y[static_cast<size_t>(k)] < 0) continue;
      probabilities.push_back(v[2 * k]);
      probabilities.push_back(v[2 * k + 1]);
      labels.push_back(static_cast<uint8_t>(y[static_cast<size_t>(k)]));
    }
  }
  SiteValidation s = site_metrics(probabilities, labels);
  return {loss_sum / std::max(weight_sum, 1e-12), s.mean_auprc(),
          {{"auprc", s.mean_auprc()},
           {"acceptor_auprc", s.acceptor_auprc},
           {"donor_auprc", s.donor_auprc},
           {"acceptor_topk", s.acceptor_top_k},
           {"donor_topk", s.donor_top_k}}};
}

void SpliceTask::describe(nn::MetadataParts& parts) const {
  const auto counts = train_.class_counts();
  nlohmann::json sources = nlohmann::json::array();
  sources.push_back(source_json("annotation", o_.splice.annotation));
  sources.push_back(source_json("genome", o_.data.genome));
  if (!o_.splice.junctions.empty()) sources.push_back(source_json("junctions", o_.splice.junctions));
  parts.data = {{"kind", "splice_sites"},
                {"strand_specific", true},
                {"labels", "per base on the transcribed strand: 0 neither, 1 acceptor (first base of an exon after an "
                           "intron), 2 donor (last base of an exon before an intron)"},
                {"sources", sources},
                {"genes", annotation_.models.genes.size()},
                {"block_output", train_.geometry().output},
                {"block_context", train_.geometry().context},
                {"site_free_blocks", o_.site_free_blocks},
                {"train_positions", {{"neither", counts[0]}, {"acceptor", counts[1]}, {"donor", counts[2]}}}};
  if (weights_.defined()) {
    parts.data["class_weights"] = {weights_[0].item<double>(), weights_[1].item<double>(), weights_[2].item<double>()};
  }
  parts.splits = {{"by", train_chroms_.empty() ? "gene span" : "chromosome"},
                  {"train_chroms", train_chroms_},
                  {"valid_chroms", valid_chroms_},
                  {"test_chroms", test_chroms_},
                  {"train_spans", train_.spans().size()},
                  {"valid_spans", valid_.spans().size()},
                  {"test_spans", test_spans_},
                  {"train_blocks", train_.size()},
                  {"valid_blocks", valid_.size()}};
}

nlohmann::json SpliceTask::fingerprint() const {
  const auto& s = o_.splice;
  return {{"annotation", s.annotation},
          {"annotation_format", s.format ? std::string(choice_name(io::kGffFormatChoices, *s.format)) : "auto"},
          {"canonical", s.canonical},
          {"types", s.types},
          {"junctions", s.junctions},
          {"min_count", s.min_count},
          {"junction_source", s.junction_source},
          {"genome", o_.data.genome},
          {"valid_chroms", o_.split.valid_chroms},
          {"test_chroms", o_.split.test_chroms},
          {"valid_fraction", o_.split.valid_fraction},
          {"test_fraction", o_.split.test_fraction},
          {"class_weights", choice_name(kClassWeightChoices, o_.class_weights.value_or(ClassWeights::automatic))},
          {"site_free_blocks", o_.site_free_blocks}};
}

}  // namespace seqdl::train
