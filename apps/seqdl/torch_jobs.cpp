#include "torch_jobs.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "util/log.hpp"
#include "util/provenance.hpp"
#include "util/version.hpp"

namespace seqdl::cli {
namespace {

// Where the library may be: beside the binary (the build tree) or in ../lib/seqdl (an installation).
std::vector<std::filesystem::path> candidates() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {kTorchLibraryName};
  auto dir = exe.parent_path();
  return {dir / kTorchLibraryName, dir / ".." / "lib" / "seqdl" / kTorchLibraryName};
}

const TorchJobs* load() {
  std::string errors;
  for (const auto& path : candidates()) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      errors += fmt::format("; {}: {}", path.string(), dlerror());
      continue;
    }
    auto entry = reinterpret_cast<const TorchJobs* (*)()>(dlsym(handle, kTorchJobsSymbol));
    if (entry == nullptr) throw std::runtime_error(fmt::format("{} has no {} entry point", path.string(), kTorchJobsSymbol));
    const TorchJobs* jobs = entry();
    if (jobs->abi != kTorchJobsAbi) {
      throw std::runtime_error(fmt::format("{} is from another build of seqdl (interface {}, expected {})",
                                           path.string(), jobs->abi, kTorchJobsAbi));
    }
    log::debug("loaded the LibTorch commands from {}", path.string());
    return jobs;  // never unloaded: LibTorch's threads and static state live until exit
  }
  throw std::runtime_error(fmt::format("cannot load seqdl's LibTorch commands ({} not found beside the binary or in "
                                       "../lib/seqdl{})", kTorchLibraryName, errors));
}

}  // namespace

const TorchJobs& torch_jobs(int threads, uint64_t seed) {
  static std::once_flag once;
  static const TorchJobs* jobs = nullptr;
  std::call_once(once, [&] {
    jobs = load();
    jobs->configure(threads, seed);
    run_provenance().versions["libtorch"] = kTorchVersion;
  });
  return *jobs;
}

}  // namespace seqdl::cli
