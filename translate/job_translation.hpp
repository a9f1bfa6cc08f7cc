// One queued (or running) Batch AI job -> the body of an AML command job; and the environments
// (one per distinct container image per AML workspace) those jobs run in.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "translate/inventory.hpp"
#include "translate/model.hpp"
#include "translate/naming_plan.hpp"
#include "translate/storage_plan.hpp"
#include "translate/toolkit_command.hpp"

namespace bai2aml::translate {

inline constexpr const char* kEnvironmentVersion = "1";

// The image a job's environment uses: serverUrl's host prefixed when the image lacks it; the
// default AML image (translate.hpp) for jobs without a container.
std::string image_reference(const BaiJob& job);

struct EnvironmentEntry {
  std::string image;
  std::string name;               // assigned by assign_names()
  std::set<std::string> sources;  // job ids using it; the first is its source_id
};

class EnvironmentPlan {
 public:
  std::string add(const BaiJob& job);  // registers the job's image; returns its key
  void assign_names(NamePlan& plan);   // once, after every add
  const std::map<std::string, EnvironmentEntry>& environments() const { return envs_; }
  const EnvironmentEntry& at(const std::string& key) const { return envs_.at(key); }

 private:
  std::map<std::string, EnvironmentEntry> envs_;  // by image
};

struct JobContext {
  const BaiJob* job;
  const BaiCluster* cluster;
  const ToolkitCommand* toolkit;
  std::string workspace_id;  // AML
  std::string compute_id;    // AML
  MountTable job_mounts;
  const MountTable* cluster_mounts;
  std::string image;  // EnvironmentPlan key
};

struct JobOutcome {
  nlohmann::json body;
  std::vector<std::string> depends_on;
  std::vector<Finding> findings;
};

JobOutcome translate_job(const JobContext& ctx, const std::string& job_name, const StoragePlan& storage,
                         const EnvironmentPlan& environments);

// A Batch AI directory id as an AML input/output name (letters, digits, '_'; not starting with a digit).
std::string io_name(const std::string& id);

// Replaces $NAME and ${NAME} (whole variable names only) by `with`.
std::string replace_variable(const std::string& text, const std::string& name, const std::string& with);

}  // namespace bai2aml::translate
