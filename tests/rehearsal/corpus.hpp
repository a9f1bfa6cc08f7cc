// The rehearsal corpus: tests/rehearsal/corpus/context.json (workspace, clusters, experiment) plus one
// Batch AI job per corpus/jobs/*.json; and the jobs of config/sample-inventory.json.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"

namespace bai2aml::rehearsal {

struct CorpusJob {
  std::string label;                          // "corpus/<file stem>" or "sample/<job name>"
  std::string job_id;                         // the Batch AI job's id
  std::vector<nlohmann::json> resources;      // the inventory it is translated with
  config::Config cfg;
};

std::vector<CorpusJob> corpus_jobs();
std::vector<CorpusJob> sample_jobs();

}  // namespace bai2aml::rehearsal
