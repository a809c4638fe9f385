#include "train/profile_batches.hpp"

#include <numeric>

#include "encode/one_hot.hpp"
#include "util/random.hpp"

namespace seqdl::train {
namespace {

// Rows [channels, width] summed over bins of `bin` columns (bin 0 or 1: copied).
void write_rows(const std::vector<float>& rows, int channels, int64_t width, int64_t bin, float* out) {
  if (bin <= 1) {
    std::copy(rows.begin(), rows.end(), out);
    return;
  }
  const int64_t bins = width / bin;
  for (int c = 0; c < channels; ++c) {
    const float* row = rows.data() + c * width;
    for (int64_t b = 0; b < bins; ++b) {
      float sum = 0;
      for (int64_t k = 0; k < bin; ++k) sum += row[b * bin + k];
      out[c * bins + b] = sum;
    }
  }
}

}  // namespace

void write_example(const data::ProfileExample& e, int64_t i, int64_t bin, torch::Tensor& x, torch::Tensor& y,
                   torch::Tensor& control) {
  const int64_t L = x.size(1);
  encode::base_indices(e.bases, x.data_ptr<uint8_t>() + i * L);
  const int64_t width = e.output_length();
  write_rows(e.counts, e.strands, width, bin, y.data_ptr<float>() + i * y[0].numel());
  if (control.defined()) std::copy(e.control.begin(), e.control.end(), control.data_ptr<float>() + i * control[0].numel());
}

ProfileBatchStream::ProfileBatchStream(const std::vector<data::ProfileExample>& peaks,
                                       const data::ProfileBackground& background, const data::ProfileFetcher& fetcher,
                                       ProfileBatchOptions options, uint64_t seed, int epoch, int rank, int world,
                                       int64_t batches)
    : peaks_(peaks), background_(background), fetcher_(fetcher), o_(options), seed_(seed), epoch_(epoch), rank_(rank),
      world_(world), batches_(batches) {
  worker_ = std::thread([this] { build(); });
}

ProfileBatchStream::~ProfileBatchStream() {
  queue_.close();
  if (worker_.joinable()) worker_.join();
}

void ProfileBatchStream::build() {
  try {
    const auto& wo = fetcher_.options();
    std::vector<data::ProfileExample> drawn;
    for (const auto& w : background_.for_epoch(seed_, static_cast<uint64_t>(epoch_), data::ProfileSplit::train)) {
      drawn.push_back(fetcher_.fetch(w));
    }
    const size_t n = peaks_.size() + drawn.size();
    auto example = [&](size_t k) -> const data::ProfileExample& {
      return k < peaks_.size() ? peaks_[k] : drawn[k - peaks_.size()];
    };
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    Rng order_rng(seed_, 1000 + static_cast<uint64_t>(epoch_));
    order_rng.shuffle(order);
    Rng aug_rng(seed_, 2000 + static_cast<uint64_t>(epoch_));
    const data::ProfileExample& first = example(0);
    const int64_t width = wo.output_length, cols = o_.bin > 1 ? width / o_.bin : width;
    // Every example draws its augmentation in epoch order, whichever rank builds it, so ranks agree.
    std::vector<std::pair<int64_t, bool>> augment(n);
    for (auto& a : augment) {
      a.first = data::draw_jitter(aug_rng, wo.max_jitter);
      a.second = o_.reverse_complement && aug_rng.below(2) == 1;
    }
    for (int64_t k = 0; k < batches_; ++k) {
      const int64_t b = k * world_ + rank_;
      const size_t begin = static_cast<size_t>(b * o_.batch);
      if (begin >= n) break;
      const size_t end = std::min(n, begin + static_cast<size_t>(o_.batch));
      const auto count = static_cast<int64_t>(end - begin);
      Batch out{torch::empty({count, wo.input_length}, torch::kUInt8), {torch::empty({count, first.strands, cols})}};
      torch::Tensor control;
      if (first.control_strands > 0) control = torch::empty({count, first.control_strands, width});
      for (int64_t i = 0; i < count; ++i) {
        const size_t row = order[begin + static_cast<size_t>(i)];
        data::ProfileExample e = data::cut(example(row), augment[row].first);
        if (augment[row].second) data::reverse_complement(e);
        write_example(e, i, o_.bin, out.x, out.targets[0], control);
      }
      if (control.defined()) out.targets.push_back(control);
      if (!queue_.push(std::move(out))) return;
    }
    queue_.close();
  } catch (...) {
    queue_.close(std::current_exception());
  }
}

}  // namespace seqdl::train
