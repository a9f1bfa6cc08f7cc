#include "translate/toolkit_command.hpp"

#include <cctype>

namespace bai2aml::translate {
namespace {

using nlohmann::json;

std::string str(const json& o, const char* key) {
  const auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

// Process, worker and parameter-server counts: 0..kMaxCount, the range the inventory reader allows
// for node counts, so every product and sum below stays far inside int. A count outside it (or not
// an integer) counts as absent, and the job says so in a finding rather than overflowing.
constexpr long long kMaxCount = 1000000;

int integer(const json& o, const char* key) {
  const auto it = o.find(key);
  if (it == o.end() || !it->is_number_integer()) return 0;
  if (it->is_number_unsigned()) return it->get<unsigned long long>() <= kMaxCount ? it->get<int>() : 0;
  const auto n = it->get<long long>();
  return n >= 0 && n <= kMaxCount ? static_cast<int>(n) : 0;
}

// A count the settings give but integer() had to ignore.
void note_ignored_count(const json& o, const char* key, ToolkitCommand& out) {
  const auto it = o.find(key);
  if (it == o.end() || it->is_null() || (it->is_number_integer() && integer(o, key) == it->get<long long>())) return;
  out.findings.emplace_back("distribution-approximated",
                            std::string(key) + " " + it->dump(-1, ' ', false, json::error_handler_t::replace) +
                                " is not a count from 0 to " + std::to_string(kMaxCount) +
                                "; it is ignored and the job's node count is used.");
}

std::string join(std::initializer_list<std::string> parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

// "<interpreter> <script> <args>", python by default (what Batch AI's toolkits ran).
std::string python(const json& s, const std::string& args) {
  const std::string interp = str(s, "pythonInterpreterPath");
  return join({interp.empty() ? "python" : interp, str(s, "pythonScriptFilePath"), args});
}

// processCount (total processes, Batch AI) -> processCountPerInstance (AML); nodeCount when absent.
json mpi_like(const char* type, const BaiJob& job, const json& s, ToolkitCommand& out) {
  note_ignored_count(s, "processCount", out);
  const int total = integer(s, "processCount") > 0 ? integer(s, "processCount") : job.node_count;
  const int per = (total + job.node_count - 1) / job.node_count;
  if (per * job.node_count != total) {
    out.findings.emplace_back("distribution-approximated",
                              "Batch AI ran " + std::to_string(total) + " processes over " +
                                  std::to_string(job.node_count) + " nodes; AML runs " + std::to_string(per) +
                                  " per node (" + std::to_string(per * job.node_count) + " in all).");
  }
  out.launcher = std::string(type) == "Mpi" ? Launcher::Mpi : Launcher::PyTorch;
  out.processes_per_node = per;
  return {{"distributionType", type}, {"processCountPerInstance", per}};
}

// One process per node, each told its node index (RANK): AML's PyTorch launcher needs no MPI in the image.
json one_per_node(ToolkitCommand& out) {
  out.launcher = Launcher::PyTorch;
  out.processes_per_node = 1;
  return {{"distributionType", "PyTorch"}, {"processCountPerInstance", 1}};
}

bool distributed(const BaiJob& job, const json& s) { return job.node_count > 1 || integer(s, "processCount") > 1; }

void tensorflow(const BaiJob& job, const json& s, ToolkitCommand& out) {
  const bool dist = job.node_count > 1 || s.contains("workerCount") || s.contains("parameterServerCount");
  out.task_index = dist;  // a single TensorFlow process had none of the cluster variables
  if (!dist) {
    out.command = python(s, str(s, "masterCommandLineArgs"));
    return;
  }
  note_ignored_count(s, "workerCount", out);
  note_ignored_count(s, "parameterServerCount", out);
  const int workers = integer(s, "workerCount") > 0 ? integer(s, "workerCount") : job.node_count;
  const int ps = s.contains("parameterServerCount") ? integer(s, "parameterServerCount") : 1;
  out.distribution = {{"distributionType", "TensorFlow"}, {"workerCount", workers}, {"parameterServerCount", ps}};
  out.launcher = Launcher::TensorFlow;
  // AML starts the same command for every task and names the task in TF_CONFIG; Batch AI passed
  // per-role arguments, the chief (worker 0, task type "master") getting masterCommandLineArgs. The
  // prologue derives $bai2aml_role from TF_CONFIG.
  out.command = "case \"$bai2aml_role\" in\n  ps) " + python(s, str(s, "parameterServerCommandLineArgs")) +
                " ;;\n  master) " + python(s, str(s, "masterCommandLineArgs")) + " ;;\n  *) " +
                python(s, str(s, "workerCommandLineArgs")) + " ;;\nesac";
  out.findings.emplace_back("tensorflow-roles-dispatched",
                            "TensorFlow ps/worker job: " + std::to_string(ps) + " parameter server(s) and " +
                                std::to_string(workers) +
                                " worker(s); each task picks its role's arguments from AML's TF_CONFIG (worker 0 "
                                "is the master and gets masterCommandLineArgs).");
}

}  // namespace

ToolkitCommand synthesize_command(const BaiJob& job) {
  ToolkitCommand out;
  const json& s = job.tool_settings;
  const std::string& t = job.tool_type;
  if (t == "tensorflow") {
    tensorflow(job, s, out);
  } else if (t == "pytorch") {
    out.command = python(s, str(s, "commandLineArgs"));
    out.task_index = out.pytorch = true;
    out.pytorch_backend = str(s, "communicationBackend");
    if (distributed(job, s)) {
      // communicationBackend MPI needs MPI's launcher; TCP, Gloo and NCCL rendezvous at MASTER_ADDR.
      std::string backend = out.pytorch_backend;
      for (char& c : backend) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.distribution = mpi_like(backend == "mpi" ? "Mpi" : "PyTorch", job, s, out);
    }
  } else if (t == "horovod") {
    out.command = python(s, str(s, "commandLineArgs"));
    out.distribution = mpi_like("Mpi", job, s, out);
  } else if (t == "mpi") {
    out.command = str(s, "commandLine");
    out.distribution = mpi_like("Mpi", job, s, out);
  } else if (t == "cntk") {
    if (str(s, "languageType") == "BrainScript" || (!s.contains("pythonScriptFilePath") && s.contains("configFilePath"))) {
      out.command = join({"cntk", "configFile=" + str(s, "configFilePath"), str(s, "commandLineArgs")});
    } else {
      out.command = python(s, str(s, "commandLineArgs"));
    }
    if (distributed(job, s)) out.distribution = mpi_like("Mpi", job, s, out);
  } else if (t == "caffe") {
    if (!str(s, "configFilePath").empty()) {
      out.command = join({"caffe", "train", "--solver=" + str(s, "configFilePath"), str(s, "commandLineArgs")});
    } else {
      out.command = python(s, str(s, "commandLineArgs"));
    }
    if (distributed(job, s)) out.distribution = mpi_like("Mpi", job, s, out);
  } else if (t == "caffe2") {
    out.command = python(s, str(s, "commandLineArgs"));
    out.task_index = true;
    if (job.node_count > 1) out.distribution = one_per_node(out);
  } else if (t == "chainer") {
    out.command = python(s, str(s, "commandLineArgs"));
    if (distributed(job, s)) out.distribution = mpi_like("Mpi", job, s, out);
  } else if (t == "custom") {
    out.command = str(s, "commandLine");
    if (job.node_count > 1) {
      out.distribution = one_per_node(out);
      out.first_node_only = true;
    }
  }
  // A python toolkit without its script, or a custom one without a command line, runs nothing.
  const bool needs_script = t != "custom" && t != "mpi" && !(t == "cntk" && out.command.rfind("cntk ", 0) == 0) &&
                            !(t == "caffe" && out.command.rfind("caffe ", 0) == 0);
  if (needs_script && str(s, "pythonScriptFilePath").empty()) out.command.clear();
  if (t == "cntk" && out.command.rfind("cntk ", 0) == 0 && str(s, "configFilePath").empty()) out.command.clear();
  if (out.command.empty()) {
    out = ToolkitCommand{};
    out.findings.emplace_back("job-toolkit-missing",
                              t.empty() ? "The job has no toolkit settings; there is no command to run."
                                        : "The " + t + " settings name nothing to run (no script or command line).");
  }
  return out;
}

}  // namespace bai2aml::translate
