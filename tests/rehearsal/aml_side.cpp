#include "tests/rehearsal/aml_side.hpp"

#include <algorithm>

#include "tests/rehearsal/json_fields.hpp"
#include "tests/rehearsal/storage.hpp"

namespace bai2aml::rehearsal {
namespace {

using nlohmann::json;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  std::size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

}  // namespace

SidePlan plan_aml(const translate::DesiredResource& job, const translate::Translation& t, int gpus,
                  const std::vector<std::string>& record_vars, const Sandbox& sb, std::vector<std::string>& problems) {
  const json& p = job.body.at("properties");
  const std::string workspace_id = job.id.substr(0, job.id.find("/jobs/"));
  SidePlan plan;
  plan.nodes = std::max(1, p.contains("resources") ? integer(p["resources"], "instanceCount", 1) : 1);
  plan.gpus = gpus;
  plan.record_vars = record_vars;
  plan.output_segment = job.id.substr(job.id.rfind('/') + 1);  // the AML job name
  const std::string command = str(p, "command");
  const json dist = p.value("distribution", json());
  const std::string type = dist.is_object() ? str(dist, "distributionType") : "";

  // Process slots: (id, node, distribution variables).
  struct Slot {
    std::string id;
    int node;
    std::map<std::string, std::string> env;
  };
  std::vector<Slot> slots;
  const int n = plan.nodes;
  if (type == "Mpi" || type == "PyTorch") {
    const int k = std::max(1, integer(dist, "processCountPerInstance", 1));
    for (int node = 0; node < n; ++node) {
      for (int l = 0; l < k; ++l) {
        const int rank = node * k + l;
        std::map<std::string, std::string> env;
        if (type == "Mpi") {
          env = {{"OMPI_COMM_WORLD_RANK", std::to_string(rank)},
                 {"OMPI_COMM_WORLD_SIZE", std::to_string(n * k)},
                 {"OMPI_COMM_WORLD_LOCAL_RANK", std::to_string(l)},
                 {"OMPI_COMM_WORLD_LOCAL_SIZE", std::to_string(k)},
                 {"AZ_BATCH_MASTER_NODE", node_address(0) + ":6105"}};
        } else {
          env = {{"MASTER_ADDR", node_address(0)},       {"MASTER_PORT", "29500"},
                 {"WORLD_SIZE", std::to_string(n * k)},  {"NODE_RANK", std::to_string(node)},
                 {"RANK", std::to_string(rank)},         {"LOCAL_RANK", std::to_string(l)}};
        }
        slots.push_back({"rank:" + std::to_string(rank), node, env});
      }
    }
  } else if (type == "TensorFlow") {
    const int workers = integer(dist, "workerCount", n), ps = integer(dist, "parameterServerCount", 0);
    json cluster = {{"worker", json::array()}};
    for (int i = 0; i < workers; ++i) cluster["worker"].push_back(node_address(i % n) + ":" + std::to_string(4000 + i));
    if (ps > 0) cluster["ps"] = json::array();
    for (int i = 0; i < ps; ++i) cluster["ps"].push_back(node_address(i % n) + ":" + std::to_string(5000 + i));
    auto tf = [&](const char* role, int i) {
      return json{{"cluster", cluster}, {"task", {{"type", role}, {"index", i}}}, {"environment", "cloud"}}.dump();
    };
    for (int i = 0; i < ps; ++i) slots.push_back({"ps:" + std::to_string(i), i % n, {{"TF_CONFIG", tf("ps", i)}}});
    for (int i = 0; i < workers; ++i)
      slots.push_back({"worker:" + std::to_string(i), i % n, {{"TF_CONFIG", tf("worker", i)}}});
  } else {
    if (!type.empty()) problems.push_back("unknown distributionType " + type);
    for (int node = 0; node < n; ++node) slots.push_back({"rank:" + std::to_string(node), node, {}});
  }
  std::stable_sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) { return a.node < b.node; });

  std::vector<std::map<std::string, std::string>> node_env(n);
  std::vector<std::string> node_command(n, command);
  for (int node = 0; node < n; ++node) {
    const std::string root = sb.node_root("aml", node);
    auto& env = node_env[node];
    make_dirs(root + "/tmp");
    make_dirs(root + "/home");
    env["TMPDIR"] = root + "/tmp";
    env["HOME"] = root + "/home";
    for (const char* kind : {"inputs", "outputs"}) {
      if (!p.contains(kind)) continue;
      for (const auto& [name, binding] : p[kind].items()) {
        const std::string dir = root + "/mnt/" + kind + "/" + name;
        // An output without a uri goes to AML's default location: one place for the job, on storage.
        const std::string target = str(binding, "uri").empty() && kind[0] == 'o'
                                       ? sb.storage() + "/aml-default/" + plan.output_segment + "/" + name
                                       : datastore_dir(t, workspace_id, str(binding, "uri"), sb.storage());
        if (target.empty()) {
          if (node == 0) problems.push_back(std::string(kind) + "." + name + ": uri " + str(binding, "uri") +
                                            " is on no datastore of the translation");
          make_dirs(dir);
        } else {
          make_dirs(target);
          make_symlink(target, dir);
        }
        node_command[node] = replace_all(node_command[node], "${{" + std::string(kind) + "." + name + "}}", dir);
        env[std::string("AZURE_ML_") + (kind[0] == 'i' ? "INPUT_" : "OUTPUT_") + upper(name)] = dir;
      }
    }
    if (node == 0 && node_command[0].find("${{") != std::string::npos) {
      problems.push_back("the command refers to a binding the job does not have: " + node_command[0]);
    }
  }
  const json user_vars = p.value("environmentVariables", json::object());
  for (const auto& slot : slots) {
    auto env = node_env[slot.node];
    for (const auto& [k, v] : user_vars.items()) env[k] = v.is_string() ? v.get<std::string>() : v.dump();
    for (const auto& [k, v] : slot.env) env[k] = v;
    plan.processes.push_back({slot.id, slot.node, node_command[slot.node], env});
  }
  return plan;
}

}  // namespace bai2aml::rehearsal
