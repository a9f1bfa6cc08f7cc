#include "translate/translate.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "translate/duration.hpp"
#include "translate/findings.hpp"
#include "translate/inventory.hpp"
#include "translate/job_translation.hpp"
#include "translate/ownership.hpp"
#include "translate/secret_ref.hpp"
#include "translate/storage_plan.hpp"
#include "translate/toolkit_command.hpp"

namespace bai2aml::translate {
namespace {

using nlohmann::json;

std::string aml_workspace_id(const config::Config& cfg, const std::string& name) {
  return "/subscriptions/" + cfg.target.subscription_id + "/resourceGroups/" + cfg.target.resource_group +
         "/providers/Microsoft.MachineLearningServices/workspaces/" + name;
}

// Looks a Batch AI resource up in a config map keyed by full id or bare name; nullptr when absent.
template <class V>
const V* lookup(const std::map<std::string, V>& m, const std::string& id, const std::string& name) {
  std::map<std::string, std::string> keys;
  for (const auto& [k, v] : m) {
    (void)v;
    keys[k] = k;
  }
  const std::string k = find_mapping_key(keys, id, name);
  return k.empty() ? nullptr : &m.at(k);
}

bool is_default_ubuntu(const ImageReference& i) {
  return i.virtual_machine_image_id.empty() && lower(i.publisher) == "canonical" && lower(i.offer) == "ubuntuserver";
}

class Translator {
 public:
  Translator(const std::vector<json>& resources, const config::Config& cfg, const NameHints* hints = nullptr)
      : cfg_(cfg), hints_(hints), inv_(parse_inventory(resources)) {
    out_.findings = inv_.findings;
    for (const auto& w : inv_.workspaces) ws_[id_key(w.id)] = &w;
    for (const auto& c : inv_.clusters) clusters_[id_key(c.id)] = &c;
  }

  std::vector<ConfigProblem> problems() const { return sorted_problems(names_.problems); }

  // What validate_mapping() says of the same inventory: overrides checked alone, without what AML
  // holds. After run() (the selected jobs are known); the inventory is not parsed again.
  std::vector<ConfigProblem> problems_without_hints() const {
    if (!hints_) return problems();
    // Problems are the overrides' only (naming_plan.cpp): without any, there is nothing to check.
    if (cfg_.mapping.names.empty() && cfg_.mapping.workspace_names.empty()) return {};
    return sorted_problems(plan_names(inv_, cfg_, selected_ids()).problems);
  }

  static std::vector<ConfigProblem> sorted_problems(std::vector<ConfigProblem> p) {
    std::sort(p.begin(), p.end(), [](const ConfigProblem& a, const ConfigProblem& b) {
      return std::tie(a.path, a.message) < std::tie(b.path, b.message);
    });
    p.erase(std::unique(p.begin(), p.end(),
                        [](const ConfigProblem& a, const ConfigProblem& b) {
                          return a.path == b.path && a.message == b.message;
                        }),
            p.end());
    return p;
  }

  Translation run() {
    select_jobs();
    names_ = hints_ ? plan_names(inv_, cfg_, selected_ids(), *hints_) : plan_names(inv_, cfg_, selected_ids());
    append(names_.findings);
    workspaces();
    file_servers();
    clusters();
    jobs();
    experiments();
    finish();
    return std::move(out_);  // run() is called once; problems() reads names_, not out_
  }

 private:
  void add(const std::string& code, const std::string& source_id, std::string message) {
    out_.findings.push_back(make_finding(code, source_id, std::move(message)));
  }
  void append(const std::vector<Finding>& f) { out_.findings.insert(out_.findings.end(), f.begin(), f.end()); }

  // The AML workspace id of a Batch AI resource, or "" (and an orphan finding) without one.
  std::string workspace_of(const SourceId& ref, const std::string& id) {
    const auto it = aml_ws_.find(id_key(workspace_id_of(ref)));
    if (it != aml_ws_.end()) return it->second;
    add("orphan-resource", id,
        "The " + std::string(to_string(ref.kind)) + "'s workspace " + workspace_id_of(ref) +
            " is not in the inventory; the " + to_string(ref.kind) + " is not migrated.");
    return "";
  }

  // A job's cluster: ids without their workspace segment (as in the spec's examples) mean the job's.
  const BaiCluster* cluster_of(const BaiJob& j) {
    SourceId c = parse_batchai_id(j.cluster_id);
    if (c.kind != SourceKind::Cluster) return nullptr;
    if (c.workspace.empty()) c.workspace = j.ref.workspace;
    const std::string key = id_key(workspace_id_of(c) + "/clusters/" + c.name);
    const auto it = clusters_.find(key);
    return it == clusters_.end() ? nullptr : it->second;
  }

  void select_jobs() {
    for (const BaiJob& j : inv_.jobs) {
      const std::string& st = j.execution_state;
      if (st == "succeeded" || st == "failed") {
        add("job-finished", j.id, "The job " + st + " in Batch AI; it is recorded as history and not re-run.");
        continue;
      }
      const bool wanted = cfg_.mapping.jobs != config::JobsMode::None &&
                          (st == "queued" || (st == "running" && cfg_.mapping.jobs == config::JobsMode::Active));
      if (!wanted) {
        add("job-not-migrated", j.id,
            "The job is " + (st.empty() ? std::string("in no known state") : st) + " and mapping.jobs is \"" +
                config::to_string(cfg_.mapping.jobs) + "\"; it is not migrated.");
        continue;
      }
      if (!ws_.count(id_key(workspace_id_of(j.ref)))) {
        add("orphan-resource", j.id,
            "The job's workspace " + workspace_id_of(j.ref) + " is not in the inventory; the job is not migrated.");
        continue;
      }
      const BaiCluster* c = cluster_of(j);
      if (!c) {
        add("job-cluster-missing", j.id, "The job's cluster " + j.cluster_id + " is not in the inventory; the job is not migrated.");
        continue;
      }
      if (id_key(workspace_id_of(c->ref)) != id_key(workspace_id_of(j.ref))) {
        add("job-cluster-missing", j.id,
            "The job's cluster " + c->id + " belongs to another workspace; an AML job runs only on a compute of its own "
            "workspace, so the job is not migrated.");
        continue;
      }
      ToolkitCommand tk = synthesize_command(j);
      if (tk.command.empty()) {
        for (const auto& [code, msg] : tk.findings) add(code, j.id, msg);
        continue;
      }
      selected_.push_back({&j, c, std::move(tk)});
    }
  }

  std::vector<std::string> selected_ids() const {
    std::vector<std::string> ids;
    for (const auto& s : selected_) ids.push_back(id_key(s.job->id));
    return ids;
  }

  void name_mapping(const std::string& source_id, const std::string& target_id, const AssignedName& a,
                    const std::string& source_name, const char* what) {
    out_.names.push_back({source_id, target_id, a.reason});
    if (!a.reason.empty() && !a.overridden) {
      add("name-changed", source_id,
          "Batch AI name \"" + source_name + "\" becomes AML " + what + " name \"" + a.name + "\": " + a.reason + ".");
    }
  }

  void workspaces() {
    const auto& deps = cfg_.target.workspace_dependencies;
    for (const BaiWorkspace& w : inv_.workspaces) {
      const AssignedName& a = names_.workspaces.at(id_key(w.id));
      const std::string id = aml_workspace_id(cfg_, a.name);
      aml_ws_[id_key(w.id)] = id;
      json props = {{"friendlyName", w.ref.name}, {"description", "Migrated by bai2aml from Batch AI workspace " + w.id}};
      if (!deps.storage_account.empty()) props["storageAccount"] = deps.storage_account;
      if (!deps.key_vault.empty()) props["keyVault"] = deps.key_vault;
      if (!deps.application_insights.empty()) props["applicationInsights"] = deps.application_insights;
      if (!deps.container_registry.empty()) props["containerRegistry"] = deps.container_registry;
      // The Batch AI workspace's own tags carry over, next to the ownership tags (which win).
      json tags = json::object();
      const json owned = ownership_tags(w.id);
      for (const auto& [k, v] : w.tags) {
        if (owned.contains(k)) {
          add("workspace-tag-reserved", w.id, "The workspace tag \"" + k + "\" (value \"" + v +
                                                   "\") is one of bai2aml's ownership tags; the AML workspace carries bai2aml's value.");
          continue;
        }
        tags[k] = v;
      }
      for (const auto& [k, v] : owned.items()) tags[k] = v;
      json body = {{"location", cfg_.target.location},
                   {"identity", {{"type", "SystemAssigned"}}},
                   {"tags", tags},
                   {"properties", props}};
      out_.resources.push_back({Kind::Workspace, id, w.id, std::move(body), {}});
      name_mapping(w.id, id, a, w.ref.name, "workspace");
      if (!w.location.empty() && lower(w.location) != lower(cfg_.target.location)) {
        add("workspace-location-changed", w.id,
            "The Batch AI workspace is in " + w.location + "; the AML workspace is created in " + cfg_.target.location + ".");
      }
    }
  }

  void file_servers() {
    for (const BaiFileServer& f : inv_.file_servers) {
      const std::string ws = workspace_of(f.ref, f.id);
      if (ws.empty()) continue;
      const config::FileServerTarget* t = lookup(cfg_.mapping.file_servers, f.id, f.ref.name);
      if (!t) {
        add("nfs-file-server", f.id,
            "File server " + f.ref.name + " (NFS, " + (f.vm_size.empty() ? "" : f.vm_size + ", ") +
                "exported at " + (f.mount_point.empty() ? "?" : f.mount_point) + ") has no AML counterpart.");
        continue;
      }
      const auto ov = names_.datastore_overrides.find(id_key(f.id));
      const std::string key = storage_[ws].add_file_server(
          f.id, *t, ov == names_.datastore_overrides.end() ? std::pair<std::string, std::string>() : ov->second);
      fs_datastore_[ws][id_key(f.id)] = key;
      mapped_fs_.push_back({f.id, ws, key});
      add("file-server-mapped", f.id,
          "File server " + f.ref.name + " is replaced by the " + t->kind + " " + t->account_name + "/" + t->name +
              " (mapping.file_servers); its mounts resolve to that datastore.");
    }
  }

  // Findings for mounts AML cannot reach (unmapped file servers, unmanaged file systems) and for
  // mount settings AML has no counterpart for.
  void unreachable_mounts(const Mounts& m, const std::string& ws, const std::string& source_id, const char* root) {
    for (const StorageMount& s : m.storage) {
      std::string given;
      auto note = [&](const char* what, const std::string& v, const char* batchai_default) {
        if (!v.empty() && v != batchai_default) given += std::string(given.empty() ? "" : ", ") + what + " " + v;
      };
      note("fileMode", s.file_mode, "0777");
      note("directoryMode", s.directory_mode, "0777");
      note("mountOptions", s.mount_options, "");
      if (given.empty()) continue;
      add("mount-options-dropped", source_id,
          "The mount at $" + std::string(root) + "/" + s.relative_mount_path + " (" + s.account + "/" + s.container +
              ") had " + given + "; AML mounts the datastore with its own settings.");
    }
    for (const FileServerMount& f : m.file_servers) {
      if (fs_datastore_[ws].count(id_key(f.file_server_id))) continue;
      add("nfs-file-server", source_id,
          "The NFS file server " + f.file_server_id + " mounted at $" + root + "/" + f.relative_mount_path +
              " has no AML counterpart; nothing is mounted there in AML.");
    }
    for (const UnmanagedMount& u : m.unmanaged) {
      add("unmanaged-file-system", source_id,
          std::string("The unmanaged file system mounted at $") + root + "/" + u.relative_mount_path + " (\"" + u.mount_command +
              "\") has no AML counterpart.");
    }
  }

  void clusters() {
    for (const BaiCluster& c : inv_.clusters) {
      const std::string ws = workspace_of(c.ref, c.id);
      if (ws.empty()) continue;
      cluster_mounts_[id_key(c.id)] = storage_[ws].add_mounts(c.mounts, c.id, fs_datastore_[ws]);
      unreachable_mounts(c.mounts, ws, c.id, "AZ_BATCHAI_MOUNT_ROOT");
      const AssignedName& a = names_.computes.at(id_key(c.id));
      const std::string id = ws + "/computes/" + a.name;
      compute_ids_[id_key(c.id)] = id;
      out_.resources.push_back({Kind::Compute, id, c.id, compute_body(c), {ws}});
      name_mapping(c.id, id, a, c.ref.name, "compute");
    }
  }

  json compute_body(const BaiCluster& c) {
    json scale;
    if (c.auto_scale) {
      scale = {{"minNodeCount", c.min_nodes}, {"maxNodeCount", c.max_nodes}};
    } else {
      const bool fixed = cfg_.mapping.manual_scale == config::ManualScale::Fixed;
      scale = {{"minNodeCount", fixed ? c.target_nodes : 0}, {"maxNodeCount", c.target_nodes}};
    }
    scale["nodeIdleTimeBeforeScaleDown"] = iso8601_duration(cfg_.mapping.idle_seconds_before_scale_down);
    json props = {{"osType", "Linux"},
                  {"vmSize", c.vm_size},
                  {"vmPriority", c.low_priority ? "LowPriority" : "Dedicated"},
                  {"scaleSettings", scale}};
    if (!c.subnet_id.empty()) props["subnet"] = {{"id", c.subnet_id}};
    const config::SshCredentials* ssh = lookup(cfg_.mapping.ssh, c.id, c.ref.name);
    if (!ssh) ssh = lookup(cfg_.mapping.ssh, "*", "*");
    if (ssh && (!ssh->public_key_file.empty() || !ssh->password_file.empty())) {
      json creds = {{"adminUserName", ssh->admin_user_name.empty() ? c.admin_user_name : ssh->admin_user_name}};
      if (!ssh->public_key_file.empty()) creds["adminUserSshPublicKey"] = secret_file_ref(ssh->public_key_file);
      if (!ssh->password_file.empty()) creds["adminUserPassword"] = secret_file_ref(ssh->password_file);
      props["userAccountCredentials"] = creds;
      props["remoteLoginPortPublicAccess"] = "Enabled";
    } else {
      props["remoteLoginPortPublicAccess"] = "Disabled";
      add("ssh-credentials-missing", c.id,
          "The cluster's administrator \"" + c.admin_user_name +
              "\" could log in by SSH; mapping.ssh gives no credentials for it, so the compute's SSH port is disabled.");
    }
    if (!c.setup_command.empty()) {
      std::string msg = "The setup task \"" + c.setup_command + "\" ran on every node; AML computes have no node setup.";
      if (!c.setup_secret_names.empty()) {
        msg += " Its secret environment variables (";
        for (std::size_t i = 0; i < c.setup_secret_names.size(); ++i) msg += (i ? ", " : "") + c.setup_secret_names[i];
        msg += ") are dropped too.";
      }
      add("node-setup-unsupported", c.id, msg);
    }
    if (c.image && !is_default_ubuntu(*c.image)) {
      const ImageReference& i = *c.image;
      add("os-image-unsupported", c.id,
          "The cluster's nodes ran the image " +
              (i.virtual_machine_image_id.empty() ? i.publisher + ":" + i.offer + ":" + i.sku + ":" + i.version
                                                  : i.virtual_machine_image_id + " (" + i.publisher + ":" + i.offer + ")") +
              "; AML computes run the AML-managed image.");
    }
    if (!c.auto_scale && !c.node_deallocation_option.empty() && c.node_deallocation_option != "waitforjobcompletion") {
      add("node-deallocation-option-changed", c.id,
          "nodeDeallocationOption \"" + c.node_deallocation_option +
              "\": when the compute shrinks, AML removes only idle nodes and lets running jobs complete.");
    }
    if (c.auto_scale && c.initial_node_count > c.min_nodes) {
      add("initial-node-count-dropped", c.id,
          "initialNodeCount " + std::to_string(c.initial_node_count) + ": the AML compute starts with " +
              std::to_string(c.min_nodes) + " node(s) (its minimum) and scales up when jobs are queued.");
    }
    if (c.performance_counters) {
      add("performance-counters-unsupported", c.id, "The cluster uploaded node performance counters to Application Insights.");
    }
    return {{"location", cfg_.target.location},
            {"tags", ownership_tags(c.id)},
            {"properties",
             {{"computeType", "AmlCompute"},
              {"description", "Migrated by bai2aml from Batch AI cluster " + c.id},
              {"properties", props}}}};
  }

  void jobs() {
    // Pass 1: register every job's mounts and image, so that datastore and environment names are
    // assigned over the whole workspace before any job refers to them.
    std::vector<JobContext> ctx;
    for (const auto& s : selected_) {
      const std::string ws = aml_ws_.at(id_key(workspace_id_of(s.job->ref)));
      JobContext jc{s.job, s.cluster, &s.tk, ws, compute_ids_.at(id_key(s.cluster->id)), {}, {}, {}};
      jc.job_mounts = storage_[ws].add_mounts(s.job->mounts, s.job->id, fs_datastore_[ws]);
      jc.cluster_mounts = &cluster_mounts_.at(id_key(s.cluster->id));
      unreachable_mounts(s.job->mounts, ws, s.job->id, "AZ_BATCHAI_JOB_MOUNT_ROOT");
      jc.image = environments_[ws].add(*s.job);
      ctx.push_back(std::move(jc));
    }
    for (auto& [ws, plan] : storage_) {
      plan.assign_names(names_);
      datastore_resources(ws, plan);
    }
    for (auto& [ws, envs] : environments_) {
      envs.assign_names(names_);
      environment_resources(ws, envs);
    }
    append(names_.findings);  // from the names assigned just now (duplicates are removed at the end)
    // Pass 2: the jobs.
    for (JobContext& jc : ctx) {
      const AssignedName& a = names_.jobs.at(id_key(jc.job->id));
      JobOutcome o = translate_job(jc, a.name, storage_.at(jc.workspace_id), environments_.at(jc.workspace_id));
      for (auto& f : o.findings) out_.findings.push_back(std::move(f));
      const std::string id = jc.workspace_id + "/jobs/" + a.name;
      out_.resources.push_back({Kind::Job, id, jc.job->id, std::move(o.body), std::move(o.depends_on)});
      name_mapping(jc.job->id, id, a, jc.job->ref.name, "job");
    }
  }

  void datastore_resources(const std::string& ws, const StoragePlan& plan) {
    for (const auto& [key, d] : plan.datastores()) {
      const std::string source = *d.sources.begin();
      const std::string id = ws + "/datastores/" + d.name;
      const bool file = d.type == StorageType::AzureFile;
      json props = {{"datastoreType", file ? "AzureFile" : "AzureBlob"},
                    {"accountName", d.account},
                    {file ? "fileShareName" : "containerName", d.container},
                    {"endpoint", d.endpoint},
                    {"protocol", "https"},
                    {"description", "Migrated by bai2aml: " + std::string(file ? "Azure Files share " : "Blob container ") +
                                        d.account + "/" + d.container},
                    {"tags", ownership_tags(source)}};
      const std::string* key_file = lookup(cfg_.mapping.storage_keys, d.account, d.account);
      if (key_file) {
        props["credentials"] = {{"credentialsType", "AccountKey"},
                                {"secrets", {{"secretsType", "AccountKey"}, {"key", secret_file_ref(*key_file)}}}};
      } else {
        props["credentials"] = {{"credentialsType", "None"}};
        add("storage-key-missing", source,
            "mapping.storage_keys has no key for storage account \"" + d.account + "\"; datastore \"" + d.name +
                "\" is created with identity-based access.");
      }
      out_.resources.push_back({Kind::Datastore, id, source, {{"properties", props}}, {ws}});
    }
    for (const auto& m : mapped_fs_) {
      if (m.workspace_id != ws) continue;
      if (const DatastorePlan* d = plan.find(m.storage_key)) {
        out_.names.push_back({m.file_server_id, ws + "/datastores/" + d->name, "NFS file server mapped in mapping.file_servers"});
      }
    }
  }

  void environment_resources(const std::string& ws, const EnvironmentPlan& envs) {
    for (const auto& [key, e] : envs.environments()) {
      (void)key;
      const std::string source = *e.sources.begin();
      const std::string container_id = ws + "/environments/" + e.name;
      const std::string version_id = container_id + "/versions/" + kEnvironmentVersion;
      json container = {{"properties",
                         {{"description", "Migrated by bai2aml: the container image " + e.image},
                          {"tags", ownership_tags(source)}}}};
      json version = {{"properties",
                       {{"description", "Migrated by bai2aml: the container image of Batch AI job " + source},
                        {"image", e.image},
                        {"osType", "Linux"},
                        {"tags", ownership_tags(source)}}}};
      out_.resources.push_back({Kind::EnvironmentContainer, container_id, source, std::move(container), {ws}});
      out_.resources.push_back({Kind::EnvironmentVersion, version_id, source, std::move(version), {ws, container_id}});
    }
  }

  void experiments() {
    std::map<std::string, int> counts;
    for (const BaiJob& j : inv_.jobs) {
      counts[id_key(workspace_id_of(j.ref) + "/experiments/" + j.ref.experiment)]++;
    }
    for (const BaiExperiment& e : inv_.experiments) {
      if (workspace_of(e.ref, e.id).empty()) continue;
      const int n = counts[id_key(e.id)];
      add("experiment-recorded", e.id,
          "Experiment \"" + e.ref.name + "\" (" + std::to_string(n) + " job" + (n == 1 ? "" : "s") +
              " in the inventory) becomes the experimentName of its migrated jobs.");
    }
  }

  void finish() {
    auto& r = out_.resources;
    std::sort(r.begin(), r.end(), [](const DesiredResource& a, const DesiredResource& b) {
      return std::tie(a.kind, a.id) < std::tie(b.kind, b.id);
    });
    for (auto& d : r) {
      std::sort(d.depends_on.begin(), d.depends_on.end());
      d.depends_on.erase(std::unique(d.depends_on.begin(), d.depends_on.end()), d.depends_on.end());
    }
    auto& f = out_.findings;
    auto fkey = [](const Finding& x) { return std::tie(x.source_id, x.code, x.message); };
    std::sort(f.begin(), f.end(), [&](const Finding& a, const Finding& b) { return fkey(a) < fkey(b); });
    f.erase(std::unique(f.begin(), f.end(), [&](const Finding& a, const Finding& b) { return fkey(a) == fkey(b); }),
            f.end());
    auto& n = out_.names;
    std::sort(n.begin(), n.end(), [](const NameMapping& a, const NameMapping& b) {
      return std::tie(a.source_id, a.target_id) < std::tie(b.source_id, b.target_id);
    });
  }

  struct Selected {
    const BaiJob* job;
    const BaiCluster* cluster;
    ToolkitCommand tk;
  };
  struct MappedFileServer {
    std::string file_server_id, workspace_id, storage_key;
  };

  const config::Config& cfg_;
  const NameHints* hints_;  // what AML holds; null: nothing observed
  Inventory inv_;
  NamePlan names_;
  Translation out_;
  std::map<std::string, const BaiWorkspace*> ws_;
  std::map<std::string, const BaiCluster*> clusters_;
  std::vector<Selected> selected_;
  std::map<std::string, std::string> aml_ws_;       // Batch AI workspace key -> AML workspace id
  std::map<std::string, std::string> compute_ids_;  // cluster key -> AML compute id
  std::map<std::string, StoragePlan> storage_;      // AML workspace id -> its datastores
  std::map<std::string, EnvironmentPlan> environments_;
  std::map<std::string, std::map<std::string, std::string>> fs_datastore_;  // ws -> file server key -> storage key
  std::map<std::string, MountTable> cluster_mounts_;
  std::vector<MappedFileServer> mapped_fs_;
};

}  // namespace

Translation translate(const std::vector<json>& batchai_resources, const config::Config& cfg) {
  return Translator(batchai_resources, cfg).run();
}

Translation translate(const std::vector<json>& batchai_resources, const config::Config& cfg, const NameHints& hints) {
  return Translator(batchai_resources, cfg, &hints).run();
}

Translation translate(const std::vector<json>& batchai_resources, const config::Config& cfg,
                      std::vector<ConfigProblem>& problems) {
  Translator t(batchai_resources, cfg);
  Translation out = t.run();
  problems = t.problems();
  return out;
}

Translation translate(const std::vector<json>& batchai_resources, const config::Config& cfg, const NameHints& hints,
                      std::vector<ConfigProblem>& problems) {
  Translator t(batchai_resources, cfg, &hints);
  Translation out = t.run();
  problems = t.problems_without_hints();
  return out;
}

std::vector<ConfigProblem> validate_mapping(const std::vector<json>& batchai_resources, const config::Config& cfg) {
  // The very names translate() assigns (without what AML holds: overrides are checked alone).
  Translator t(batchai_resources, cfg);
  t.run();
  return t.problems();
}

}  // namespace bai2aml::translate
