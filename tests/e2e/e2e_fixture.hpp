// An end-to-end test bench: a private directory with the credential files, a config made from
// config/demo.template.json and pointed at a bai2aml-emulator, and helpers to run the real bai2aml.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/emulator_process.hpp"
#include "tests/support/support.hpp"

namespace bai2aml::testing {

// The sample estate with quotas large enough that the quota pre-flight holds nothing.
std::string sample_seed_with_ample_quota();
std::string sample_seed();

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};

class E2eBench {
 public:
  explicit E2eBench(const EmulatorProcess& emulator);
  const std::string& config_path() const { return config_; }
  std::string dir() const { return dir_.path(); }
  std::string file(const std::string& name) const { return dir_.file(name); }
  nlohmann::json config_json() const;                 // the config as written (comments stripped)
  void write_config(const nlohmann::json& cfg) const;  // replaces the config file

  CommandResult bai2aml(const std::vector<std::string>& args, int timeout_seconds = 120) const;
  nlohmann::json status() const;  // bai2aml status --json

 private:
  TempDir dir_;
  std::string config_;
};

// Counts of the emulator's write requests (PUT, PATCH, DELETE, POST) since the last reset.
long write_requests(const EmulatorProcess& emulator);

// AML resources the emulator holds under the demo's target resource group.
std::vector<std::string> aml_resource_ids(const EmulatorProcess& emulator);

}  // namespace bai2aml::testing
