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
