// An end-to-end test bench: a private directory with the credential files, a config made from
// config/demo.template.json and pointed at a bai2aml-emulator, and helpers to run the real bai2aml.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
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

// Every AML resource id the desired state names (from the database, through `bai2aml report`).
std::set<std::string> desired_ids(const E2eBench& bench);

// ARM ids are case-insensitive: compare them lower-cased.
std::string lower(std::string s);
bool contains_ci(const std::string& s, const std::string& part);
bool ends_with_ci(const std::string& s, const std::string& suffix);
std::set<std::string> lower_set(const std::vector<std::string>& v);
std::set<std::string> lower_set(const std::set<std::string>& v);

// `bai2aml report --format json` of the bench's config (the test fails if it does not exit 0).
nlohmann::json report(const E2eBench& bench);

// "a - b": what one set has that the other lacks, one per line, for failure messages.
std::string missing(const std::set<std::string>& a, const std::set<std::string>& b);

}  // namespace bai2aml::testing

// The live AML ids and the desired ones are the same set (case-insensitively); on failure, says which differ.
#define CHECK_SAME_IDS(live_ids, desired_ids)                                                                  \
  do {                                                                                                         \
    const auto l_ = ::bai2aml::testing::lower_set(live_ids);                                                   \
    const auto d_ = ::bai2aml::testing::lower_set(desired_ids);                                                \
    INFO("live, not desired: " << ::bai2aml::testing::missing(l_, d_)                                          \
                               << "\ndesired, not live: " << ::bai2aml::testing::missing(d_, l_));             \
    CHECK(l_ == d_);                                                                                           \
  } while (false)
