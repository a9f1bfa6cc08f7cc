#include "tests/e2e/e2e_fixture.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <regex>

namespace bai2aml::testing {

std::string sample_seed() { return read_file(source_dir() + "/config/sample-inventory.json"); }

std::string sample_seed_with_ample_quota() {
  auto seed = nlohmann::json::parse(sample_seed());
  seed["quotas"] = {{"eastus",
                     {{"standardNCFamily", 10000}, {"standardNCSv2Family", 10000}, {"standardNCSv3Family", 10000},
                      {"standardDv2Family", 10000}, {"standardDSv2Family", 10000}, {"standardNDSFamily", 10000},
                      {"standardDFamily", 10000}, {"standardFSv2Family", 10000}, {"standardNVFamily", 10000},
                      {"totalDedicated", 100000}, {"totalLowPriority", 100000}, {"clusters", 1000}}}};
  return seed.dump();
}

E2eBench::E2eBench(const EmulatorProcess& emulator) {
  write_file(dir_.file("client-secret"), "e2e-client-secret\n");
  write_file(dir_.file("storage-researchdata"), "ZTJlLWtleQ==\n");
  write_file(dir_.file("storage-nlpcorpora"), "ZTJlLWtleQ==\n");
  write_file(dir_.file("ssh-public-key"), "ssh-rsa AAAAB3NzaC1yc2E e2e\n");
  std::string cfg = read_file(source_dir() + "/config/demo.template.json");
  cfg = std::regex_replace(cfg, std::regex("@ENDPOINT@"), emulator.base_url());
  cfg = std::regex_replace(cfg, std::regex("@DIR@"), dir_.path());
  config_ = dir_.file("bai2aml.json");
  write_file(config_, cfg);
}

nlohmann::json E2eBench::config_json() const { return nlohmann::json::parse(read_file(config_), nullptr, true, true); }

void E2eBench::write_config(const nlohmann::json& cfg) const { write_file(config_, cfg.dump(2)); }

CommandResult E2eBench::bai2aml(const std::vector<std::string>& args, int timeout_seconds) const {
  static int n = 0;
  const std::string out = dir_.file("cmd" + std::to_string(++n) + ".out"), err = dir_.file("cmd" + std::to_string(n) + ".err");
  std::vector<std::string> argv = {BAI2AML_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult r;
  r.exit_code = run_command(argv, out, err, {}, std::chrono::seconds(timeout_seconds));
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

nlohmann::json E2eBench::status() const {
  auto r = bai2aml({"status", "--config", config_, "--json"});
  if (r.exit_code != 0) throw std::runtime_error("bai2aml status failed: " + r.err);
  return nlohmann::json::parse(r.out);
}

long write_requests(const EmulatorProcess& emulator) {
  const auto s = emulator.stats();
  long n = 0;
  for (const char* m : {"PUT", "PATCH", "DELETE", "POST"}) n += s["requests"].value(m, 0L);
  return n;
}

std::vector<std::string> aml_resource_ids(const EmulatorProcess& emulator) {
  std::vector<std::string> ids;
  for (const auto& r : emulator.resources("/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/aml-migrated/"))
    ids.push_back(r["id"].get<std::string>());
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::set<std::string> desired_ids(const E2eBench& bench) {
  auto r = bench.bai2aml({"report", "--config", bench.config_path(), "--format", "json"});
  REQUIRE(r.exit_code == 0);
  std::set<std::string> ids;
  const auto report = nlohmann::json::parse(r.out);
  for (const auto& res : report["resources"])
    for (const auto& aml : res["aml"]) ids.insert(aml["id"].get<std::string>());
  CHECK_FALSE(ids.empty());
  return ids;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
bool contains_ci(const std::string& s, const std::string& part) { return lower(s).find(lower(part)) != std::string::npos; }
bool ends_with_ci(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && lower(s.substr(s.size() - suffix.size())) == lower(suffix);
}

std::set<std::string> lower_set(const std::vector<std::string>& v) {
  std::set<std::string> out;
  for (const auto& s : v) out.insert(lower(s));
  return out;
}

std::set<std::string> lower_set(const std::set<std::string>& v) { return lower_set(std::vector<std::string>(v.begin(), v.end())); }

nlohmann::json report(const E2eBench& bench) {
  auto r = bench.bai2aml({"report", "--config", bench.config_path(), "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

std::string missing(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::string out;
  for (const auto& x : a)
    if (!b.count(x)) out += "\n  " + x;
  return out.empty() ? "(none)" : out;
}

}  // namespace bai2aml::testing
