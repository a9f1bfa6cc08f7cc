// The AML command and distribution of a Batch AI job, synthesized from its toolkit settings
// (cntk, tensorflow, pytorch, horovod, custom MPI, caffe, caffe2, chainer, custom toolkit).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "translate/inventory.hpp"

namespace bai2aml::translate {

struct ToolkitCommand {
  std::string command;        // "" when the toolkit settings give nothing to run (job-toolkit-missing)
  nlohmann::json distribution;  // a DistributionConfiguration object, or null for none
  std::vector<std::pair<std::string, std::string>> findings;  // (code, message) about this job
};

// Pure; job preparation and path substitution are applied by the caller.
ToolkitCommand synthesize_command(const BaiJob& job);

}  // namespace bai2aml::translate
