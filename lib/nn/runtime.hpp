// LibTorch process settings: threads, seeds and what the runtime is built on. Debian's LibTorch starts
// with ONE intra-op thread; every command calls configure_runtime() with --threads before any work.
#pragma once

#include <cstdint>
#include <string>

namespace seqdl::nn {

// Sets LibTorch's intra-op and inter-op thread counts (threads >= 1) and seeds its generator.
void configure_runtime(int threads, uint64_t seed);

struct RuntimeInfo {
  std::string torch_version;
  int intra_op_threads = 0;
  int interop_threads = 0;
  std::string parallel_backend;  // "OpenMP", "native", ...
  std::string blas_library;      // the libblas.so.3 actually loaded, e.g. ".../openblas-openmp/libblas.so.3"
  bool reference_blas = false;   // Debian's slow reference BLAS is loaded
  bool mkldnn = false;           // oneDNN kernels available for convolutions
};

RuntimeInfo runtime_info();
std::string torch_version();

}  // namespace seqdl::nn
