#include "nn/runtime.hpp"

#include <ATen/Parallel.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <fstream>
#include <mutex>

#include "util/error.hpp"
#include "util/log.hpp"

namespace seqdl::nn {
namespace {

// The shared object that provides libblas.so.3 in this process, read from /proc/self/maps.
std::string loaded_blas() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    std::string path = line.substr(slash);
    if (path.find("libblas.so") != std::string::npos || path.find("libopenblas") != std::string::npos) return path;
  }
  return "";
}

}  // namespace

void configure_runtime(int threads, uint64_t seed) {
  if (threads < 1) throw UsageError("--threads must be at least 1, found {}", threads);
  at::set_num_threads(threads);
  // The inter-op pool can only be sized once per process, before it is first used.
  static std::once_flag interop_once;
  std::call_once(interop_once, [threads] {
    try {
      at::set_num_interop_threads(threads);
    } catch (const c10::Error&) {
      log::debug("LibTorch inter-op threads were already set; keeping {}", at::get_num_interop_threads());
    }
  });
  torch::manual_seed(seed);
  static std::once_flag blas_once;
  std::call_once(blas_once, [] {
    RuntimeInfo info = runtime_info();
    if (info.reference_blas) {
      log::warn("LibTorch is using the reference BLAS ({}); matrix products run ~18x slower. "
                "Install libopenblas0-openmp (scripts/setup.sh does).", info.blas_library);
    }
  });
}

std::string torch_version() { return TORCH_VERSION; }

RuntimeInfo runtime_info() {
  RuntimeInfo info;
  info.torch_version = TORCH_VERSION;
  info.intra_op_threads = at::get_num_threads();
  info.interop_threads = at::get_num_interop_threads();
#if AT_PARALLEL_OPENMP
  info.parallel_backend = "OpenMP";
#elif AT_PARALLEL_NATIVE
  info.parallel_backend = "native";
#else
  info.parallel_backend = "TBB";
#endif
  info.blas_library = loaded_blas();
  info.reference_blas = info.blas_library.find("/blas/libblas") != std::string::npos;
  info.mkldnn = at::hasMKLDNN();
  return info;
}

}  // namespace seqdl::nn
