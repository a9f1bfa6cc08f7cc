// The config the reconcile benchmarks run bai2aml with: the demo's, pointed at an emulator, without the
// sample's storage keys and SSH settings (generated estates have neither), quiet, 16 writes at a time.
#pragma once

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "tests/support/support.hpp"

namespace bai2aml::bench {

inline nlohmann::json bench_config(const std::string& endpoint, const std::string& dir) {
  std::string cfg = testing::read_file(testing::source_dir() + "/config/demo.template.json");
  cfg = std::regex_replace(cfg, std::regex("@ENDPOINT@"), endpoint);
  cfg = std::regex_replace(cfg, std::regex("@DIR@"), dir);
  auto j = nlohmann::json::parse(cfg, nullptr, true, true);
  j["mapping"].erase("storage_keys");
  j["mapping"].erase("ssh");
  j["log"]["level"] = "warn";
  j["azure"]["max_parallel"] = 16;
  return j;
}

}  // namespace bai2aml::bench
