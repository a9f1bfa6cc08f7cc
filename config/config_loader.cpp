#include "config/config_loader.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "config/object_reader.hpp"
#include "config/value_rules.hpp"
#include "config/untrusted_json.hpp"

namespace bai2aml::config {
namespace {

using nlohmann::json;

// Resolves a file path from the config: ${CREDENTIALS_DIRECTORY} expanded, relative paths anchored.
class FileRefs {
 public:
  FileRefs(const LoadOptions& options, Diagnostics& diags) : options_(options), diags_(diags) {}

  // Returns the resolved path; reports a missing/unreadable file. secret: also warn on loose permissions.
  std::string resolve(const std::string& raw, const std::string& path, bool secret) {
    std::string p = raw;
    const std::string var = "${CREDENTIALS_DIRECTORY}";
    if (auto pos = p.find(var); pos != std::string::npos) {
      if (options_.credentials_directory.empty()) {
        diags_.error(path, "uses ${CREDENTIALS_DIRECTORY} but CREDENTIALS_DIRECTORY is not set (it is set by "
                           "systemd for units with LoadCredential=)");
        return p;
      }
      p.replace(pos, var.size(), options_.credentials_directory);
    }
    if (p.empty()) {
      diags_.error(path, "must not be empty");
      return p;
    }
    if (p.front() != '/' && !options_.base_directory.empty()) p = options_.base_directory + "/" + p;
    if (!options_.check_files) return p;
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      diags_.error(path, "file \"" + p + "\" does not exist");
    } else if (!S_ISREG(st.st_mode)) {
      diags_.error(path, "\"" + p + "\" is not a regular file");
    } else if (::access(p.c_str(), R_OK) != 0) {
      diags_.error(path, "file \"" + p + "\" is not readable by this user");
    } else if (secret && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
      diags_.warning(path, "secret file \"" + p + "\" is readable by group or others; chmod 600 it");
    }
    return p;
  }

 private:
  const LoadOptions& options_;
  Diagnostics& diags_;
};

// Checks an endpoint URL: https, or http to loopback only when allowed.
void check_url(const std::string& url, const std::string& path, bool allow_insecure_loopback, Diagnostics& diags,
               bool link_local_http_ok = false) {
  auto u = parse_url(url);
  if (!u || (u->scheme != "https" && u->scheme != "http")) {
    diags.error(path, "\"" + url + "\" is not an http(s) URL");
    return;
  }
  if (u->scheme == "https") return;
  if (link_local_http_ok && u->host == "169.254.169.254") return;
  if (!is_loopback_host(u->host)) {
    diags.error(path, "\"" + url + "\" uses plain http; https is required (plain http is allowed only to "
                      "127.0.0.0/8 or ::1 with azure.allow_insecure_loopback)");
  } else if (!allow_insecure_loopback) {
    diags.error(path, "\"" + url + "\" uses plain http; set azure.allow_insecure_loopback to true to allow "
                      "plain http to a loopback address (tests and the emulator only)");
  }
}

std::string strip_trailing_slash(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

void check_guid(const std::optional<std::string>& v, const std::string& path, Diagnostics& diags, bool required,
                const std::string& why_required) {
  if (!v || v->empty()) {
    if (required) diags.error(path, "is required" + why_required);
    return;
  }
  if (!is_guid(*v)) diags.error(path, "\"" + *v + "\" is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
}

void read_azure(ObjectReader& root, Config& cfg, FileRefs& files, Diagnostics& diags) {
  ObjectReader r(root.object("azure"), "azure", diags);
  auto& a = cfg.azure;
  if (auto v = r.boolean("allow_insecure_loopback")) a.allow_insecure_loopback = *v;
  if (auto v = r.string("arm_endpoint")) a.arm_endpoint = strip_trailing_slash(*v);
  check_url(a.arm_endpoint, r.path_of("arm_endpoint"), a.allow_insecure_loopback, diags);
  if (auto v = r.string("authority")) a.authority = strip_trailing_slash(*v);
  check_url(a.authority, r.path_of("authority"), a.allow_insecure_loopback, diags);
  if (auto v = r.string("ca_file"); v && !v->empty()) a.ca_file = files.resolve(*v, r.path_of("ca_file"), false);
  if (auto v = r.integer("max_parallel", 1, 64)) a.max_parallel = static_cast<int>(*v);

  ObjectReader ar(r.object("auth"), "azure.auth", diags);
  auto& auth = a.auth;
  if (auto m = ar.choice<AuthMethod>("method", {{"client_secret", AuthMethod::ClientSecret},
                                                {"managed_identity", AuthMethod::ManagedIdentity},
                                                {"workload_identity", AuthMethod::WorkloadIdentity},
                                                {"environment", AuthMethod::Environment}}))
    auth.method = *m;
  auto tenant = ar.string("tenant_id");
  auto client = ar.string("client_id");
  auto secret_file = ar.string("client_secret_file");
  if (secret_file && secret_file->empty()) secret_file.reset();
  auto token_file = ar.string("federated_token_file");
  if (token_file && token_file->empty()) token_file.reset();
  if (auto v = ar.string("imds_endpoint")) auth.imds_endpoint = strip_trailing_slash(*v);
  check_url(auth.imds_endpoint, ar.path_of("imds_endpoint"), a.allow_insecure_loopback, diags, true);

  const std::string method = to_string(auth.method);
  const bool needs_app = auth.method == AuthMethod::ClientSecret || auth.method == AuthMethod::WorkloadIdentity;
  if (tenant && !tenant->empty()) {
    static const std::regex domain(R"(^[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,}$)");
    if (!is_guid(*tenant) && !std::regex_match(*tenant, domain))
      diags.error(ar.path_of("tenant_id"), "\"" + *tenant + "\" is neither a GUID nor a domain name");
    auth.tenant_id = *tenant;
  } else if (needs_app) {
    diags.error(ar.path_of("tenant_id"), "is required with method " + method);
  }
  check_guid(client, ar.path_of("client_id"), diags, needs_app, " with method " + method);
  if (client) auth.client_id = *client;
  if (auth.method == AuthMethod::ClientSecret) {
    if (!secret_file) diags.error(ar.path_of("client_secret_file"), "is required with method client_secret");
    else auth.client_secret_file = files.resolve(*secret_file, ar.path_of("client_secret_file"), true);
  } else if (secret_file) {
    diags.warning(ar.path_of("client_secret_file"), "is ignored with method " + method);
  }
  if (auth.method == AuthMethod::WorkloadIdentity) {
    if (!token_file) diags.error(ar.path_of("federated_token_file"), "is required with method workload_identity");
    else auth.federated_token_file = files.resolve(*token_file, ar.path_of("federated_token_file"), true);
  } else if (token_file) {
    diags.warning(ar.path_of("federated_token_file"), "is ignored with method " + method);
  }
  ar.finish();
  r.finish();
}

void read_source(ObjectReader& root, Config& cfg, FileRefs& files, Diagnostics& diags) {
  ObjectReader r(root.object("source"), "source", diags);
  auto& s = cfg.source;
  auto sub = r.string("subscription_id");
  if (auto v = r.string("inventory_file"); v && !v->empty()) s.inventory_file = files.resolve(*v, r.path_of("inventory_file"), false);
  check_guid(sub, r.path_of("subscription_id"), diags, s.inventory_file.empty(),
             " (or set source.inventory_file to read a snapshot instead)");
  if (sub) s.subscription_id = *sub;
  if (auto groups = r.string_array("resource_groups")) {
    for (std::size_t i = 0; i < groups->size(); ++i)
      if (!is_resource_group_name((*groups)[i]))
        diags.error(r.path_of("resource_groups") + "[" + std::to_string(i) + "]",
                    "\"" + (*groups)[i] + "\" is not a valid resource group name");
    s.resource_groups = *groups;
  }
  r.finish();
}

void read_target(ObjectReader& root, Config& cfg, Diagnostics& diags) {
  ObjectReader r(root.object("target"), "target", diags);
  auto& t = cfg.target;
  auto sub = r.string("subscription_id");
  check_guid(sub, r.path_of("subscription_id"), diags, true, " (the subscription that receives the AML resources)");
  if (sub) t.subscription_id = *sub;
  if (auto v = r.string("resource_group")) t.resource_group = *v;
  if (t.resource_group.empty()) diags.error(r.path_of("resource_group"), "is required");
  else if (!is_resource_group_name(t.resource_group))
    diags.error(r.path_of("resource_group"), "\"" + t.resource_group + "\" is not a valid resource group name");
  if (auto v = r.string("location")) t.location = *v;
  if (t.location.empty()) diags.error(r.path_of("location"), "is required (an Azure region such as \"eastus\")");
  else if (!is_location_name(t.location))
    diags.error(r.path_of("location"), "\"" + t.location + "\" is not a region name (lower-case letters and digits, e.g. \"eastus\")");

  ObjectReader d(r.object("workspace_dependencies"), "target.workspace_dependencies", diags);
  struct Dep {
    const char* key;
    const char* type;
    bool required;
    std::string* out;
  };
  auto& wd = t.workspace_dependencies;
  const Dep deps[] = {{"storage_account", "Microsoft.Storage/storageAccounts", true, &wd.storage_account},
                      {"key_vault", "Microsoft.KeyVault/vaults", true, &wd.key_vault},
                      {"application_insights", "Microsoft.Insights/components", false, &wd.application_insights},
                      {"container_registry", "Microsoft.ContainerRegistry/registries", false, &wd.container_registry}};
  for (const auto& dep : deps) {
    auto v = d.string(dep.key);
    if (!v || v->empty()) {
      if (dep.required)
        diags.error(d.path_of(dep.key), std::string("is required: the ARM id of the ") + dep.type +
                                            " resource every AML workspace depends on");
      continue;
    }
    if (!is_arm_resource_id(*v, dep.type))
      diags.error(d.path_of(dep.key), "\"" + *v + "\" is not an ARM id of the form /subscriptions/<guid>/resourceGroups/<group>/providers/" +
                                          dep.type + "/<name>");
    *dep.out = *v;
  }
  d.finish();
  r.finish();
}

// Reads an object whose keys are free-form (a map). Values are read with read_value.
template <class F>
void read_map(ObjectReader& parent, const std::string& key, Diagnostics& diags, F read_value) {
  const json* m = parent.object(key);
  if (!m) return;
  for (const auto& [k, v] : m->items()) {
    const std::string path = join_path(parent.path_of(key), k);
    if (k.empty()) {
      diags.error(path, "keys must not be empty");
      continue;
    }
    read_value(k, v, path);
  }
}

void read_mapping(ObjectReader& root, Config& cfg, FileRefs& files, Diagnostics& diags) {
  ObjectReader r(root.object("mapping"), "mapping", diags);
  auto& m = cfg.mapping;
  auto string_value = [&](const json& v, const std::string& path) -> std::optional<std::string> {
    if (!v.is_string() || v.get<std::string>().empty()) {
      diags.error(path, "must be a non-empty string, not " + (v.is_string() ? std::string("empty") : json_type_name(v)));
      return std::nullopt;
    }
    return v.get<std::string>();
  };
  read_map(r, "workspace_names", diags, [&](const std::string& k, const json& v, const std::string& path) {
    if (auto s = string_value(v, path)) {
      if (!is_aml_workspace_name(*s))
        diags.error(path, "\"" + *s + "\" is not a valid AML workspace name (3-33 characters: letters, digits, _ "
                          "and -, starting with a letter or digit)");
      m.workspace_names[k] = *s;
    }
  });
  read_map(r, "names", diags, [&](const std::string& k, const json& v, const std::string& path) {
    if (auto s = string_value(v, path)) m.names[k] = *s;
  });
  if (auto v = r.choice<ManualScale>("manual_scale", {{"elastic", ManualScale::Elastic}, {"fixed", ManualScale::Fixed}}))
    m.manual_scale = *v;
  if (auto v = r.integer("idle_seconds_before_scale_down", 0, 7 * 86400)) m.idle_seconds_before_scale_down = static_cast<int>(*v);
  if (auto v = r.choice<JobsMode>("jobs", {{"queued", JobsMode::Queued}, {"active", JobsMode::Active}, {"none", JobsMode::None}}))
    m.jobs = *v;
  read_map(r, "storage_keys", diags, [&](const std::string& k, const json& v, const std::string& path) {
    if (!is_storage_account_name(k))
      diags.error(path, "\"" + k + "\" is not a storage account name (3-24 lower-case letters and digits)");
    auto s = string_value(v, path);
    if (!s) return;
    // An account key is 88 base64 characters ending in "==": someone pasted the key itself.
    if (s->size() >= 64 && s->find('/') == std::string::npos && s->substr(s->size() - 2) == "==") {
      diags.error(path, "looks like an inline storage key; inline secrets are not accepted: write the key to a file "
                        "and give its path here");
      return;
    }
    m.storage_keys[k] = files.resolve(*s, path, true);
  });
  read_map(r, "file_servers", diags, [&](const std::string& k, const json& v, const std::string& path) {
    if (!v.is_object()) {
      diags.error(path, "must be an object {\"kind\", \"account_name\", \"name\"}, not " + json_type_name(v));
      return;
    }
    ObjectReader fr(&v, path, diags);
    FileServerTarget t;
    if (auto kind = fr.choice<std::string>("kind", {{"AzureFile", "AzureFile"}, {"AzureBlob", "AzureBlob"}})) t.kind = *kind;
    else if (!v.contains("kind")) diags.error(fr.path_of("kind"), "is required: AzureFile or AzureBlob");
    if (auto a = fr.string("account_name")) {
      if (!is_storage_account_name(*a)) diags.error(fr.path_of("account_name"), "\"" + *a + "\" is not a storage account name");
      t.account_name = *a;
    } else {
      diags.error(fr.path_of("account_name"), "is required");
    }
    if (auto n = fr.string("name"); n && !n->empty()) t.name = *n;
    else diags.error(fr.path_of("name"), "is required: the file share or blob container holding the copied data");
    fr.finish();
    m.file_servers[k] = t;
  });
  read_map(r, "ssh", diags, [&](const std::string& k, const json& v, const std::string& path) {
    if (!v.is_object()) {
      diags.error(path, "must be an object {\"admin_user_name\", \"public_key_file\", \"password_file\"}, not " + json_type_name(v));
      return;
    }
    ObjectReader sr(&v, path, diags);
    SshCredentials c;
    if (auto u = sr.string("admin_user_name"); u && !u->empty()) c.admin_user_name = *u;
    else diags.error(sr.path_of("admin_user_name"), "is required");
    if (auto f = sr.string("public_key_file"); f && !f->empty()) c.public_key_file = files.resolve(*f, sr.path_of("public_key_file"), false);
    if (auto f = sr.string("password_file"); f && !f->empty()) c.password_file = files.resolve(*f, sr.path_of("password_file"), true);
    if (c.public_key_file.empty() && c.password_file.empty())
      diags.error(path, "needs public_key_file or password_file (or both)");
    sr.finish();
    m.ssh[k] = c;
  });
  r.finish();
}

void read_policy(ObjectReader& root, Config& cfg, Diagnostics& diags) {
  ObjectReader r(root.object("policy"), "policy", diags);
  auto& p = cfg.policy;
  if (auto v = r.boolean("prune")) p.prune = *v;
  if (auto v = r.choice<DriftPolicy>("drift", {{"correct", DriftPolicy::Correct}, {"report", DriftPolicy::Report}})) p.drift = *v;
  if (auto v = r.boolean("adopt")) p.adopt = *v;
  if (auto v = r.boolean("replace")) p.replace = *v;
  if (auto v = r.choice<RetireSource>("retire_source", {{"never", RetireSource::Never},
                                                        {"after_migration", RetireSource::AfterMigration},
                                                        {"at_cutoff", RetireSource::AtCutoff}}))
    p.retire_source = *v;
  // Deleting from Batch AI is decided on a live read only; a snapshot cannot say a job has ended.
  if (p.retire_source != RetireSource::Never && !cfg.source.inventory_file.empty())
    diags.error(r.path_of("retire_source"), "\"" + std::string(to_string(p.retire_source)) +
                                                "\" needs the live Batch AI API, but source.inventory_file reads a snapshot; "
                                                "set retire_source to \"never\" or remove source.inventory_file");
  r.finish();
}

void read_paths(ObjectReader& root, Config& cfg, const LoadOptions& options, Diagnostics& diags) {
  auto anchor = [&](std::string p) {
    if (!p.empty() && p.front() != '/' && !options.base_directory.empty()) p = options.base_directory + "/" + p;
    return p;
  };
  {
    ObjectReader r(root.object("state"), "state", diags);
    if (auto v = r.string("database")) {
      if (v->empty()) diags.error(r.path_of("database"), "must not be empty");
      else cfg.state.database = anchor(*v);
    }
    r.finish();
  }
  {
    ObjectReader r(root.object("status"), "status", diags);
    if (auto v = r.string("json_file")) {
      if (v->empty()) diags.error(r.path_of("json_file"), "must not be empty");
      else cfg.status.json_file = anchor(*v);
    }
    if (auto v = r.string("prometheus_file")) cfg.status.prometheus_file = anchor(*v);
    r.finish();
  }
  {
    ObjectReader r(root.object("log"), "log", diags);
    if (auto v = r.choice<std::string>("level", {{"trace", "trace"}, {"debug", "debug"}, {"info", "info"},
                                                 {"warn", "warn"}, {"error", "error"}}))
      cfg.log.level = *v;
    if (auto v = r.choice<LogFormat>("format", {{"text", LogFormat::Text}, {"json", LogFormat::Json}})) cfg.log.format = *v;
    r.finish();
  }
}

// nlohmann reports a byte offset; people want line and column.
std::string line_col(std::string_view text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

}  // namespace

LoadResult load_config_text(std::string_view text, const LoadOptions& options) {
  Diagnostics diags;
  auto parsed = parse_untrusted_json(text, /*ignore_comments=*/true);
  if (!parsed.ok()) {
    diags.error("", parsed.byte ? "not valid JSON at " + line_col(text, parsed.byte) + ": " + parsed.error
                                : "not valid JSON: " + parsed.error);
    return {std::nullopt, diags.all(), {}};
  }
  json doc = std::move(parsed.value);
  if (!doc.is_object()) {
    diags.error("", "the config must be a JSON object, not " + json_type_name(doc));
    return {std::nullopt, diags.all(), {}};
  }

  Config cfg;
  FileRefs files(options, diags);
  ObjectReader root(&doc, "", diags);
  if (auto v = root.string("cutoff")) {
    cfg.cutoff_text = *v;
  }
  if (auto t = parse_rfc3339(cfg.cutoff_text)) cfg.cutoff = *t;
  else diags.error("cutoff", "\"" + cfg.cutoff_text + "\" is not an RFC 3339 date-time (e.g. 2019-03-31T00:00:00Z)");
  if (auto v = root.integer("interval_seconds", 5, 86400)) cfg.interval_seconds = static_cast<int>(*v);
  read_azure(root, cfg, files, diags);
  read_source(root, cfg, files, diags);
  read_target(root, cfg, diags);
  read_mapping(root, cfg, files, diags);
  read_policy(root, cfg, diags);
  read_paths(root, cfg, options, diags);
  root.finish();

  if (diags.has_errors()) return {std::nullopt, diags.all(), diags.accepted_keys()};
  return {std::move(cfg), diags.all(), diags.accepted_keys()};
}

LoadResult load_config_file(const std::string& path, LoadOptions options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Diagnostics diags;
    diags.error("", "cannot read config file \"" + path + "\"");
    return {std::nullopt, diags.all(), {}};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (options.base_directory.empty()) {
    auto slash = path.find_last_of('/');
    options.base_directory = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  }
  auto result = load_config_text(ss.str(), options);
  for (auto& d : result.diagnostics)
    if (d.path.empty()) d.message = path + ": " + d.message;
  return result;
}

}  // namespace bai2aml::config
