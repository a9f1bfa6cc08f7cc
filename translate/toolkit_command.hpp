// How Batch AI launched a job's toolkit (cntk, tensorflow, pytorch, horovod, custom MPI, caffe,
// caffe2, chainer, custom toolkit), as an AML command and distribution, plus what the job prologue
// (job_prologue.hpp) must derive for each process from that distribution's environment.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "translate/inventory.hpp"

namespace bai2aml::translate {

// Which AML launcher starts the processes, and so which variables tell a process who it is:
// PyTorch: RANK, WORLD_SIZE, MASTER_ADDR/PORT; Mpi: OMPI_COMM_WORLD_*; TensorFlow: TF_CONFIG.
enum class Launcher { Single, PyTorch, Mpi, TensorFlow };

struct ToolkitCommand {
  // The toolkit's command line, "" when the settings give nothing to run (job-toolkit-missing). For a
  // TensorFlow ps/worker job it dispatches on $bai2aml_role, which the prologue sets.
  std::string command;
  nlohmann::json distribution;  // a DistributionConfiguration object, or null for none
  std::vector<std::pair<std::string, std::string>> findings;  // (code, message) about this job
  Launcher launcher = Launcher::Single;
  int processes_per_node = 1;
  bool task_index = false;       // Batch AI set AZ_BATCHAI_TASK_INDEX (TensorFlow, Caffe2, PyTorch)
  bool pytorch = false;          // AZ_BATCHAI_PYTORCH_INIT_METHOD / _BACKEND
  std::string pytorch_backend;   // communicationBackend as given ("" = none)
  bool first_node_only = false;  // custom toolkit on several nodes: Batch AI ran it on the master node
};

// Pure; the prologue, job preparation and the node-0 guard are added by the caller.
ToolkitCommand synthesize_command(const BaiJob& job);

}  // namespace bai2aml::translate
