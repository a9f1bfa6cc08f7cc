// Which AML name each migrated Batch AI resource gets: mapping.names / mapping.workspace_names
// overrides first, then the name it already has in AML (NameHints), else the derived name
// (names.hpp); collisions inside a name's scope, and names another source holds in AML, get the hash
// suffix. Scopes: workspaces (one target resource group), computes (the whole target region,
// case-insensitively), jobs (per AML workspace). A name never depends on which jobs are selected:
// job collisions are decided among every job of the inventory, whatever its state (issue 12).
// Shared by translate() and validate_mapping().
#pragma once

#include <map>
#include <set>
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
  bool kept = false;  // the name it exists under in AML (NameHints)
};

// What AML already holds (DESIGN.md §3 Identity), from the observed bai2aml-source tags:
//   - the name each source exists under, so that it keeps it whatever the derivation says now;
//   - names held by a resource tagged with another source, which a derived name never takes.
// Keys are id_key() of Batch AI ids; names compare case-insensitively. Jobs are keyed
// "<lower AML workspace name>/<lower job name>".
struct NameHints {
  std::map<std::string, std::set<std::string>> workspaces, computes, jobs;  // source key -> AML names
  std::map<std::string, std::set<std::string>> taken_workspaces, taken_computes, taken_jobs;  // name -> source keys
  bool operator==(const NameHints& o) const {
    return workspaces == o.workspaces && computes == o.computes && jobs == o.jobs &&
           taken_workspaces == o.taken_workspaces && taken_computes == o.taken_computes && taken_jobs == o.taken_jobs;
  }
  bool operator!=(const NameHints& o) const { return !(*this == o); }
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

// What one scope's AML already holds: source key -> names it exists under; lower name -> holders.
struct ScopeHints {
  const std::map<std::string, std::set<std::string>>* kept = nullptr;
  const std::map<std::string, std::set<std::string>>* taken = nullptr;
  std::string prefix;  // prepended to a lower-case name to look it up in `taken` (jobs: "<workspace>/")
};

// Assigns a name to every candidate of one scope (valid overrides as given, else the name it exists
// under in AML, else derived), then gives the hash suffix to every derived member of a
// case-insensitive collision group and to every derived name another source holds in AML; problems
// and findings go to `plan`. Deterministic: candidates are sorted by key first.
void assign_names(NameRule rule, const std::string& scope_words, std::vector<NameCandidate> cands,
                  std::map<std::string, AssignedName>& out, NamePlan& plan, const ScopeHints& hints = {});

// Case-insensitive lookup of a mapping key given as a full id or a bare name; returns the key as
// written in the config, or "" when neither matches.
std::string find_mapping_key(const std::map<std::string, std::string>& m, const std::string& id,
                             const std::string& name);

// Every job of the inventory competes for its name, whatever its state, so that a name does not
// depend on which jobs are selected; `job_ids` (id keys) are the jobs that will be migrated.
NamePlan plan_names(const Inventory& inv, const config::Config& cfg, const std::vector<std::string>& job_ids,
                    const NameHints& hints = {});

std::string lower(std::string s);

}  // namespace bai2aml::translate
