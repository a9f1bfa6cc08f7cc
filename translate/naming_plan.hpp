// Which AML name each migrated Batch AI resource gets: mapping.names / mapping.workspace_names
// overrides first, else the derived name (names.hpp); collisions inside a name's scope get the hash
// suffix. Scopes: workspaces (one target resource group), computes (the whole target region,
// case-insensitively), jobs (per AML workspace). Shared by translate() and validate_mapping().
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "translate/inventory.hpp"
#include "translate/names.hpp"

namespace bai2aml::translate {

struct ConfigProblem {
  std::string path;     // e.g. mapping.names["gpu-cluster"]
  std::string message;  // what is wrong, naming the rule or the other resource
};

struct AssignedName {
  std::string name;
  std::string reason;  // "" = the Batch AI name carried over unchanged
  bool overridden = false;
};

struct NamePlan {
  // Keyed by id_key() of the Batch AI resource.
  std::map<std::string, AssignedName> workspaces;
  std::map<std::string, AssignedName> computes;
  std::map<std::string, AssignedName> jobs;
  // file server id key -> (config path, datastore name) from mapping.names
  std::map<std::string, std::pair<std::string, std::string>> datastore_overrides;
  std::vector<ConfigProblem> problems;                     // sorted by (path, message)
  std::vector<Finding> findings;                           // name-collision, name-override-invalid
};

// One resource competing for a name within a scope.
struct NameCandidate {
  std::string key;        // unique key of the source (id_key of a Batch AI resource)
  std::string source_id;  // as written; hashed for the suffix
  std::string source_name;
  std::string override_path;  // "" without an override, else e.g. mapping.names["x"]
  std::string override_name;
  std::string hash_of;  // what the hash suffix hashes; "" = source_id
};

// Assigns a name to every candidate of one scope (valid overrides as given, else derived), then
// gives every derived member of a case-insensitive collision group the hash suffix; problems and
// findings go to `plan`. Deterministic: candidates are sorted by key first.
void assign_names(NameRule rule, const std::string& scope_words, std::vector<NameCandidate> cands,
                  std::map<std::string, AssignedName>& out, NamePlan& plan);

// Case-insensitive lookup of a mapping key given as a full id or a bare name; returns the key as
// written in the config, or "" when neither matches.
std::string find_mapping_key(const std::map<std::string, std::string>& m, const std::string& id,
                             const std::string& name);

// Jobs are named only when they will be migrated; `job_ids` lists them (id keys).
NamePlan plan_names(const Inventory& inv, const config::Config& cfg, const std::vector<std::string>& job_ids);

std::string lower(std::string s);

}  // namespace bai2aml::translate
