#include "translate/toolkit_command.hpp"

namespace bai2aml::translate {
namespace {

using nlohmann::json;

std::string str(const json& o, const char* key) {
  const auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

int integer(const json& o, const char* key) {
  const auto it = o.find(key);
  return it != o.end() && it->is_number_integer() ? it->get<int>() : 0;
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
  const int total = integer(s, "processCount") > 0 ? integer(s, "processCount") : job.node_count;
  const int per = (total + job.node_count - 1) / job.node_count;
  if (per * job.node_count != total) {
    out.findings.emplace_back("distribution-approximated",
                              "Batch AI ran " + std::to_string(total) + " processes over " +
                                  std::to_string(job.node_count) + " nodes; AML runs " + std::to_string(per) +
                                  " per node (" + std::to_string(per * job.node_count) + " in all).");
  }
  return {{"distributionType", type}, {"processCountPerInstance", per}};
}

bool distributed(const BaiJob& job, const json& s) { return job.node_count > 1 || integer(s, "processCount") > 1; }

void tensorflow(const BaiJob& job, const json& s, ToolkitCommand& out) {
  const bool dist = job.node_count > 1 || s.contains("workerCount") || s.contains("parameterServerCount");
  if (!dist) {
    out.command = python(s, str(s, "masterCommandLineArgs"));
    return;
  }
  const int workers = integer(s, "workerCount") > 0 ? integer(s, "workerCount") : job.node_count;
  const int ps = s.contains("parameterServerCount") ? integer(s, "parameterServerCount") : 1;
  out.distribution = {{"distributionType", "TensorFlow"}, {"workerCount", workers}, {"parameterServerCount", ps}};
  // AML starts the same command for every task and describes the task in TF_CONFIG; Batch AI passed
  // per-role arguments, so the command picks them from the task type.
  const std::string role =
      "python -c 'import json,os; print(json.loads(os.environ.get(\"TF_CONFIG\",\"{}\")).get(\"task\",{}).get(\"type\",\"\"))'";
  const std::string worker = str(s, "workerCommandLineArgs").empty() ? str(s, "masterCommandLineArgs")
                                                                     : str(s, "workerCommandLineArgs");
  out.command = "case \"$(" + role + ")\" in ps) " + python(s, str(s, "parameterServerCommandLineArgs")) +
                " ;; *) " + python(s, worker) + " ;; esac";
  out.findings.emplace_back("tensorflow-roles-dispatched",
                            "TensorFlow ps/worker job: " + std::to_string(ps) + " parameter server(s) and " +
                                std::to_string(workers) +
                                " worker(s); the command chooses each role's arguments from TF_CONFIG.");
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
    if (distributed(job, s)) {
      json d = mpi_like("PyTorch", job, s, out);
      out.distribution = d;
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
  } else if (t == "chainer") {
    out.command = python(s, str(s, "commandLineArgs"));
    if (distributed(job, s)) out.distribution = mpi_like("Mpi", job, s, out);
  } else if (t == "custom") {
    out.command = str(s, "commandLine");
  }
  // A python toolkit without its script, or a custom one without a command line, runs nothing.
  const bool needs_script = t != "custom" && t != "mpi" && !(t == "cntk" && out.command.rfind("cntk ", 0) == 0) &&
                            !(t == "caffe" && out.command.rfind("caffe ", 0) == 0);
  if (needs_script && str(s, "pythonScriptFilePath").empty()) out.command.clear();
  if (t == "cntk" && out.command.rfind("cntk ", 0) == 0 && str(s, "configFilePath").empty()) out.command.clear();
  if (out.command.empty()) {
    out.distribution = nullptr;
    out.findings.clear();
    out.findings.emplace_back("job-toolkit-missing",
                              t.empty() ? "The job has no toolkit settings; there is no command to run."
                                        : "The " + t + " settings name nothing to run (no script or command line).");
  }
  return out;
}

}  // namespace bai2aml::translate
