#include "tests/rehearsal/corpus.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tests/support/support.hpp"
#include "tests/translate/fixtures.hpp"

namespace bai2aml::rehearsal {
namespace {

using nlohmann::json;

json load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  return json::parse(in);
}

}  // namespace

std::vector<CorpusJob> corpus_jobs() {
  const std::string dir = testing::source_dir() + "/tests/rehearsal/corpus";
  const auto context = load(dir + "/context.json").at("resources").get<std::vector<json>>();
  config::Config cfg = translate::test::test_config();
  cfg.source.subscription_id = "00000000-0000-0000-0000-0000000000aa";
  cfg.mapping.storage_keys["bairehearsal"] = "/run/credentials/bai2aml/bairehearsal.key";
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir + "/jobs")) {
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<CorpusJob> out;
  for (const auto& f : files) {
    const json job = load(f);
    CorpusJob c{"corpus/" + std::filesystem::path(f).stem().string(), job.at("id").get<std::string>(), context, cfg};
    c.resources.push_back(job);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<CorpusJob> sample_jobs() {
  const auto resources = translate::test::sample_inventory();
  std::vector<CorpusJob> out;
  for (const auto& r : resources) {
    if (r.value("type", "") != "Microsoft.BatchAI/workspaces/experiments/jobs") continue;
    out.push_back({"sample/" + r.value("name", ""), r.value("id", ""), resources, translate::test::sample_config()});
  }
  return out;
}

}  // namespace bai2aml::rehearsal
