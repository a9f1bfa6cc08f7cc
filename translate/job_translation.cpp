#include "translate/job_translation.hpp"

#include <algorithm>
#include <cctype>

#include "translate/duration.hpp"
#include "translate/findings.hpp"
#include "translate/ownership.hpp"
#include "translate/translate.hpp"

namespace bai2aml::translate {
namespace {

using nlohmann::json;

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::string list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Replaces "$VAR/<rel>" (and "${VAR}/<rel>") for every storage mount <rel> of `table` by a reference
// to a job input that mounts the datastore (read-write, as Batch AI mounted it); adds the inputs.
std::string substitute_mount_roots(std::string cmd, const std::string& var, const MountTable& table,
                                   const std::string& prefix, const StoragePlan& storage, json& inputs,
                                   std::set<std::string>& datastores) {
  // Longest mount paths first, so that "data/raw" wins over "data".
  std::vector<std::pair<std::string, const MountTarget*>> mounts;
  for (const auto& [rel, t] : table) {
    if (!t.storage_key.empty() && !rel.empty()) mounts.emplace_back(rel, &t);
  }
  std::sort(mounts.begin(), mounts.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const std::string& form : {"${" + var + "}/", "$" + var + "/"}) {
    std::size_t pos = 0;
    while ((pos = cmd.find(form, pos)) != std::string::npos) {
      const std::size_t after = pos + form.size();
      bool replaced = false;
      for (const auto& [rel, t] : mounts) {
        if (cmd.compare(after, rel.size(), rel) != 0) continue;
        const std::size_t end = after + rel.size();
        if (end < cmd.size() && (word_char(cmd[end]) || cmd[end] == '-' || cmd[end] == '.')) continue;
        const DatastorePlan* d = storage.find(t->storage_key);
        if (!d) continue;
        const std::string name = prefix + io_name(rel);
        inputs[name] = {{"jobInputType", "uri_folder"},
                        {"mode", "ReadWriteMount"},
                        {"uri", datastore_uri(d->name, t->sub_path)},
                        {"description", "$" + var + "/" + rel + " in Batch AI"}};
        datastores.insert(d->name);
        const std::string ref = "${{inputs." + name + "}}";
        cmd.replace(pos, end - pos, ref);
        pos += ref.size();
        replaced = true;
        break;
      }
      if (!replaced) pos = after;
    }
  }
  return cmd;
}

// Names of the AZ_BATCHAI_* variables still in the text.
std::vector<std::string> batchai_variables(const std::string& text) {
  std::set<std::string> found;
  std::size_t pos = 0;
  while ((pos = text.find("AZ_BATCHAI_", pos)) != std::string::npos) {
    std::size_t end = pos;
    while (end < text.size() && word_char(text[end])) ++end;
    if (pos == 0 || !word_char(text[pos - 1])) found.insert(text.substr(pos, end - pos));
    pos = end;
  }
  return {found.begin(), found.end()};
}

}  // namespace

std::string io_name(const std::string& id) {
  std::string out;
  for (char c : id) out += word_char(c) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  return out;
}

std::string replace_variable(const std::string& text, const std::string& name, const std::string& with) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '$') {
      const std::string braced = "${" + name + "}";
      if (text.compare(i, braced.size(), braced) == 0) {
        out += with;
        i += braced.size();
        continue;
      }
      const std::size_t end = i + 1 + name.size();
      if (text.compare(i + 1, name.size(), name) == 0 && (end >= text.size() || !word_char(text[end]))) {
        out += with;
        i = end;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

std::string image_reference(const BaiJob& job) {
  if (job.image.empty()) return kDefaultJobImage;
  std::string host = job.image_server_url;
  const auto scheme = host.find("://");
  if (scheme != std::string::npos) host = host.substr(scheme + 3);
  while (!host.empty() && host.back() == '/') host.pop_back();
  if (host.empty() || job.image.rfind(host + "/", 0) == 0) return job.image;
  return host + "/" + job.image;
}

std::string EnvironmentPlan::add(const BaiJob& job) {
  const std::string image = image_reference(job);
  EnvironmentEntry& e = envs_[image];
  e.image = image;
  e.sources.insert(job.id);
  return image;
}

void EnvironmentPlan::assign_names(NamePlan& plan) {
  std::vector<NameCandidate> cands;
  for (const auto& [image, e] : envs_) cands.push_back({image, *e.sources.begin(), image, "", "", "image:" + image});
  std::map<std::string, AssignedName> names;
  translate::assign_names(NameRule::Environment, "environment in the AML workspace", cands, names, plan);
  for (auto& [image, e] : envs_) e.name = names[image].name;
}

JobOutcome translate_job(const JobContext& ctx, const std::string& job_name, const StoragePlan& storage,
                         const EnvironmentPlan& environments) {
  const BaiJob& j = *ctx.job;
  JobOutcome o;
  auto finding = [&](const std::string& code, std::string msg) {
    o.findings.push_back(make_finding(code, j.id, std::move(msg)));
  };
  for (const auto& [code, msg] : ctx.toolkit->findings) finding(code, msg);

  std::string command = ctx.toolkit->command;
  if (!j.job_preparation.empty()) {
    command = j.job_preparation + " && " + command;
    finding("job-preparation-prepended",
            "The job preparation \"" + j.job_preparation + "\" is prepended to the command" +
                (ctx.toolkit->distribution.is_null() ? "." : "; it now runs in every process AML starts."));
  }

  json inputs = json::object(), outputs = json::object();
  std::set<std::string> datastores;
  for (const InputDirectory& in : j.inputs) {
    const ResolvedPath r = resolve_path(in.path, *ctx.cluster_mounts, ctx.job_mounts);
    const DatastorePlan* d = r.storage_key.empty() ? nullptr : storage.find(r.storage_key);
    if (!d) {
      finding("job-path-unresolved", "Input directory " + in.id + ": " + r.why + "; it is dropped.");
      continue;
    }
    const std::string name = io_name(in.id);
    inputs[name] = {{"jobInputType", "uri_folder"}, {"mode", "ReadOnlyMount"}, {"uri", datastore_uri(d->name, r.sub_path)}};
    datastores.insert(d->name);
    command = replace_variable(command, "AZ_BATCHAI_INPUT_" + in.id, "${{inputs." + name + "}}");
  }
  for (const OutputDirectory& out : j.outputs) {
    const ResolvedPath r = resolve_path(out.path_prefix, *ctx.cluster_mounts, ctx.job_mounts);
    const DatastorePlan* d = r.storage_key.empty() ? nullptr : storage.find(r.storage_key);
    if (!d) {
      finding("job-path-unresolved", "Output directory " + out.id + ": " + r.why + "; it is dropped.");
      continue;
    }
    // Batch AI kept each job's outputs apart (a per-job path segment); the job name does that here.
    const std::string sub = join_path(join_path(r.sub_path, job_name), out.path_suffix);
    const std::string name = io_name(out.id);
    outputs[name] = {{"jobOutputType", "uri_folder"}, {"mode", "ReadWriteMount"}, {"uri", datastore_uri(d->name, sub)}};
    datastores.insert(d->name);
    command = replace_variable(command, "AZ_BATCHAI_OUTPUT_" + out.id, "${{outputs." + name + "}}");
  }
  command = substitute_mount_roots(command, "AZ_BATCHAI_MOUNT_ROOT", *ctx.cluster_mounts, "mount_", storage, inputs,
                                   datastores);
  command = substitute_mount_roots(command, "AZ_BATCHAI_JOB_MOUNT_ROOT", ctx.job_mounts, "jobmount_", storage, inputs,
                                   datastores);
  const auto left = batchai_variables(command);
  if (!left.empty()) {
    finding("job-path-unresolved", "The command still refers to " + list(left) +
                                       ", which AML does not set (the path is on no datastore bai2aml created).");
  }

  json resources = {{"instanceCount", j.node_count}};
  if (!j.shm_size.empty()) {
    const bool ok = j.shm_size.size() > 1 && std::all_of(j.shm_size.begin(), j.shm_size.end() - 1, [](char c) {
                      return std::isdigit(static_cast<unsigned char>(c)) != 0;
                    }) && std::string("bBkKmMgG").find(j.shm_size.back()) != std::string::npos;
    if (ok) {
      resources["shmSize"] = j.shm_size;
    } else {
      finding("shm-size-invalid", "shmSize \"" + j.shm_size + "\" is not of the form <number><b|k|m|g>; AML's default is used.");
    }
  }

  const EnvironmentEntry& env = environments.at(ctx.image);
  const std::string env_id = ctx.workspace_id + "/environments/" + env.name + "/versions/" + kEnvironmentVersion;
  if (j.image.empty()) {
    finding("job-no-container", "The job ran directly on the nodes; in AML it runs in the image " + env.image + ".");
  }
  if (j.registry_credentials) {
    finding("registry-credentials-dropped",
            "The image " + env.image + " was pulled with registry credentials; they are not migrated.");
  }
  if (!j.secret_names.empty()) {
    finding("job-secrets-dropped", "Secret environment variables " + list(j.secret_names) +
                                       " are not migrated; their values are never copied.");
  }

  json props = {{"jobType", "Command"},
                {"displayName", j.ref.name},
                {"experimentName", j.ref.experiment},
                {"description", "Migrated by bai2aml from Batch AI job " + j.id},
                {"computeId", ctx.compute_id},
                {"environmentId", env_id},
                {"command", command},
                {"resources", resources},
                {"tags", ownership_tags(j.id)}};
  if (!ctx.toolkit->distribution.is_null()) props["distribution"] = ctx.toolkit->distribution;
  if (!j.environment_variables.empty()) {
    json vars = json::object();
    for (const EnvVar& v : j.environment_variables) vars[v.name] = v.value;
    props["environmentVariables"] = vars;
  }
  if (!inputs.empty()) props["inputs"] = inputs;
  if (!outputs.empty()) props["outputs"] = outputs;
  // Batch AI's default maxWallClockTime is one week; keep the limit the job had.
  const std::string wall = j.max_wall_clock_time.empty() ? "P7D" : j.max_wall_clock_time;
  if (const auto secs = parse_duration_seconds(wall)) {
    props["limits"] = {{"jobLimitsType", "Command"}, {"timeout", iso8601_duration(*secs)}};
  } else {
    finding("job-timeout-invalid", "maxWallClockTime \"" + wall + "\" is not a duration; the job gets no time limit.");
  }
  o.body = {{"properties", props}};

  o.depends_on = {ctx.workspace_id, ctx.compute_id, env_id};
  for (const auto& name : datastores) o.depends_on.push_back(ctx.workspace_id + "/datastores/" + name);
  return o;
}

}  // namespace bai2aml::translate
