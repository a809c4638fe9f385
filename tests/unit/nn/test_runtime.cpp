#include <gtest/gtest.h>

#include <ATen/Parallel.h>

#include "nn/runtime.hpp"
#include "util/error.hpp"

namespace seqdl::nn {

TEST(Runtime, SetsLibTorchThreads) {
  configure_runtime(2, 0);
  EXPECT_EQ(at::get_num_threads(), 2);
  EXPECT_EQ(runtime_info().intra_op_threads, 2);
  configure_runtime(1, 0);
  EXPECT_EQ(at::get_num_threads(), 1);
}

TEST(Runtime, RejectsZeroThreads) { EXPECT_THROW(configure_runtime(0, 0), UsageError); }

TEST(Runtime, ReportsTheLoadedBlas) {
  RuntimeInfo info = runtime_info();
  EXPECT_FALSE(info.torch_version.empty());
  // scripts/setup.sh installs OpenBLAS; the reference BLAS would make every matrix product ~18x slower.
  EXPECT_FALSE(info.reference_blas) << info.blas_library;
}

}  // namespace seqdl::nn
