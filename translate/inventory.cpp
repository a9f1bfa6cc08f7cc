#include "translate/inventory.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "translate/findings.hpp"

namespace bai2aml::translate {
namespace {

using nlohmann::json;

// Thrown by the readers below; caught per resource and turned into a malformed-resource finding.
struct FieldError : std::runtime_error {
  FieldError(const std::string& field, const std::string& what) : std::runtime_error(what), path(field) {}
  std::string path;
};

// Reads fields of one JSON object, knowing the object's path for error messages.
class Reader {
 public:
  Reader(const json& obj, std::string path) : obj_(obj), path_(std::move(path)) {
    if (!obj_.is_object()) throw FieldError(path_, "expected an object");
  }
  std::string at(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
  const json* get(const char* key) const {
    const auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  bool has(const char* key) const { return get(key) != nullptr; }
  std::string str(const char* key, bool required = false) const {
    const json* v = get(key);
    if (!v) {
      if (required) throw FieldError(at(key), "required field missing");
      return "";
    }
    if (!v->is_string()) throw FieldError(at(key), "expected a string");
    return v->get<std::string>();
  }
  int integer(const char* key, int fallback, bool required = false) const {
    const json* v = get(key);
    if (!v) {
      if (required) throw FieldError(at(key), "required field missing");
      return fallback;
    }
    if (!v->is_number_integer()) throw FieldError(at(key), "expected an integer");
    const auto n = v->get<long long>();
    if (n < 0 || n > 1000000) throw FieldError(at(key), "out of range: " + std::to_string(n));
    return static_cast<int>(n);
  }
  Reader obj(const char* key) const {
    const json* v = get(key);
    static const json empty = json::object();
    return Reader(v ? *v : empty, at(key));
  }
  // Calls f(Reader, index) for every element of an optional array of objects.
  template <class F>
  void each(const char* key, F f) const {
    const json* v = get(key);
    if (!v) return;
    if (!v->is_array()) throw FieldError(at(key), "expected an array");
    for (std::size_t i = 0; i < v->size(); ++i) f(Reader((*v)[i], at(key) + "[" + std::to_string(i) + "]"));
  }
  const json& raw() const { return obj_; }
  const std::string& path() const { return path_; }

 private:
  const json& obj_;
  std::string path_;
};

// "https://acct.file.core.windows.net/share" -> "core.windows.net"
std::string endpoint_of(const std::string& url, const std::string& service) {
  const std::string marker = "." + service + ".";
  auto p = url.find(marker);
  if (p == std::string::npos) return "core.windows.net";
  std::string rest = url.substr(p + marker.size());
  rest = rest.substr(0, rest.find('/'));
  return rest.empty() ? "core.windows.net" : rest;
}

// The share name is the URL's first path segment after the host.
std::string share_of(const std::string& url, const std::string& field) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) throw FieldError(field, "not a URL: expected https://<account>.file.<suffix>/<share>");
  auto slash = url.find('/', scheme + 3);
  if (slash == std::string::npos) throw FieldError(field, "the URL names no file share");
  std::string share = url.substr(slash + 1);
  share = share.substr(0, share.find('/'));
  if (share.empty()) throw FieldError(field, "the URL names no file share");
  return share;
}

Mounts read_mounts(const Reader& r) {
  Mounts m;
  r.each("azureFileShares", [&](const Reader& s) {
    StorageMount sm;
    sm.type = StorageType::AzureFile;
    sm.account = s.str("accountName", true);
    const std::string url = s.str("azureFileUrl", true);
    sm.container = share_of(url, s.at("azureFileUrl"));
    sm.endpoint = endpoint_of(url, "file");
    sm.relative_mount_path = s.str("relativeMountPath", true);
    sm.file_mode = s.str("fileMode");
    sm.directory_mode = s.str("directoryMode");
    m.storage.push_back(std::move(sm));
  });
  r.each("azureBlobFileSystems", [&](const Reader& s) {
    StorageMount sm;
    sm.type = StorageType::AzureBlob;
    sm.account = s.str("accountName", true);
    sm.container = s.str("containerName", true);
    sm.endpoint = "core.windows.net";
    sm.relative_mount_path = s.str("relativeMountPath", true);
    sm.mount_options = s.str("mountOptions");
    m.storage.push_back(std::move(sm));
  });
  r.each("fileServers", [&](const Reader& s) {
    FileServerMount f;
    f.file_server_id = s.obj("fileServer").str("id", true);
    f.source_directory = s.str("sourceDirectory");
    f.relative_mount_path = s.str("relativeMountPath", true);
    m.file_servers.push_back(std::move(f));
  });
  r.each("unmanagedFileSystems", [&](const Reader& s) {
    m.unmanaged.push_back({s.str("mountCommand", true), s.str("relativeMountPath", true)});
  });
  return m;
}

std::vector<std::string> secret_names(const Reader& r) {
  std::vector<std::string> names;
  r.each("secrets", [&](const Reader& s) { names.push_back(s.str("name", true)); });
  return names;
}

BaiCluster read_cluster(const json& res, const std::string& id, const SourceId& ref) {
  BaiCluster c;
  c.id = id;
  c.ref = ref;
  const Reader p = Reader(res, "").obj("properties");
  c.vm_size = p.str("vmSize", true);
  const std::string prio = p.str("vmPriority");
  if (prio == "lowpriority") {
    c.low_priority = true;
  } else if (!prio.empty() && prio != "dedicated") {
    throw FieldError(p.at("vmPriority"), "expected dedicated or lowpriority, got \"" + prio + "\"");
  }
  const Reader scale = p.obj("scaleSettings");
  if (scale.has("autoScale")) {
    const Reader a = scale.obj("autoScale");
    c.auto_scale = true;
    c.min_nodes = a.integer("minimumNodeCount", 0, true);
    c.max_nodes = a.integer("maximumNodeCount", 0, true);
    if (c.max_nodes < c.min_nodes) throw FieldError(a.at("maximumNodeCount"), "smaller than minimumNodeCount");
    c.initial_node_count = a.integer("initialNodeCount", 0);
  } else if (scale.has("manual")) {
    c.target_nodes = scale.obj("manual").integer("targetNodeCount", 0);
    c.node_deallocation_option = scale.obj("manual").str("nodeDeallocationOption");
  } else {
    throw FieldError(p.at("scaleSettings"), "neither manual nor autoScale is given");
  }
  if (p.has("virtualMachineConfiguration")) {
    const Reader vmc = p.obj("virtualMachineConfiguration");
    if (vmc.has("imageReference")) {
      const Reader ir = vmc.obj("imageReference");
      c.image = ImageReference{ir.str("publisher"), ir.str("offer"), ir.str("sku"), ir.str("version"),
                               ir.str("virtualMachineImageId")};
    }
  }
  const Reader ns = p.obj("nodeSetup");
  if (ns.has("setupTask")) {
    const Reader st = ns.obj("setupTask");
    c.setup_command = st.str("commandLine", true);
    c.setup_secret_names = secret_names(st);
  }
  c.performance_counters = ns.has("performanceCountersSettings");
  c.mounts = read_mounts(ns.obj("mountVolumes"));
  c.admin_user_name = p.obj("userAccountSettings").str("adminUserName");
  if (p.has("subnet")) c.subnet_id = p.obj("subnet").str("id", true);
  return c;
}

BaiFileServer read_file_server(const json& res, const std::string& id, const SourceId& ref) {
  BaiFileServer f;
  f.id = id;
  f.ref = ref;
  const Reader p = Reader(res, "").obj("properties");
  f.vm_size = p.str("vmSize");
  f.mount_point = p.obj("mountSettings").str("mountPoint");
  return f;
}

// Toolkit settings property for each toolType, in the spec's order.
const std::pair<const char*, const char*> kToolkits[] = {
    {"cntk", "cntkSettings"},       {"pytorch", "pyTorchSettings"},     {"tensorflow", "tensorFlowSettings"},
    {"caffe", "caffeSettings"},     {"caffe2", "caffe2Settings"},       {"chainer", "chainerSettings"},
    {"custom", "customToolkitSettings"}, {"mpi", "customMpiSettings"}, {"horovod", "horovodSettings"},
};

BaiJob read_job(const json& res, const std::string& id, const SourceId& ref) {
  BaiJob j;
  j.id = id;
  j.ref = ref;
  const Reader p = Reader(res, "").obj("properties");
  j.cluster_id = p.obj("cluster").str("id", true);
  j.node_count = p.integer("nodeCount", 1, true);
  if (j.node_count < 1) throw FieldError(p.at("nodeCount"), "must be at least 1");
  j.tool_type = p.str("toolType");
  // toolType is read-only (reported by GET); a PUT body only has the settings object: infer it.
  for (const auto& [tool, key] : kToolkits) {
    if ((j.tool_type.empty() || j.tool_type == tool) && p.has(key)) {
      j.tool_type = tool;
      j.tool_settings = p.obj(key).raw();
      break;
    }
  }
  if (j.tool_settings.is_null()) j.tool_settings = json::object();
  if (p.has("containerSettings")) {
    const Reader cs = p.obj("containerSettings");
    const Reader reg = cs.obj("imageSourceRegistry");
    j.image = reg.str("image", true);
    j.image_server_url = reg.str("serverUrl");
    j.registry_credentials = reg.has("credentials");
    j.shm_size = cs.str("shmSize");
  }
  if (p.has("jobPreparation")) j.job_preparation = p.obj("jobPreparation").str("commandLine", true);
  j.std_out_err_path_prefix = p.str("stdOutErrPathPrefix");
  j.scheduling_priority = p.str("schedulingPriority");
  p.each("inputDirectories", [&](const Reader& d) { j.inputs.push_back({d.str("id", true), d.str("path", true)}); });
  p.each("outputDirectories", [&](const Reader& d) {
    j.outputs.push_back({d.str("id", true), d.str("pathPrefix", true), d.str("pathSuffix")});
  });
  p.each("environmentVariables",
         [&](const Reader& d) { j.environment_variables.push_back({d.str("name", true), d.str("value", true)}); });
  j.secret_names = secret_names(p);
  j.max_wall_clock_time = p.obj("constraints").str("maxWallClockTime");
  j.execution_state = p.str("executionState");
  j.mounts = read_mounts(p.obj("mountVolumes"));
  return j;
}

}  // namespace

Inventory parse_inventory(const std::vector<json>& resources) {
  Inventory inv;
  // Sort by (id key, JSON text) so that input order never matters; non-objects and id-less
  // resources become findings straight away.
  std::vector<std::pair<std::string, const json*>> order;
  order.reserve(resources.size());
  for (std::size_t i = 0; i < resources.size(); ++i) {
    const json& r = resources[i];
    if (!r.is_object() || !r.contains("id") || !r["id"].is_string() || r["id"].get<std::string>().empty()) {
      inv.findings.push_back(make_finding("malformed-resource", "resources[" + std::to_string(i) + "]",
                                          "The resource has no \"id\" string (field: id); it is ignored."));
      continue;
    }
    order.emplace_back(id_key(r["id"].get<std::string>()), &r);
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.second->dump() < b.second->dump();
  });
  const std::string* prev = nullptr;
  for (const auto& [key, res] : order) {
    const std::string id = (*res)["id"].get<std::string>();
    if (prev && *prev == key) {
      inv.findings.push_back(make_finding("duplicate-resource", id,
                                          "The inventory lists this id more than once; the first copy is used."));
      continue;
    }
    prev = &key;
    const SourceId ref = parse_batchai_id(id);
    try {
      switch (ref.kind) {
        case SourceKind::Workspace: {
          const Reader r(*res, "");
          BaiWorkspace w{id, ref, r.str("location"), {}};
          if (const json* tags = r.get("tags")) {
            if (!tags->is_object()) throw FieldError("tags", "expected an object");
            for (const auto& [k, v] : tags->items()) {
              if (!v.is_string()) throw FieldError("tags." + k, "expected a string");
              w.tags.emplace_back(k, v.get<std::string>());
            }
          }
          inv.workspaces.push_back(std::move(w));
          break;
        }
        case SourceKind::Cluster:
          if (ref.workspace.empty()) throw FieldError("id", "the cluster id has no workspaces segment");
          inv.clusters.push_back(read_cluster(*res, id, ref));
          break;
        case SourceKind::FileServer:
          if (ref.workspace.empty()) throw FieldError("id", "the file server id has no workspaces segment");
          inv.file_servers.push_back(read_file_server(*res, id, ref));
          break;
        case SourceKind::Experiment:
          Reader(*res, "");
          inv.experiments.push_back({id, ref});
          break;
        case SourceKind::Job:
          inv.jobs.push_back(read_job(*res, id, ref));
          break;
        case SourceKind::Unknown:
          inv.findings.push_back(make_finding(
              "unknown-resource", id, "The id does not name a Batch AI resource that bai2aml migrates; ignored."));
          break;
      }
    } catch (const FieldError& e) {
      inv.findings.push_back(make_finding("malformed-resource", id,
                                          std::string("Field ") + e.path + ": " + e.what() +
                                              "; the " + to_string(ref.kind) + " is not migrated."));
    } catch (const std::exception& e) {
      // A value no reader check foresaw: still this resource's problem alone, and the others go on.
      inv.findings.push_back(make_finding("malformed-resource", id,
                                          std::string("Unreadable: ") + e.what() + "; the " + to_string(ref.kind) +
                                              " is not migrated."));
    }
  }
  return inv;
}

}  // namespace bai2aml::translate
