#include "train/distributed.hpp"

// Debian's LibTorch is built with Gloo; its header hides the class unless told so.
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO
#endif
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <optional>
#include <stdexcept>

#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::train {
namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// The first of `names` that is set, as an integer; nullopt if none is.
std::optional<int> env_int(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (auto v = env(name)) {
      int64_t n = parse_int(*v, fmt::format("environment variable {}", name));
      if (n < 0 || n > 1'000'000) throw UsageError("environment variable {}={}: expected 0 to 1000000", name, *v);
      return static_cast<int>(n);
    }
  }
  return std::nullopt;
}

bool is_loopback(const std::string& host) { return host == "127.0.0.1" || host == "localhost" || host == "::1"; }

// The network device Gloo binds: the interface named by GLOO_SOCKET_IFNAME (as in PyTorch), loopback for a
// job on one machine, else the address this machine's hostname resolves to.
std::shared_ptr<::gloo::transport::Device> gloo_device(const std::string& master_addr) {
  if (auto ifname = env("GLOO_SOCKET_IFNAME")) return c10d::ProcessGroupGloo::createDeviceForInterface(*ifname);
  if (is_loopback(master_addr)) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

std::string message_of(const std::exception& e) {
  if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) {
    return one_line_message(std::runtime_error(c10->what_without_backtrace()));
  }
  return one_line_message(e);
}

}  // namespace

DistributedOptions resolve_distributed(const DistributedOptions& options) {
  DistributedOptions o = options;
  if (!(o.timeout_seconds > 0)) throw UsageError("--dist-timeout must be positive");
  if (o.world == 0) {
    // SLURM_STEP_NUM_TASKS (not SLURM_NTASKS) is set inside an srun step only: a batch script of a multi-task
    // job that runs seqdl without srun trains alone instead of waiting for ranks that never start.
    o.world = env_int({"WORLD_SIZE", "SLURM_STEP_NUM_TASKS"}).value_or(1);
    o.rank = 0;  // a stray RANK without a world to belong to is not an error
    if (o.world > 1) {
      o.rank = env_int({"RANK", "SLURM_PROCID", "LOCAL_RANK"}).value_or(-1);
      if (o.rank < 0) {
        throw UsageError("distributed training over {} ranks: set RANK (or SLURM_PROCID, LOCAL_RANK)", o.world);
      }
      o.master_addr = env("MASTER_ADDR").value_or("");
      o.master_port = env_int({"MASTER_PORT"}).value_or(29500);
    }
  }
  if (o.world < 1) throw UsageError("distributed training: the world size must be at least 1, not {}", o.world);
  if (o.rank < 0 || o.rank >= o.world) {
    throw UsageError("distributed training: rank {} is outside 0..{} (RANK/SLURM_PROCID against WORLD_SIZE)", o.rank,
                     o.world - 1);
  }
  if (o.world > 1 && o.master_addr.empty()) {
    throw UsageError("distributed training over {} ranks: set MASTER_ADDR (and MASTER_PORT) to rank 0's host", o.world);
  }
  if (o.world > 1 && (o.master_port < 1 || o.master_port > 65535)) {
    throw UsageError("distributed training: MASTER_PORT {} is not a TCP port (1-65535)", o.master_port);
  }
  return o;
}

struct ProcessGroup::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
  torch::Tensor first_bucket;  // staging for average_gradients
};

namespace {

[[noreturn]] void fail(const DistributedOptions& o, const char* what, const std::exception& e) {
  throw std::runtime_error(fmt::format(
      "distributed training: rank {} of {} gave up on the other ranks during {} (a rank died, hung, or was not "
      "reachable within --dist-timeout {} s): {}",
      o.rank, o.world, what, o.timeout_seconds, message_of(e)));
}

using Works = std::vector<c10::intrusive_ptr<c10d::Work>>;

void wait_all(const DistributedOptions& o, Works& works, const char* what) {
  try {
    for (auto& w : works) w->wait();
  } catch (const std::exception& e) {
    fail(o, what, e);
  }
}

}  // namespace

ProcessGroup::ProcessGroup(const DistributedOptions& resolved) : o_(resolved) {
  if (!active()) return;
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(o_.timeout_seconds * 1000));
  impl_ = std::make_unique<Impl>();
  try {
    c10d::TCPStoreOptions store_options;
    store_options.port = static_cast<uint16_t>(o_.master_port);
    // Under torchrun the agent already serves the store at MASTER_PORT: every rank is then a client of it, under
    // a prefix per restart (the agent's store outlives its workers).
    const bool agent_store = env("TORCHELASTIC_USE_AGENT_STORE") == "True";
    store_options.isServer = o_.rank == 0 && !agent_store;
    store_options.numWorkers = static_cast<size_t>(o_.world);
    store_options.waitWorkers = true;
    store_options.timeout = timeout;
    impl_->store = c10::make_intrusive<c10d::TCPStore>(o_.master_addr, store_options);
    if (agent_store) {
      impl_->store = c10::make_intrusive<c10d::PrefixStore>(
          "/worker/attempt_" + env("TORCHELASTIC_RESTART_COUNT").value_or("0"), impl_->store);
    }
    auto gloo = c10d::ProcessGroupGloo::Options::create(timeout);
    gloo->devices.push_back(gloo_device(o_.master_addr));
    gloo->threads = 2;  // buckets in flight at once
    impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, o_.rank, o_.world, gloo);
  } catch (const std::exception& e) {
    fail(o_, fmt::format("the rendezvous at {}:{}", o_.master_addr, o_.master_port).c_str(), e);
  }
  log::info("distributed training: rank {} of {}, rendezvous at {}:{}, gloo", o_.rank, o_.world, o_.master_addr,
            o_.master_port);
}

ProcessGroup::~ProcessGroup() = default;

void ProcessGroup::average_gradients(torch::Tensor& gradients, int64_t examples) {
  if (!active()) return;
  torch::NoGradGuard no_grad;
  // The first bucket travels with this rank's example count appended (one collective fewer per step, which is
  // what small models wait on); every gradient is summed scaled by its rank's examples, then divided by the total.
  const int64_t bucket = kBucketBytes / static_cast<int64_t>(gradients.element_size());
  const int64_t first = std::min(bucket, gradients.numel());
  if (!impl_->first_bucket.defined() || impl_->first_bucket.numel() != first + 1) {
    impl_->first_bucket = torch::empty({first + 1});
  }
  impl_->first_bucket.narrow(0, 0, first).copy_(gradients.narrow(0, 0, first)).mul_(static_cast<double>(examples));
  impl_->first_bucket[first] = static_cast<float>(examples);
  std::deque<std::vector<at::Tensor>> buffers{{impl_->first_bucket}};  // each work's tensors, alive until it is done
  Works works;
  try {
    works.push_back(impl_->group->allreduce(buffers.back()));
    for (int64_t offset = first; offset < gradients.numel(); offset += bucket) {
      buffers.push_back({gradients.narrow(0, offset, std::min(bucket, gradients.numel() - offset))});
      buffers.back()[0].mul_(static_cast<double>(examples));
      works.push_back(impl_->group->allreduce(buffers.back()));
    }
  } catch (const std::exception& e) {
    fail(o_, "the gradient all-reduce", e);
  }
  wait_all(o_, works, "the gradient all-reduce");
  const double total = impl_->first_bucket[first].item<double>();
  gradients.narrow(0, 0, first).copy_(impl_->first_bucket.narrow(0, 0, first));
  gradients.div_(total);
}

std::vector<double> ProcessGroup::sum(const std::vector<double>& values, const char* what) {
  if (!active()) return values;
  std::vector<at::Tensor> t{torch::tensor(values, torch::kFloat64)};
  Works works;
  try {
    works.push_back(impl_->group->allreduce(t));
  } catch (const std::exception& e) {
    fail(o_, what, e);
  }
  wait_all(o_, works, what);
  return {t[0].data_ptr<double>(), t[0].data_ptr<double>() + t[0].numel()};
}

std::vector<double> ProcessGroup::broadcast(const std::vector<double>& values, const char* what) {
  if (!active()) return values;
  torch::Tensor t = torch::tensor(values, torch::kFloat64);
  broadcast(t, what);
  return {t.data_ptr<double>(), t.data_ptr<double>() + t.numel()};
}

void ProcessGroup::broadcast(torch::Tensor& tensor, const char* what) {
  if (!active()) return;
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> t{tensor};
  Works works;
  try {
    works.push_back(impl_->group->broadcast(t));
  } catch (const std::exception& e) {
    fail(o_, what, e);
  }
  wait_all(o_, works, what);
}

void ProcessGroup::average(const std::vector<torch::Tensor>& tensors, const char* what) {
  if (!active()) return;
  torch::NoGradGuard no_grad;
  std::deque<std::vector<at::Tensor>> buffers;
  Works works;
  try {
    for (const auto& t : tensors) {
      if (!t.is_floating_point() || t.numel() == 0) continue;
      buffers.push_back({t});
      works.push_back(impl_->group->allreduce(buffers.back()));
    }
  } catch (const std::exception& e) {
    fail(o_, what, e);
  }
  wait_all(o_, works, what);
  for (auto& b : buffers) b[0].div_(static_cast<double>(o_.world));
}

std::string ProcessGroup::rank0_text(const std::string& key, const std::string& text, const char* what) {
  if (!active()) return text;
  try {
    const std::string name = "seqdl/" + key;
    if (o_.rank == 0) {
      impl_->store->set(name, std::vector<uint8_t>(text.begin(), text.end()));
      return text;
    }
    auto bytes = impl_->store->get(name);  // waits for rank 0 up to the store's timeout
    return {bytes.begin(), bytes.end()};
  } catch (const std::exception& e) {
    fail(o_, what, e);
  }
}

void ProcessGroup::barrier(const char* what) {
  if (!active()) return;
  Works works;
  try {
    works.push_back(impl_->group->barrier());
  } catch (const std::exception& e) {
    fail(o_, what, e);
  }
  wait_all(o_, works, what);
}

}  // namespace seqdl::train
