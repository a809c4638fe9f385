#include "train/batches.hpp"

#include <numeric>

#include "encode/bases.hpp"
#include "util/random.hpp"

namespace seqdl::train {

torch::Tensor label_tensor(const data::LabelledSet& set, size_t begin, size_t end) {
  auto n = static_cast<int64_t>(end - begin);
  if (set.type == data::TaskType::multiclass) {
    auto y = torch::empty({n}, torch::kInt64);
    for (int64_t i = 0; i < n; ++i) y[i] = static_cast<int64_t>(set.classes[begin + static_cast<size_t>(i)]);
    return y;
  }
  int64_t tasks = set.outputs();
  auto y = torch::empty({n, tasks});
  std::copy_n(set.targets.data() + begin * static_cast<size_t>(tasks), n * tasks, y.data_ptr<float>());
  return y;
}

BatchStream::BatchStream(const data::LabelledSet& set, int64_t batch, uint64_t seed, int epoch, AugmentOptions augment,
                         const encode::OneHotTable& table, int rank, int world)
    : set_(set), batch_(batch), seed_(seed), epoch_(epoch), augment_(augment), rank_(rank), world_(world), table_(table) {
  batches_ = batches_for(set.size(), batch) / world;
  worker_ = std::thread([this] { build(); });
}

int64_t BatchStream::batches_for(size_t size, int64_t batch) {
  auto n = static_cast<int64_t>(size);
  int64_t batches = (n + batch - 1) / batch;
  // A last batch of one example cannot pass batch norm in training mode: leave it out of the epoch (each
  // epoch has its own order, so a different example sits it out each time).
  if (n > 1 && n % batch == 1) --batches;
  return batches;
}

BatchStream::~BatchStream() {
  queue_.close();
  if (worker_.joinable()) worker_.join();
}

std::optional<Batch> BatchStream::next() { return queue_.pop(); }

namespace {

// One example's augmentation: reverse-complemented or not, and its shift.
struct Augmentation {
  bool reverse = false;
  int64_t shift = 0;
};

Augmentation draw_augmentation(Rng& rng, const AugmentOptions& a) {
  Augmentation out;
  if (a.reverse_complement) out.reverse = rng.below(2) == 1;
  if (a.max_shift > 0) {
    out.shift = static_cast<int64_t>(rng.below(static_cast<uint64_t>(2 * a.max_shift + 1))) - a.max_shift;
  }
  return out;
}

void augment(std::string& seq, const Augmentation& a, size_t length) {
  if (a.reverse) encode::reverse_complement_in_place(seq);
  if (a.shift > 0) {
    seq = std::string(static_cast<size_t>(a.shift), 'N') + seq.substr(0, length - static_cast<size_t>(a.shift));
  } else if (a.shift < 0) {
    seq = seq.substr(static_cast<size_t>(-a.shift)) + std::string(static_cast<size_t>(-a.shift), 'N');
  }
}

}  // namespace

void BatchStream::build() {
  try {
    const size_t n = set_.size();
    const auto length = static_cast<size_t>(set_.length);
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    Rng order_rng(seed_, 1000 + static_cast<uint64_t>(epoch_));
    order_rng.shuffle(order);
    Rng aug_rng(seed_, 2000 + static_cast<uint64_t>(epoch_));
    bool multiclass = set_.type == data::TaskType::multiclass;
    int64_t tasks = set_.outputs();
    std::string seq;
    auto batch_range = [&](int64_t b) {
      size_t begin = std::min(n, static_cast<size_t>(b * batch_));
      return std::pair{begin, std::min(n, begin + static_cast<size_t>(batch_))};
    };
    int64_t drawn = 0;  // batches whose augmentation has been drawn
    for (int64_t k = 0; k < batches_; ++k) {
      const int64_t b = k * world_ + rank_;  // this rank's share of the epoch's batches
      // The other ranks' examples draw too, so that example i of the epoch's order is augmented alike
      // whatever the number of ranks (a 2-rank run steps as one process with twice the batch).
      for (; drawn < b; ++drawn) {
        auto [skip_begin, skip_end] = batch_range(drawn);
        for (size_t i = skip_begin; i < skip_end; ++i) draw_augmentation(aug_rng, augment_);
      }
      ++drawn;
      auto [begin, end] = batch_range(b);
      auto count = static_cast<int64_t>(end - begin);
      const bool indices = table_.mode() == encode::Unknown::zero;
      Batch out{indices ? torch::empty({count, set_.length}, torch::kUInt8) : torch::empty({count, 4, set_.length}),
                {multiclass ? torch::empty({count}, torch::kInt64) : torch::empty({count, tasks})}};
      torch::Tensor& y = out.targets[0];
      for (int64_t i = 0; i < count; ++i) {
        size_t row = order[begin + static_cast<size_t>(i)];
        seq.assign(set_.sequence(row));
        augment(seq, draw_augmentation(aug_rng, augment_), length);
        if (indices) {
          encode::base_indices(seq, out.x.data_ptr<uint8_t>() + i * set_.length);
        } else {
          encode::one_hot(seq, out.x.data_ptr<float>() + i * 4 * set_.length, length, table_);
        }
        if (multiclass) {
          y.data_ptr<int64_t>()[i] = set_.classes[row];
        } else {
          std::copy_n(set_.targets.data() + row * static_cast<size_t>(tasks), tasks, y.data_ptr<float>() + i * tasks);
        }
      }
      if (!queue_.push(std::move(out))) return;
    }
    queue_.close();
  } catch (...) {
    queue_.close(std::current_exception());
  }
}

}  // namespace seqdl::train
