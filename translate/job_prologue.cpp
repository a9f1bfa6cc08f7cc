#include "translate/job_prologue.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace bai2aml::translate {
namespace {

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Node-local state lives under ${TMPDIR:-/tmp}: AML runs one container per node, shared by the
// node's processes and by no other node (a guard there is node-local by construction).
const char* kHeader = "# bai2aml: Batch AI's job environment, rebuilt from what AML gives this process\n";

// mkdir -p of the parent, then the symlink unless a sibling process of this node made it first.
const char* kLinkFunction =
    "bai2aml_link() { mkdir -p \"$(dirname \"$2\")\" && { [ -L \"$2\" ] || ln -s \"$1\" \"$2\" 2>/dev/null || [ -L \"$2\" ]; }; }\n";

// TF_CONFIG is JSON; the prologue reads its few fields with sed, so that no interpreter runs before
// the job's own (AML's TF_CONFIG: {"cluster":{"worker":[..],"ps":[..]},"task":{"type":..,"index":..}}).
const char* kTensorFlow =
    "bai2aml_tf() { printf '%s' \"$TF_CONFIG\" | tr -d ' \\t\\n\"' | sed -n \"s/.*$1:\\([^],}]*\\).*/\\1/p\"; }\n"
    "bai2aml_tf_hosts() { printf '%s' \"$TF_CONFIG\" | tr -d ' \\t\\n\"' | sed -n \"s/.*$1:\\[\\([^]]*\\)\\].*/\\1/p\"; }\n"
    "bai2aml_json_list() { printf '%s' \"$1\" | sed 's/[^,][^,]*/\"&\"/g'; }\n"
    "export AZ_BATCHAI_PS_HOSTS=\"$(bai2aml_tf_hosts ps)\" AZ_BATCHAI_WORKER_HOSTS=\"$(bai2aml_tf_hosts worker)\"\n"
    "export AZ_BATCHAI_TASK_INDEX=\"$(bai2aml_tf index)\"\n"
    "bai2aml_role=\"$(bai2aml_tf type)\"\n"
    "if [ \"$bai2aml_role\" = worker ] && [ \"$AZ_BATCHAI_TASK_INDEX\" = 0 ]; then bai2aml_role=master; fi\n"
    "export TF_CONFIG=\"{\\\"cluster\\\":{\\\"ps\\\":[$(bai2aml_json_list \"$AZ_BATCHAI_PS_HOSTS\")],"
    "\\\"worker\\\":[$(bai2aml_json_list \"$AZ_BATCHAI_WORKER_HOSTS\")]},"
    "\\\"task\\\":{\\\"type\\\":\\\"$bai2aml_role\\\",\\\"index\\\":$AZ_BATCHAI_TASK_INDEX},"
    "\\\"environment\\\":\\\"cloud\\\"}\"\n";

// Batch AI's host file listed every node of the job. AML tells a process only the master's address
// (or, for TensorFlow, every task's): the other nodes are found by a rendezvous in the job's shared
// directory, where each node writes its own address under its index, then waits for the others.
std::string host_file(const JobScript& s) {
  const std::string slots = " slots=" + std::to_string(s.toolkit->processes_per_node);
  const std::string n = std::to_string(s.nodes);
  std::string o = "export AZ_BATCHAI_MPI_HOST_FILE=\"$AZ_BATCHAI_JOB_TEMP/hostfile\"\n";
  std::string hosts;
  if (s.nodes <= 1) {
    hosts = "echo \"$bai2aml_host" + slots + "\"";
  } else if (s.toolkit->launcher == Launcher::TensorFlow) {
    hosts = "printf '%s\\n' \"$AZ_BATCHAI_WORKER_HOSTS,$AZ_BATCHAI_PS_HOSTS\" | tr ',' '\\n' | sed 's/:[0-9]*$//' | "
            "awk 'NF && !seen[$0]++ { print $0 \"" + slots + "\" }'";
  } else {
    const std::string node = s.toolkit->launcher == Launcher::Mpi
                                 ? "$((${OMPI_COMM_WORLD_RANK:-0} / " + std::to_string(s.toolkit->processes_per_node) + "))"
                                 : "${NODE_RANK:-0}";
    o += "# the job's nodes: each writes its address to the job's shared directory, then waits for the others\n"
         "bai2aml_hosts=\"$bai2aml_shared/hosts\" bai2aml_node=\"" + node + "\" bai2aml_wait=0\n"
         "mkdir -p \"$bai2aml_hosts\"\n"
         "hostname -I | cut -d' ' -f1 > \"$bai2aml_hosts/$bai2aml_node.$$\" && mv -f \"$bai2aml_hosts/$bai2aml_node.$$\" \"$bai2aml_hosts/$bai2aml_node\"\n"
         "while [ \"$(ls \"$bai2aml_hosts\" | grep -c '^[0-9]*$')\" -lt " + n + " ] && [ \"$bai2aml_wait\" -lt 600 ]; do\n"
         "  sleep 1; bai2aml_wait=$((bai2aml_wait + 1))\n"
         "done\n";
    hosts = "for bai2aml_i in $(seq 0 " + std::to_string(s.nodes - 1) + "); do sed 's/$/" + slots +
            "/' \"$bai2aml_hosts/$bai2aml_i\" 2>/dev/null; done";
  }
  return o + hosts + " > \"$AZ_BATCHAI_MPI_HOST_FILE.$$\" && mv -f \"$AZ_BATCHAI_MPI_HOST_FILE.$$\" \"$AZ_BATCHAI_MPI_HOST_FILE\"\n";
}

// Who this process is, in Batch AI's terms, from the AML launcher's variables.
std::string process_identity(const JobScript& s) {
  const ToolkitCommand& t = *s.toolkit;
  std::string o;
  switch (t.launcher) {
    case Launcher::TensorFlow: o += kTensorFlow; break;
    case Launcher::PyTorch:
      if (t.task_index) o += "export AZ_BATCHAI_TASK_INDEX=\"$RANK\"\n";
      if (t.pytorch) o += "export AZ_BATCHAI_PYTORCH_INIT_METHOD=\"tcp://$MASTER_ADDR:$MASTER_PORT\"\n";
      break;
    case Launcher::Mpi:
      if (t.task_index) o += "export AZ_BATCHAI_TASK_INDEX=\"$OMPI_COMM_WORLD_RANK\"\n";
      if (t.pytorch) o += "export AZ_BATCHAI_PYTORCH_INIT_METHOD=\"tcp://${AZ_BATCH_MASTER_NODE:-localhost:29500}\"\n";
      break;
    case Launcher::Single:
      if (t.task_index) o += "export AZ_BATCHAI_TASK_INDEX=0\n";
      if (t.pytorch) o += "export AZ_BATCHAI_PYTORCH_INIT_METHOD=\"tcp://$bai2aml_host:29500\"\n";
      break;
  }
  if (t.pytorch && !t.pytorch_backend.empty()) {
    std::string backend = t.pytorch_backend;  // torch.distributed's names are lower case
    for (char& c : backend) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    o += "export AZ_BATCHAI_PYTORCH_BACKEND=" + expanding_word(backend) + "\n";
  }
  return o;
}

// Batch AI ran the preparation once per node before the toolkit: the node's first process runs it,
// the others wait for its exit status; a failure fails every process (and so the job).
std::string job_preparation(const std::string& command) {
  return "# job preparation: once per node, before the command; the node's other processes wait for it\n"
         "bai2aml_prep=\"$AZ_BATCHAI_JOB_TEMP/jobprep\"\n"
         "if mkdir \"$bai2aml_prep.lock\" 2>/dev/null; then\n"
         "  (\n" + command + "\n  )\n"
         "  echo $? > \"$bai2aml_prep.rc.$$\" && mv -f \"$bai2aml_prep.rc.$$\" \"$bai2aml_prep.rc\"\n"
         "fi\n"
         "while [ ! -f \"$bai2aml_prep.rc\" ]; do sleep 1; done\n"
         "bai2aml_rc=\"$(cat \"$bai2aml_prep.rc\")\"\n"
         "[ \"$bai2aml_rc\" = 0 ] || exit \"$bai2aml_rc\"\n";
}

}  // namespace

std::string expanding_word(const std::string& value) {
  std::string out = "\"";
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const bool reference = c == '$' && i + 1 < value.size() && (name_start(value[i + 1]) || value[i + 1] == '{');
    if ((c == '$' && !reference) || c == '"' || c == '\\' || c == '`') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::vector<std::string> contract_variables(const ToolkitCommand& t) {
  std::vector<std::string> v = {"AZ_BATCHAI_MOUNT_ROOT",      "AZ_BATCHAI_JOB_MOUNT_ROOT", "AZ_BATCHAI_JOB_TEMP",
                                "AZ_BATCHAI_JOB_TEMP_DIR",    "AZ_BATCHAI_SHARED_JOB_TEMP", "AZ_BATCHAI_STDOUTERR_DIR",
                                "AZ_BATCHAI_MPI_HOST_FILE",   "AZ_BATCHAI_NUM_GPUS"};
  if (t.task_index) v.push_back("AZ_BATCHAI_TASK_INDEX");
  if (t.launcher == Launcher::TensorFlow) {
    v.push_back("AZ_BATCHAI_PS_HOSTS");
    v.push_back("AZ_BATCHAI_WORKER_HOSTS");
  }
  if (t.pytorch) {
    v.push_back("AZ_BATCHAI_PYTORCH_INIT_METHOD");
    if (!t.pytorch_backend.empty()) v.push_back("AZ_BATCHAI_PYTORCH_BACKEND");
  }
  std::sort(v.begin(), v.end());
  return v;
}

std::string job_command(const JobScript& s) {
  std::ostringstream o;
  o << kHeader;
  o << "export AZ_BATCHAI_JOB_TEMP_DIR=\"${TMPDIR:-/tmp}/batchai/jobs\"\n"
    << "export AZ_BATCHAI_JOB_TEMP=\"$AZ_BATCHAI_JOB_TEMP_DIR/" << s.job_name << "\"\n"
    << "export AZ_BATCHAI_MOUNT_ROOT=\"$AZ_BATCHAI_JOB_TEMP/mounts\" AZ_BATCHAI_JOB_MOUNT_ROOT=\"$AZ_BATCHAI_JOB_TEMP/jobmounts\"\n"
    << "mkdir -p \"$AZ_BATCHAI_MOUNT_ROOT\" \"$AZ_BATCHAI_JOB_MOUNT_ROOT\"\n";
  if (!s.cluster_mounts.empty() || !s.job_mounts.empty()) o << kLinkFunction;
  for (const auto& [rel, binding] : s.cluster_mounts) o << "bai2aml_link \"" << binding << "\" \"$AZ_BATCHAI_MOUNT_ROOT/" << rel << "\"\n";
  for (const auto& [rel, binding] : s.job_mounts) o << "bai2aml_link \"" << binding << "\" \"$AZ_BATCHAI_JOB_MOUNT_ROOT/" << rel << "\"\n";
  o << "bai2aml_shared=" << s.shared_job_temp << "\n";
  o << "export AZ_BATCHAI_SHARED_JOB_TEMP=\"$bai2aml_shared/shared\"\n";
  o << "mkdir -p \"$AZ_BATCHAI_SHARED_JOB_TEMP\"\n";
  o << "export AZ_BATCHAI_STDOUTERR_DIR=" << s.stdouterr_dir << "\n";
  o << "mkdir -p \"$AZ_BATCHAI_STDOUTERR_DIR\"\n";
  for (const auto& [name, word] : s.directories) o << "export " << name << "=" << word << "\n";
  o << "export AZ_BATCHAI_NUM_GPUS=" << s.gpus << "\n";
  // One node: its own address stands in for the job's hosts (AML names no master for it).
  if (s.nodes <= 1) o << "bai2aml_host=\"$(hostname -I 2>/dev/null | cut -d' ' -f1)\"; bai2aml_host=\"${bai2aml_host:-localhost}\"\n";
  o << process_identity(s);
  o << host_file(s);
  for (const EnvVar& v : s.expanded_variables) o << "export " << v.name << "=" << expanding_word(v.value) << "\n";
  if (!s.job_preparation.empty()) o << job_preparation(s.job_preparation);
  o << "# the job's command, as Batch AI ran it\n";
  if (s.toolkit->first_node_only) {
    o << "if [ \"${RANK:-0}\" = 0 ]; then  # Batch AI ran a custom toolkit's command on the master node only\n"
      << s.toolkit->command << "\nfi";
  } else {
    o << s.toolkit->command;
  }
  return o.str();
}

int gpus_of_vm_size(const std::string& vm_size) {
  static const std::map<std::string, int> sizes = {
      {"standard_nc6", 1},       {"standard_nc12", 2},      {"standard_nc24", 4},      {"standard_nc24r", 4},
      {"standard_nc6s_v2", 1},   {"standard_nc12s_v2", 2},  {"standard_nc24s_v2", 4},  {"standard_nc24rs_v2", 4},
      {"standard_nc6s_v3", 1},   {"standard_nc12s_v3", 2},  {"standard_nc24s_v3", 4},  {"standard_nc24rs_v3", 4},
      {"standard_nd6s", 1},      {"standard_nd12s", 2},     {"standard_nd24s", 4},     {"standard_nd24rs", 4},
      {"standard_nv6", 1},       {"standard_nv12", 2},      {"standard_nv24", 4},      {"standard_nd40s_v2", 8},
      {"standard_nd40rs_v2", 8}, {"standard_nv12s_v3", 1},  {"standard_nv24s_v3", 2},  {"standard_nv48s_v3", 4},
  };
  std::string key = vm_size;
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto it = sizes.find(key);
  return it == sizes.end() ? 0 : it->second;
}

}  // namespace bai2aml::translate
