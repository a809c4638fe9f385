// Training batches of coverage models, built on a background thread while the model trains on the previous
// batch: each epoch's examples are the training peaks (their spans fetched once, with room for jitter) and that
// epoch's GC-matched background windows (drawn and fetched on the thread); each example is cut at a uniform
// jitter offset and reverse-complemented with probability 1/2 (bases, every profile row reversed, + and - rows
// swapped), then written straight into the batch tensors. Order and augmentation depend only on (seed, epoch).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "data/profile_background.hpp"
#include "data/profile_examples.hpp"
#include "train/task.hpp"
#include "util/bounded_queue.hpp"

namespace seqdl::train {

struct ProfileBatchOptions {
  int64_t batch = 64;
  bool reverse_complement = true;
  int64_t bin = 0;  // > 0: counts summed over bins of this many bases (track regression)
};

// An example cut to its window as tensors: base indices [L] uint8 into `x` row i, counts into `y` row i
// ([channels, out] or binned [channels, out / bin]), the control into `control` row i when defined.
void write_example(const data::ProfileExample& e, int64_t i, int64_t bin, torch::Tensor& x, torch::Tensor& y,
                   torch::Tensor& control);

// Batch targets: [0] counts [b, channels, out] (or binned), [1] the control [b, control channels, out] when the data
// has one. x: base indices [b, input length] uint8.
class ProfileBatchStream : public BatchSource {
 public:
  // `peaks`: the training peaks' fetched spans (margin = the jitter). Every referenced object must outlive the stream.
  ProfileBatchStream(const std::vector<data::ProfileExample>& peaks, const data::ProfileBackground& background,
                     const data::ProfileFetcher& fetcher, ProfileBatchOptions options, uint64_t seed, int epoch, int rank,
                     int world, int64_t batches);
  ~ProfileBatchStream() override;
  ProfileBatchStream(const ProfileBatchStream&) = delete;
  ProfileBatchStream& operator=(const ProfileBatchStream&) = delete;

  std::optional<Batch> next() override { return queue_.pop(); }
  int64_t batches() const override { return batches_; }

 private:
  void build();

  const std::vector<data::ProfileExample>& peaks_;
  const data::ProfileBackground& background_;
  const data::ProfileFetcher& fetcher_;
  ProfileBatchOptions o_;
  uint64_t seed_;
  int epoch_, rank_, world_;
  int64_t batches_;
  BoundedQueue<Batch> queue_{3};
  std::thread worker_;
};

}  // namespace seqdl::train
