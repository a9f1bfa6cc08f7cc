#include "tests/rehearsal/batchai_side.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "tests/rehearsal/json_fields.hpp"
#include "tests/rehearsal/storage.hpp"

namespace bai2aml::rehearsal {
namespace {

using nlohmann::json;

std::string words(std::initializer_list<std::string> parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    out += (out.empty() ? "" : " ") + p;
  }
  return out;
}

std::string python(const json& s, const std::string& args) {
  const std::string interp = str(s, "pythonInterpreterPath");
  return words({interp.empty() ? "python" : interp, str(s, "pythonScriptFilePath"), args});
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::string join_path(const std::string& a, const std::string& b) {
  if (b.empty()) return a;
  std::string x = a;
  while (!x.empty() && x.back() == '/') x.pop_back();
  std::string y = b;
  while (!y.empty() && y.front() == '/') y.erase(0, 1);
  return y.empty() ? x : x + "/" + y;
}

// Which *Settings the job has, and its object.
std::pair<std::string, json> toolkit(const json& p) {
  for (const char* k : {"tensorFlowSettings", "pyTorchSettings", "caffe2Settings", "caffeSettings", "cntkSettings",
                        "chainerSettings", "horovodSettings", "customMpiSettings", "customToolkitSettings"}) {
    if (p.contains(k) && p[k].is_object()) return {k, p[k]};
  }
  return {"", json::object()};
}

}  // namespace

std::string node_address(int node) { return "10.0.0." + std::to_string(4 + node); }

int gpus_of(const std::string& vm_size) {
  std::string v;
  for (char c : vm_size) v += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (v.find("_NC") == std::string::npos && v.find("_ND") == std::string::npos && v.find("_NV") == std::string::npos)
    return 0;
  if (v.find("24") != std::string::npos) return 4;
  if (v.find("12") != std::string::npos) return 2;
  return 1;
}

std::string expand(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '$') {
      const bool braced = i + 1 < text.size() && text[i + 1] == '{';
      std::size_t b = i + (braced ? 2 : 1), e = b;
      while (e < text.size() && word_char(text[e])) ++e;
      const std::string name = text.substr(b, e - b);
      const auto it = vars.find(name);
      if (it != vars.end() && (!braced || (e < text.size() && text[e] == '}'))) {
        out += it->second;
        i = braced ? e + 1 : e;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

SidePlan plan_batchai(const json& job, const json& cluster, const config::Config& cfg, const std::string& job_name,
                      const Sandbox& sb) {
  const json& p = job.at("properties");
  const json& cp = cluster.at("properties");
  SidePlan plan;
  plan.nodes = std::max(1, integer(p, "nodeCount", 1));
  plan.gpus = gpus_of(str(cp, "vmSize"));
  plan.output_segment = str(p, "jobOutputDirectoryPathSegment").empty() ? "segment-of-" + job_name
                                                                       : str(p, "jobOutputDirectoryPathSegment");
  const auto tk = toolkit(p);
  const std::string& kit = tk.first;
  const json& s = tk.second;

  // The processes and the node each ran on.
  struct Slot {
    std::string id;
    int node;
    std::string command;
    std::map<std::string, std::string> env;  // toolkit variables
  };
  std::vector<Slot> slots;
  const int n = plan.nodes;
  if (kit == "customToolkitSettings") {
    slots.push_back({"rank:0", 0, str(s, "commandLine"), {}});  // "executed on the master node"
  } else if (kit == "caffe2Settings") {
    for (int i = 0; i < n; ++i) slots.push_back({"rank:" + std::to_string(i), i, python(s, str(s, "commandLineArgs")),
                                                 {{"AZ_BATCHAI_TASK_INDEX", std::to_string(i)}}});
  } else if (kit == "tensorFlowSettings") {
    const bool dist = n > 1 || s.contains("workerCount") || s.contains("parameterServerCount");
    if (!dist) {
      slots.push_back({"rank:0", 0, python(s, str(s, "masterCommandLineArgs")), {}});
    } else {
      const int ps = integer(s, "parameterServerCount", 1), workers = integer(s, "workerCount", n);
      json ps_hosts = json::array(), worker_hosts = json::array();
      for (int i = 0; i < ps; ++i) ps_hosts.push_back(node_address(i % n) + ":" + std::to_string(2222 + 10 * (i / n)));
      for (int i = 0; i < workers; ++i)
        worker_hosts.push_back(node_address(i % n) + ":" + std::to_string(2223 + 10 * (i / n)));
      auto joined = [](const json& a) {
        std::string o;
        for (const auto& h : a) o += (o.empty() ? "" : ",") + h.get<std::string>();
        return o;
      };
      auto env = [&](const std::string& type, int index) {
        json tf = {{"cluster", {{"ps", ps_hosts}, {"worker", worker_hosts}}},
                   {"task", {{"type", type}, {"index", index}}},
                   {"environment", "cloud"}};
        return std::map<std::string, std::string>{{"AZ_BATCHAI_PS_HOSTS", joined(ps_hosts)},
                                                  {"AZ_BATCHAI_WORKER_HOSTS", joined(worker_hosts)},
                                                  {"AZ_BATCHAI_TASK_INDEX", std::to_string(index)},
                                                  {"TF_CONFIG", tf.dump()}};
      };
      for (int i = 0; i < ps; ++i)
        slots.push_back({"ps:" + std::to_string(i), i % n, python(s, str(s, "parameterServerCommandLineArgs")),
                         env("ps", i)});
      const std::string worker_args =
          str(s, "workerCommandLineArgs").empty() ? str(s, "masterCommandLineArgs") : str(s, "workerCommandLineArgs");
      for (int i = 0; i < workers; ++i)
        slots.push_back({"worker:" + std::to_string(i), i % n,
                         python(s, i == 0 ? str(s, "masterCommandLineArgs") : worker_args),
                         i == 0 ? env("master", 0) : env("worker", i)});
    }
  } else if (!kit.empty()) {
    // Process-count toolkits: processCount (default nodeCount) ranks, filled node by node.
    const int total = std::max(1, integer(s, "processCount", n));
    const int per = (total + n - 1) / n;
    std::string command;
    if (kit == "customMpiSettings") {
      command = str(s, "commandLine");
    } else if (kit == "cntkSettings" && (str(s, "languageType") == "BrainScript" ||
                                         (str(s, "pythonScriptFilePath").empty() && !str(s, "configFilePath").empty()))) {
      command = words({"cntk", "configFile=" + str(s, "configFilePath"), str(s, "commandLineArgs")});
    } else if (kit == "caffeSettings" && !str(s, "configFilePath").empty()) {
      command = words({"caffe", "train", "--solver=" + str(s, "configFilePath"), str(s, "commandLineArgs")});
    } else {
      command = python(s, str(s, "commandLineArgs"));
    }
    for (int r = 0; r < total; ++r) {
      std::map<std::string, std::string> env;
      if (kit == "pyTorchSettings") {
        env["AZ_BATCHAI_TASK_INDEX"] = std::to_string(r);
        env["AZ_BATCHAI_PYTORCH_INIT_METHOD"] = "tcp://" + node_address(0) + ":23456";
        std::string backend = str(s, "communicationBackend");
        std::transform(backend.begin(), backend.end(), backend.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (!backend.empty()) env["AZ_BATCHAI_PYTORCH_BACKEND"] = backend;
      }
      slots.push_back({"rank:" + std::to_string(r), r / per, command, env});
    }
  }
  std::stable_sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) { return a.node < b.node; });

  // The node-level contract, laid out per node.
  const std::string storage = sb.storage();
  const auto cluster_mounts = batchai_mounts(cp.contains("nodeSetup") ? cp["nodeSetup"].value("mountVolumes", json())
                                                                       : json(),
                                             storage, cfg);
  const auto job_mounts = batchai_mounts(p.value("mountVolumes", json()), storage, cfg);
  // Batch AI's shared job directory was on an NFS share every node of the job mounted.
  const std::string shared = sb.storage() + "/batchai-nfs/" + job_name + "/shared";
  make_dirs(shared);
  for (const auto& e : p.value("environmentVariables", json::array())) plan.record_vars.push_back(str(e, "name"));

  std::vector<std::map<std::string, std::string>> node_env(n);
  for (int node = 0; node < n; ++node) {
    const std::string root = sb.node_root("batchai", node);
    auto& env = node_env[node];
    env["AZ_BATCHAI_MOUNT_ROOT"] = root + "/mounts";
    env["AZ_BATCHAI_JOB_MOUNT_ROOT"] = root + "/jobmounts";
    make_dirs(root + "/mounts");
    make_dirs(root + "/jobmounts");
    for (const auto& m : cluster_mounts) {
      make_dirs(m.storage_dir);
      make_symlink(m.storage_dir, root + "/mounts/" + m.relative_path);
    }
    for (const auto& m : job_mounts) {
      make_dirs(m.storage_dir);
      make_symlink(m.storage_dir, root + "/jobmounts/" + m.relative_path);
    }
    env["AZ_BATCHAI_JOB_TEMP_DIR"] = root + "/jobs";
    env["AZ_BATCHAI_JOB_TEMP"] = root + "/jobs/" + job_name;
    make_dirs(root + "/jobs/" + job_name);
    env["AZ_BATCHAI_SHARED_JOB_TEMP"] = shared;
    env["AZ_BATCHAI_NUM_GPUS"] = std::to_string(plan.gpus);
    const std::string hostfile = root + "/jobs/" + job_name + "/hostfile";
    {
      std::ofstream out(hostfile);
      const int per_node = slots.empty() ? 1 : static_cast<int>((slots.size() + n - 1) / n);
      for (int i = 0; i < n; ++i) out << node_address(i) << " slots=" << per_node << "\n";
    }
    env["AZ_BATCHAI_MPI_HOST_FILE"] = hostfile;
    const auto mount_vars = env;
    for (const auto& in : p.value("inputDirectories", json::array())) {
      env["AZ_BATCHAI_INPUT_" + str(in, "id")] = expand(str(in, "path"), mount_vars);
    }
    for (const auto& out : p.value("outputDirectories", json::array())) {
      const std::string dir = join_path(join_path(expand(str(out, "pathPrefix"), mount_vars), plan.output_segment),
                                        str(out, "pathSuffix"));
      make_dirs(dir);
      env["AZ_BATCHAI_OUTPUT_" + str(out, "id")] = dir;
    }
    if (!str(p, "stdOutErrPathPrefix").empty()) {
      // "the absolute directory path where job stdout and stderr log locate": the job's stdouterr
      // directory under <prefix>/<job's segment> [A]; Batch AI's documented example value ends at the
      // segment itself (README: open question).
      const std::string dir =
          join_path(join_path(expand(str(p, "stdOutErrPathPrefix"), mount_vars), plan.output_segment), "stdouterr");
      make_dirs(dir);
      env["AZ_BATCHAI_STDOUTERR_DIR"] = dir;
    }
  }
  // The job's own variables, their Batch AI references expanded.
  auto with_user_vars = [&](std::map<std::string, std::string> env) {
    const auto contract = env;
    for (const auto& e : p.value("environmentVariables", json::array())) env[str(e, "name")] = expand(str(e, "value"), contract);
    return env;
  };
  const std::string prep = p.contains("jobPreparation") ? str(p["jobPreparation"], "commandLine") : "";
  if (!prep.empty()) {
    for (int node = 0; node < n; ++node) plan.preparation.push_back({"prep", node, prep, with_user_vars(node_env[node])});
  }
  for (const auto& slot : slots) {
    auto env = node_env[slot.node];
    for (const auto& [k, v] : slot.env) env[k] = v;
    plan.processes.push_back({slot.id, slot.node, slot.command, with_user_vars(env)});
  }
  return plan;
}

}  // namespace bai2aml::rehearsal
