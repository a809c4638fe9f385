// Training batches, built on a background thread while the model trains on the previous one: a seeded order
// per epoch, reverse-complement and shift augmentation on the base codes, then one-hot straight into the
// batch tensor. The order and augmentation of epoch e depend only on (seed, e), so a resumed run sees exactly
// the batches an uninterrupted one would.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <thread>

#include "data/labelled_set.hpp"
#include "encode/one_hot.hpp"
#include "train/task.hpp"
#include "util/bounded_queue.hpp"

namespace seqdl::train {


struct AugmentOptions {
  bool reverse_complement = false;  // each example reverse-complemented with probability 1/2
  int64_t max_shift = 0;            // each example shifted by a uniform offset in [-max_shift, max_shift], N-filled
};

// The labels of rows [begin, end) of a set as a tensor (shared by batches and validation).
torch::Tensor label_tensor(const data::LabelledSet& set, size_t begin, size_t end);

// Batches of labelled sequences; targets[0]: binary/multi-label [b, tasks] float32, multi-class [b] int64. Rank r of
// `world` takes batches r, r + world, ... of the epoch's order (every rank the same number).
class BatchStream : public BatchSource {
 public:
  BatchStream(const data::LabelledSet& set, int64_t batch, uint64_t seed, int epoch, AugmentOptions augment,
              const encode::OneHotTable& table, int rank = 0, int world = 1);
  ~BatchStream() override;
  BatchStream(const BatchStream&) = delete;
  BatchStream& operator=(const BatchStream&) = delete;

  std::optional<Batch> next() override;
  int64_t batches() const override { return batches_; }
  // Batches in an epoch of n examples (a last batch of one example is left out: batch norm cannot train on it).
  static int64_t batches_for(size_t n, int64_t batch);

 private:
  void build();

  const data::LabelledSet& set_;
  int64_t batch_;
  uint64_t seed_;
  int epoch_;
  AugmentOptions augment_;
  int rank_, world_;
  const encode::OneHotTable& table_;
  int64_t batches_ = 0;
  BoundedQueue<Batch> queue_{3};
  std::thread worker_;
};

}  // namespace seqdl::train
