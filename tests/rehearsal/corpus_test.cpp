// One test case per corpus job and per job of config/sample-inventory.json, registered at start-up
// from the corpus files. Jobs named in corpus/pending.txt are expected to differ still ([!shouldfail]):
// the line says why; when the translation catches up, the case fails until its line is removed.
#include <catch2/catch.hpp>

#include <deque>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/rehearsal/corpus.hpp"
#include "tests/rehearsal/rehearsal.hpp"
#include "tests/support/support.hpp"

namespace {

using namespace bai2aml::rehearsal;

std::map<std::string, std::string> pending() {
  std::map<std::string, std::string> out;
  std::ifstream in(bai2aml::testing::source_dir() + "/tests/rehearsal/corpus/pending.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string label, why;
    words >> label;
    std::getline(words, why);
    out[label] = why;
  }
  return out;
}

struct Rehearse : Catch::ITestInvoker {
  explicit Rehearse(CorpusJob j) : job(std::move(j)) {}
  void invoke() const override {
    const Verdict v = rehearse(job.resources, job.cfg, job.job_id);
    INFO(v.report);
    CHECK(v.processes > 0);
    CHECK(v.same);
  }
  CorpusJob job;
};

bool register_corpus() {
  static std::deque<std::string> names;  // Catch keeps references to the names
  static const std::string tags = "[rehearsal]", pending_tags = "[rehearsal][!shouldfail]";
  const auto waiting = pending();
  std::vector<CorpusJob> jobs = corpus_jobs();
  for (auto& j : sample_jobs()) jobs.push_back(std::move(j));
  for (auto& j : jobs) {
    names.push_back("rehearse " + j.label);
    const bool expected_to_differ = waiting.count(j.label) > 0;
    // Catch owns the invoker; the registrar object itself is only needed while registering.
    Catch::AutoReg reg(new Rehearse(std::move(j)), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                       Catch::NameAndTags{names.back(), expected_to_differ ? pending_tags : tags});
  }
  return true;
}

[[maybe_unused]] const bool registered = register_corpus();

}  // namespace

// Not run by ctest ([.]): the corpus in numbers, for the closing note.
//   build/tests/rehearsal/test_rehearsal "[.summary]" -s
TEST_CASE("rehearsal summary", "[.summary]") {
  std::vector<CorpusJob> jobs = corpus_jobs();
  for (auto& j : sample_jobs()) jobs.push_back(std::move(j));
  std::map<std::string, std::pair<int, int>> by_toolkit;  // toolkit -> (jobs, same)
  int processes = 0, same = 0, different = 0, argv = 0;
  std::string table;
  for (const auto& j : jobs) {
    std::string toolkit = "?";
    for (const auto& r : j.resources) {
      if (r.value("id", "") != j.job_id) continue;
      for (const auto& [k, v] : r["properties"].items()) {
        if (k.size() > 8 && k.compare(k.size() - 8, 8, "Settings") == 0 && k != "containerSettings") toolkit = k;
      }
    }
    const Verdict v = rehearse(j.resources, j.cfg, j.job_id);
    processes += v.processes;
    different += v.processes_different;
    argv += v.argv_different;
    same += v.same ? 1 : 0;
    by_toolkit[toolkit].first += 1;
    by_toolkit[toolkit].second += v.same ? 1 : 0;
    table += j.label + " " + toolkit + " nodes=" + std::to_string(v.nodes) + " processes=" + std::to_string(v.processes) +
             (v.same ? " same" : " DIFFERENT (" + std::to_string(v.processes_different) + " processes, " +
                                     std::to_string(v.argv_different) + " with another argv)") + "\n";
  }
  for (const auto& [k, n] : by_toolkit) {
    table += k + ": " + std::to_string(n.first) + " job(s), " + std::to_string(n.second) + " same\n";
  }
  table += std::to_string(jobs.size()) + " jobs, " + std::to_string(processes) + " processes compared, " +
           std::to_string(different) + " different (" + std::to_string(argv) + " with another argv), " +
           std::to_string(same) + " jobs the same";
  WARN(table);
  SUCCEED();
}
