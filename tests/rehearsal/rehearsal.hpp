// One job rehearsed: translate, run the Batch AI side and the AML side, compare per process.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "translate/model.hpp"

namespace bai2aml::rehearsal {

struct Verdict {
  bool same = false;           // every process saw the same argv and variables; preparation once per node
  int nodes = 0;
  int processes = 0;           // processes compared (union of both sides' process ids)
  int processes_different = 0; // of which saw something different
  int argv_different = 0;      // of which called their programs with a different argv
  std::string aml_command;     // the translated command, as the report shows it
  std::string report;          // readable: what differs, per process
};

// Rehearses the Batch AI job `job_id` found in `resources` (a whole inventory: workspaces, clusters,
// file servers, experiments, jobs). The job is translated as if queued. `edit` (the harness's own
// tests) changes the translation before it runs.
Verdict rehearse(std::vector<nlohmann::json> resources, const config::Config& cfg, const std::string& job_id,
                 const std::function<void(translate::Translation&)>& edit = {});

}  // namespace bai2aml::rehearsal
