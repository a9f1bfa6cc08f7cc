// The typed desired-state config (DESIGN.md §4.2). Plain aggregates with defaults next to the
// fields; the loader (config_loader.hpp) fills them and the validator guarantees every invariant
// documented here, so the rest of the program never re-checks.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace bai2aml::config {

enum class AuthMethod { ClientSecret, ManagedIdentity, WorkloadIdentity, Environment };
enum class ManualScale { Elastic, Fixed };
enum class JobsMode { Queued, Active, None };
enum class DriftPolicy { Correct, Report };
enum class RetireSource { Never, AfterMigration, AtCutoff };
enum class LogFormat { Text, Json };

struct Auth {
  AuthMethod method = AuthMethod::Environment;
  std::string tenant_id;
  std::string client_id;
  std::string client_secret_file;    // client_secret: file holding the secret
  std::string federated_token_file;  // workload_identity: file holding the federated token
  std::string imds_endpoint = "http://169.254.169.254";
};

struct Azure {
  std::string arm_endpoint = "https://management.azure.com";  // no trailing slash
  std::string authority = "https://login.microsoftonline.com";  // no trailing slash
  bool allow_insecure_loopback = false;  // plain http allowed to 127.0.0.0/8 and ::1 only
  std::string ca_file;                   // empty: the system trust store
  Auth auth;
  int max_parallel = 8;  // concurrent in-flight writes
};

struct Source {
  std::string subscription_id;               // GUID, lower case
  std::vector<std::string> resource_groups;  // empty: all resource groups
  std::string inventory_file;                // non-empty: read this seed-format snapshot instead of ARM
};

// Each is a full ARM resource id; empty when not configured.
struct WorkspaceDependencies {
  std::string storage_account;
  std::string key_vault;
  std::string application_insights;
  std::string container_registry;
};

struct Target {
  std::string subscription_id;  // GUID, lower case
  std::string resource_group;
  std::string location;  // lower case, no spaces ("eastus")
  WorkspaceDependencies workspace_dependencies;
};

// Administrator credentials for the nodes of migrated computes. Secrets are file paths.
struct SshCredentials {
  std::string admin_user_name;
  std::string public_key_file;  // optional
  std::string password_file;    // optional
};

// Where the data of a Batch AI NFS file server now lives (the user copied it there).
struct FileServerTarget {
  std::string kind;          // "AzureFile" or "AzureBlob"
  std::string account_name;  // storage account
  std::string name;          // file share (AzureFile) or container (AzureBlob)
};

// Keys of the maps below that name a Batch AI resource are its full ARM id or its bare name;
// matching is case-insensitive (ARM ids are). storage_keys is keyed by storage account name.
struct Mapping {
  std::map<std::string, std::string> workspace_names;  // Batch AI workspace -> AML workspace name
  std::map<std::string, std::string> names;            // any Batch AI resource -> AML name
  ManualScale manual_scale = ManualScale::Elastic;
  int idle_seconds_before_scale_down = 120;
  JobsMode jobs = JobsMode::Queued;
  std::map<std::string, std::string> storage_keys;              // account name -> key file
  std::map<std::string, FileServerTarget> file_servers;         // Batch AI file server -> target
  std::map<std::string, SshCredentials> ssh;                    // Batch AI cluster or "*" -> creds
};

struct Policy {
  bool prune = true;
  DriftPolicy drift = DriftPolicy::Correct;
  bool adopt = false;
  bool replace = false;
  RetireSource retire_source = RetireSource::Never;
};

struct State {
  std::string database = "/var/lib/bai2aml/bai2aml.db";
};

struct Status {
  std::string json_file = "/run/bai2aml/status.json";
  std::string prometheus_file;  // empty: not written
};

struct Log {
  std::string level = "info";  // trace, debug, info, warn, error
  LogFormat format = LogFormat::Text;
};

struct Config {
  std::string cutoff_text = "2019-03-31T00:00:00Z";
  std::chrono::system_clock::time_point cutoff{};  // parsed from cutoff_text
  int interval_seconds = 60;
  Azure azure;
  Source source;
  Target target;
  Mapping mapping;
  Policy policy;
  State state;
  Status status;
  Log log;
};

const char* to_string(AuthMethod);
const char* to_string(ManualScale);
const char* to_string(JobsMode);
const char* to_string(DriftPolicy);
const char* to_string(RetireSource);
const char* to_string(LogFormat);

}  // namespace bai2aml::config
