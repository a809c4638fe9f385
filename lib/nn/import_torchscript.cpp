#include "nn/import_torchscript.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/jit/passes/freeze_module.h>
#include <torch/csrc/jit/passes/remove_mutation.h>

#include "nn/import_walk.hpp"
#include "nn/network_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace seqdl::nn {
namespace {

constexpr int64_t kProbeBatch = 2;
constexpr uint64_t kProbeSeed = 20240613;

// The module's class name without TorchScript's prefixes ("__torch__.archs.___torch_mangle_3.Basset" -> "Basset").
std::string module_name(const torch::jit::script::Module& m) {
  auto q = m.type()->name();
  return q ? q->name() : "imported";
}

struct Mapped {
  ArchSpec spec;
  std::vector<std::pair<std::string, torch::Tensor>> state;
};

// Freezes a copy of the module (attributes become constants, calls are inlined), removes in-place ops where that
// is safe, and walks the graph on a random one-hot probe.
Mapped map_module(const torch::jit::script::Module& module, int64_t input_length) {
  torch::jit::script::Module frozen;
  try {
    frozen = torch::jit::freeze_module(module);
  } catch (const std::exception& e) {
    throw importer::ImportStop(fmt::format("the module cannot be frozen ({})", torch_error(e)));
  }
  std::shared_ptr<torch::jit::Graph> graph = frozen.get_method("forward").graph();
  torch::jit::RemoveTensorMutation(graph);
  auto generator = at::detail::createCPUGenerator(kProbeSeed);
  auto probe = torch::one_hot(torch::randint(4, {kProbeBatch, input_length}, generator), 4).permute({0, 2, 1});
  importer::LayerBuilder layers;
  importer::WalkResult walk = importer::walk_graph(*graph, frozen._ivalue(), probe.to(torch::kFloat32).contiguous(), layers);
  std::vector<std::pair<std::string, std::string>> heads;
  for (const auto& h : walk.heads) {
    if (h.act.layer == "input") throw importer::ImportStop(fmt::format("{} is the input itself", h.name));
    if (h.act.layout != importer::Layout::channels_first && h.act.layout != importer::Layout::flat) {
      throw importer::ImportStop(fmt::format("{} is {}; seqdl's outputs are [batch, tasks] or [batch, tasks, positions]",
                                             h.name, importer::layout_name(h.act.layout)));
    }
    heads.emplace_back(h.name, h.act.layer);
  }
  const int64_t tasks = walk.heads.at(0).shape.size() >= 2 ? walk.heads[0].shape[1] : 1;
  Mapped m;
  m.spec = layers.finish(heads, module_name(module), input_length, tasks);
  m.spec.description = "imported from TorchScript";
  m.state = layers.state(m.spec);
  return m;
}

}  // namespace

ImportResult import_torchscript(torch::jit::script::Module& module, int64_t input_length, const std::string& source) {
  ImportResult result;
  ImportReport& report = result.report;
  report.input_length = input_length;
  torch::NoGradGuard no_grad;
  // Building the network draws initial weights from the global generator: put its state back afterwards.
  auto generator = at::detail::getDefaultCPUGenerator();
  const auto saved = generator.get_state();
  struct Restore {
    at::Generator& g;
    const at::Tensor& state;
    ~Restore() { g.set_state(state); }
  } restore{generator, saved};
  module.eval();
  try {
    Mapped m = map_module(module, input_length);
    report.spec = m.spec.to_json();
    Network network(nullptr);
    try {
      network = Network(m.spec, input_length, m.spec.tasks);
      load_state(*network, m.state, source);
    } catch (const ModelError& e) {
      throw importer::ImportStop(fmt::format("the mapped layers do not build ({})", e.what()));
    }
    network->eval();
    check_import(module, *network, report);
    if (report.check_failed) return result;
    report.imported = true;
    result.network = network;
  } catch (const importer::ImportStop& e) {
    report.stopped_by = e.what();
  }
  return result;
}

LoadedTorchScript load_torchscript(const std::string& path, const ModelOverrides& o) {
  torch::jit::ExtraFilesMap extra{{"seqdl.json", ""}};
  LoadedTorchScript t;
  try {
    t.module = torch::jit::load(path, torch::kCPU, extra);
  } catch (const std::exception& e) {
    throw ModelError("{} is neither a seqdl model nor a TorchScript file ({})", path, torch_error(e));
  }
  t.info.source = path;
  t.info.form = ModelForm::torchscript;
  if (!extra["seqdl.json"].empty()) {
    try {
      t.info.metadata = nlohmann::json::parse(extra["seqdl.json"]);
    } catch (const nlohmann::json::exception& e) {
      throw ModelError("{}: its seqdl.json is not valid JSON ({})", path, e.what());
    }
    read_declared_info(t.info.metadata, path + " (seqdl.json)", t.info);
  }
  apply_overrides(o, t.info);
  if (t.info.input_length <= 0) {
    throw UsageError("{} is a TorchScript model that does not record its input length: give --window", path);
  }
  return t;
}

std::unique_ptr<Model> open_torchscript(const std::string& path, const ModelOverrides& o) {
  LoadedTorchScript t = load_torchscript(path, o);
  if (o.no_import) {
    log::debug("{}: running the TorchScript module as it is (--no-import)", path);
    return wrap_torchscript(std::move(t.module), std::move(t.info));
  }
  ImportResult r = import_torchscript(t.module, t.info.input_length, path);
  if (r.network) {
    log::debug("{}: imported into seqdl's layers ({} layers; equal to its TorchScript forward within {:.1e} on {} "
               "random inputs)", path, r.network->graph().nodes().size(), r.report.max_difference,
               r.report.checked_inputs);
    t.info.form = ModelForm::imported;
    return wrap_network(r.network, std::move(t.info));
  }
  if (r.report.check_failed) {
    log::warn("{}: its import into seqdl's layers failed the check against TorchScript ({}); running it as TorchScript",
              path, r.report.stopped_by);
  } else {
    log::debug("{}: not imported into seqdl's layers: {}; running it as TorchScript", path, r.report.stopped_by);
  }
  return wrap_torchscript(std::move(t.module), std::move(t.info));
}

}  // namespace seqdl::nn
