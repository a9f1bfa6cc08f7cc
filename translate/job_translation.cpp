#include "translate/job_translation.hpp"

#include <algorithm>
#include <cctype>

#include "translate/duration.hpp"
#include "translate/findings.hpp"
#include "translate/job_prologue.hpp"
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

// Names of the AZ_BATCHAI_* variables the text refers to.
std::set<std::string> batchai_variables(const std::string& text) {
  std::set<std::string> found;
  std::size_t pos = 0;
  while ((pos = text.find("AZ_BATCHAI_", pos)) != std::string::npos) {
    std::size_t end = pos;
    while (end < text.size() && word_char(text[end])) ++end;
    if (pos == 0 || !word_char(text[pos - 1])) found.insert(text.substr(pos, end - pos));
    pos = end;
  }
  return found;
}

bool shell_name(const std::string& s) {
  return !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) && std::all_of(s.begin(), s.end(), word_char);
}

// A value Batch AI expanded: it refers to a variable ($NAME or ${...}).
bool refers_to_variable(const std::string& v) {
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    if (v[i] == '$' && (v[i + 1] == '{' || v[i + 1] == '_' || std::isalpha(static_cast<unsigned char>(v[i + 1])))) return true;
  }
  return false;
}

// `name`, or name_, name__ ... : the first one `bindings` does not have yet.
std::string free_name(const json& bindings, std::string name) {
  while (bindings.contains(name)) name += "_";
  return name;
}

// Every storage mount becomes a read-write input named <prefix><mount>, linked from the mount root.
void mount_bindings(const MountTable& table, const std::string& prefix, const std::string& root, const StoragePlan& storage,
                    json& inputs, std::set<std::string>& datastores, std::vector<std::pair<std::string, std::string>>& links) {
  for (const auto& [rel, t] : table) {
    const DatastorePlan* d = t.storage_key.empty() || rel.empty() ? nullptr : storage.find(t.storage_key);
    if (!d) continue;
    const std::string name = prefix + io_name(rel);
    inputs[name] = {{"jobInputType", "uri_folder"},
                    {"mode", "ReadWriteMount"},
                    {"uri", datastore_uri(d->name, t.sub_path)},
                    {"description", "$" + root + "/" + rel + " in Batch AI"}};
    datastores.insert(d->name);
    links.emplace_back(rel, "${{inputs." + name + "}}");
  }
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
  const ToolkitCommand& tk = *ctx.toolkit;
  JobOutcome o;
  auto finding = [&](const std::string& code, std::string msg) {
    o.findings.push_back(make_finding(code, j.id, std::move(msg)));
  };
  for (const auto& [code, msg] : tk.findings) finding(code, msg);

  JobScript script;
  script.job_name = job_name;
  script.toolkit = &tk;
  script.nodes = j.node_count;
  script.gpus = gpus_of_vm_size(ctx.cluster->vm_size);
  script.job_preparation = j.job_preparation;

  json inputs = json::object(), outputs = json::object();
  std::set<std::string> datastores;
  mount_bindings(*ctx.cluster_mounts, "mount_", "AZ_BATCHAI_MOUNT_ROOT", storage, inputs, datastores, script.cluster_mounts);
  mount_bindings(ctx.job_mounts, "jobmount_", "AZ_BATCHAI_JOB_MOUNT_ROOT", storage, inputs, datastores, script.job_mounts);

  std::set<std::string> defined;  // AZ_BATCHAI_INPUT_<id> / AZ_BATCHAI_OUTPUT_<id>
  auto directory = [&](const std::string& kind, const std::string& id, const std::string& path, const std::string& sub_suffix,
                       const char* io, json& bindings, const char* type_key, const char* mode) {
    const std::string var = "AZ_BATCHAI_" + kind + "_" + id;
    const std::string what = (kind == "INPUT" ? "Input directory " : "Output directory ") + id;
    if (!shell_name(var)) {
      finding("job-path-unresolved", what + ": \"" + var + "\" is not a valid environment variable name; it is not set.");
      return;
    }
    defined.insert(var);
    const ResolvedPath r = resolve_path(path, *ctx.cluster_mounts, ctx.job_mounts);
    const DatastorePlan* d = r.storage_key.empty() ? nullptr : storage.find(r.storage_key);
    if (!d) {
      // The variable keeps Batch AI's path, which AML's nodes do not have.
      script.directories.emplace_back(var, expanding_word(sub_suffix.empty() ? path : path + "/" + sub_suffix));
      finding("job-path-unresolved", what + ": " + r.why + "; $" + var + " keeps that path, where AML has no data.");
      return;
    }
    const std::string name = free_name(bindings, io_name(id));  // a mount's input may hold the name already
    bindings[name] = {{type_key, "uri_folder"}, {"mode", mode}, {"uri", datastore_uri(d->name, join_path(r.sub_path, sub_suffix))}};
    datastores.insert(d->name);
    script.directories.emplace_back(var, "\"${{" + std::string(io) + "." + name + "}}\"");
  };
  for (const InputDirectory& in : j.inputs) directory("INPUT", in.id, in.path, "", "inputs", inputs, "jobInputType", "ReadOnlyMount");
  for (const OutputDirectory& out : j.outputs) {
    // Batch AI kept each job's outputs apart (a per-job path segment); the job name does that here.
    directory("OUTPUT", out.id, out.path_prefix, join_path(job_name, out.path_suffix), "outputs", outputs, "jobOutputType",
              "ReadWriteMount");
  }

  // A directory every node of the job shares (AZ_BATCHAI_SHARED_JOB_TEMP and the nodes' rendezvous):
  // an output on the workspace's default datastore.
  const std::string shared = free_name(outputs, "batchai_shared_job_temp");
  outputs[shared] = {{"jobOutputType", "uri_folder"},
                     {"mode", "ReadWriteMount"},
                     {"description", "the job's directory shared by its nodes"}};
  script.shared_job_temp = "\"${{outputs." + shared + "}}\"";

  // stdout/stderr: Batch AI wrote them under stdOutErrPathPrefix/<job segment>/stdouterr; AML keeps them in
  // the job's logs. The directory stays where it was, for what the job itself writes there.
  {
    const ResolvedPath r = j.std_out_err_path_prefix.empty()
                               ? ResolvedPath{}
                               : resolve_path(j.std_out_err_path_prefix, *ctx.cluster_mounts, ctx.job_mounts);
    const DatastorePlan* d = r.storage_key.empty() ? nullptr : storage.find(r.storage_key);
    if (d) {
      const std::string sub = join_path(join_path(r.sub_path, job_name), "stdouterr");
      const std::string logs = free_name(outputs, "batchai_stdouterr");
      outputs[logs] = {{"jobOutputType", "uri_folder"},
                                      {"mode", "ReadWriteMount"},
                                      {"uri", datastore_uri(d->name, sub)},
                                      {"description", "$AZ_BATCHAI_STDOUTERR_DIR in Batch AI"}};
      datastores.insert(d->name);
      script.stdouterr_dir = "\"${{outputs." + logs + "}}\"";
      finding("job-logs-moved", "stdOutErrPathPrefix \"" + j.std_out_err_path_prefix +
                                    "\": the job's stdout and stderr go to the AML job's logs; $AZ_BATCHAI_STDOUTERR_DIR is "
                                    "the output " + logs + " at " + datastore_uri(d->name, sub) + ".");
    } else if (j.std_out_err_path_prefix.empty()) {
      script.stdouterr_dir = "\"$AZ_BATCHAI_JOB_TEMP/stdouterr\"";
      finding("job-logs-moved", "The job names no stdOutErrPathPrefix; the job's stdout and stderr go to the AML job's "
                                "logs, and $AZ_BATCHAI_STDOUTERR_DIR is a directory on each node that is not kept.");
    } else {
      // As for directories: the variable keeps Batch AI's path, which reaches no datastore here.
      script.stdouterr_dir = expanding_word(j.std_out_err_path_prefix + "/" + job_name + "/stdouterr");
      finding("job-logs-moved", "stdOutErrPathPrefix \"" + j.std_out_err_path_prefix + "\": " + r.why +
                                    "; the job's stdout and stderr go to the AML job's logs, and $AZ_BATCHAI_STDOUTERR_DIR "
                                    "keeps Batch AI's path, which is not kept in AML.");
    }
  }

  // environmentVariables: AML sets values literally; those that refer to variables (Batch AI expanded
  // them) are exported by the prologue instead, after the variables they may refer to.
  json vars = json::object();
  std::string referring_text = tk.command + "\n" + j.job_preparation;
  for (const EnvVar& v : j.environment_variables) {
    referring_text += "\n" + v.value;
    if (refers_to_variable(v.value) && shell_name(v.name)) {
      script.expanded_variables.push_back(v);
    } else {
      vars[v.name] = v.value;
    }
  }

  // Variables the job refers to that the prologue does not define.
  const std::vector<std::string> contract = contract_variables(tk);
  for (const std::string& var : batchai_variables(referring_text)) {
    if (defined.count(var) || std::binary_search(contract.begin(), contract.end(), var)) continue;
    const bool dir = var.rfind("AZ_BATCHAI_INPUT_", 0) == 0 || var.rfind("AZ_BATCHAI_OUTPUT_", 0) == 0;
    finding("job-variable-undefined",
            "The job refers to $" + var + ", which Batch AI did not set for this job (" +
                (dir ? std::string("no such input or output directory")
                     : "not part of its contract for a " + (j.tool_type.empty() ? std::string("job") : j.tool_type + " job")) +
                "); it was empty there and stays unset in AML.");
  }
  if (!j.job_preparation.empty() && tk.launcher == Launcher::Mpi) {
    finding("job-preparation-under-mpi",
            "The job preparation \"" + j.job_preparation +
                "\" runs once per node before the command, but AML starts MPI (mpirun) before the command, so "
                "preparation that installs the MPI runtime cannot work.");
  }
  if (!j.scheduling_priority.empty() && j.scheduling_priority != "normal") {
    finding("job-priority-dropped", "schedulingPriority \"" + j.scheduling_priority +
                                        "\": AML command jobs (2024-04-01) have no priority; the job queues in "
                                        "submission order on its compute.");
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
                {"command", job_command(script)},
                {"resources", resources},
                {"tags", ownership_tags(j.id)}};
  if (!tk.distribution.is_null()) props["distribution"] = tk.distribution;
  if (!vars.empty()) props["environmentVariables"] = vars;
  if (!inputs.empty()) props["inputs"] = inputs;
  props["outputs"] = outputs;
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
