// The jobs behind `seqdl info model.pt` and `seqdl import`.
#include <filesystem>

#include "io/checksum.hpp"
#include "nn/import_torchscript.hpp"
#include "nn/model_metadata.hpp"
#include "nn/network_file.hpp"
#include "util/error.hpp"
#include "util/provenance.hpp"

namespace seqdl::nn {

TorchScriptInfo describe_torchscript(const std::string& path, const ModelOverrides& overrides) {
  LoadedTorchScript t = load_torchscript(path, overrides);
  TorchScriptInfo out;
  if (overrides.no_import) {
    out.report.stopped_by = "--no-import";
    out.report.input_length = t.info.input_length;
    out.info = wrap_torchscript(std::move(t.module), std::move(t.info))->info();
    return out;
  }
  ImportResult r = import_torchscript(t.module, t.info.input_length, path);
  out.report = r.report;
  if (r.network) {
    t.info.form = ModelForm::imported;
    out.info = wrap_network(r.network, std::move(t.info))->info();
  } else {
    out.info = wrap_torchscript(std::move(t.module), std::move(t.info))->info();
  }
  return out;
}

ImportSummary import_model_file(const ImportOptions& o) {
  if (o.output.empty() || o.output == "-") throw UsageError("-o: give a .seqdl file to write (not stdout)");
  std::error_code ec;
  if (std::filesystem::exists(o.output, ec) && std::filesystem::equivalent(o.output, o.model, ec)) {
    throw UsageError("-o {} is the TorchScript file itself", o.output);
  }
  LoadedTorchScript t = load_torchscript(o.model, o.overrides);
  ImportResult r = import_torchscript(t.module, t.info.input_length, o.model);
  if (!r.network) throw ModelError("cannot import {} into seqdl's layers: {}", o.model, r.report.stopped_by);
  t.info.form = ModelForm::imported;
  std::unique_ptr<Model> model = wrap_network(r.network, std::move(t.info));  // describes and checks the outputs
  io::FileDigest digest = io::file_digest(o.model);
  MetadataParts parts;
  parts.source = {{"path", o.model},
                  {"bytes", digest.bytes},
                  {"md5", digest.md5},
                  {"format", "TorchScript"},
                  {"max_difference", r.report.max_difference}};
  parts.provenance = run_provenance().to_json();
  parts.provenance.erase("started");  // the same command gives the same bytes
  save_model(o.output, *r.network, model_metadata(model->info(), parts));
  ImportSummary s;
  s.report = r.report;
  s.layers = static_cast<int64_t>(r.network->graph().nodes().size());
  s.parameters = r.network->parameter_count();
  s.md5 = digest.md5;
  return s;
}

}  // namespace seqdl::nn
