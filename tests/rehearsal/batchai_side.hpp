// The Batch AI side of a rehearsal: the processes Batch AI started for a job and the environment each
// saw, from Batch AI's documentation of its job environment and toolkits (translate/README.md, Sources;
// tests/rehearsal/README.md). Independent of translate/: it is the reference the translation is judged by.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "tests/rehearsal/sandbox.hpp"

namespace bai2aml::rehearsal {

struct SidePlan {
  int nodes = 1;
  int gpus = 0;                              // per node
  std::vector<Process> preparation;          // Batch AI: one per node (empty without jobPreparation)
  std::vector<Process> processes;            // in the order they run: by node, then as started
  std::vector<std::string> record_vars;      // the job's own environment variable names
  std::string output_segment;                // the per-job path segment of output directories
};

std::string node_address(int node);  // 10.0.0.(4+node), on both sides
int gpus_of(const std::string& vm_size);

// Lays out the node directories (mount roots, job temp, host file) in the sandbox and returns the plan.
SidePlan plan_batchai(const nlohmann::json& job, const nlohmann::json& cluster, const config::Config& cfg,
                      const std::string& job_name, const Sandbox& sandbox);

// $NAME / ${NAME} replaced for every NAME of `vars` (as bash would, for these names only).
std::string expand(const std::string& text, const std::map<std::string, std::string>& vars);

}  // namespace bai2aml::rehearsal
