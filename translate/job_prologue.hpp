// The command an AML job runs for a migrated Batch AI job: a short bash prologue that exports Batch
// AI's runtime contract (AZ_BATCHAI_*, TF_CONFIG) from what AML gives each process (input/output
// mount paths, RANK/MASTER_ADDR, OMPI_COMM_WORLD_*, TF_CONFIG), then the job preparation (once per
// node), then the toolkit's command line exactly as Batch AI ran it. Pure text generation.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "translate/inventory.hpp"
#include "translate/toolkit_command.hpp"

namespace bai2aml::translate {

struct JobScript {
  std::string job_name;  // AML job name: names the node-local job temp directory
  const ToolkitCommand* toolkit = nullptr;
  int nodes = 1;
  int gpus = 0;  // AZ_BATCHAI_NUM_GPUS
  // relativeMountPath -> the binding that mounts it, e.g. "${{inputs.mount_data}}".
  std::vector<std::pair<std::string, std::string>> cluster_mounts, job_mounts;
  // AZ_BATCHAI_INPUT_<id> / AZ_BATCHAI_OUTPUT_<id> -> a shell word giving its path.
  std::vector<std::pair<std::string, std::string>> directories;
  std::string shared_job_temp;  // shell word: the job's directory shared by all nodes (holds AZ_BATCHAI_SHARED_JOB_TEMP)
  std::string stdouterr_dir;    // shell word: AZ_BATCHAI_STDOUTERR_DIR
  std::vector<EnvVar> expanded_variables;  // environmentVariables whose values refer to variables
  std::string job_preparation;             // "" = none
};

std::string job_command(const JobScript& script);

// The Batch AI variables the prologue of this toolkit defines (fixed names; AZ_BATCHAI_INPUT_/OUTPUT_
// are checked against the job's directories by the caller).
std::vector<std::string> contract_variables(const ToolkitCommand& toolkit);

// `value` as one double-quoted shell word in which $NAME and ${...} still expand (Batch AI expanded
// variables in environmentVariables values and paths) and nothing else does.
std::string expanding_word(const std::string& value);

// GPUs of an Azure VM size (the N-series sizes Batch AI offered), 0 for others.
int gpus_of_vm_size(const std::string& vm_size);

}  // namespace bai2aml::translate
