// Loads and validates the desired-state config. Everything is checked before anything else runs:
// a config with errors yields no Config to act on, so nothing is ever sent to Azure on it.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/diagnostics.hpp"

namespace bai2aml::config {

struct LoadOptions {
  // Expands ${CREDENTIALS_DIRECTORY} in file paths (systemd LoadCredential=). The caller passes the
  // environment variable's value: the loader reads no environment itself.
  std::string credentials_directory;
  // Relative file paths resolve against this directory (the config file's own, by default).
  std::string base_directory;
  // Check that referenced files exist and are readable (off only for pure unit tests).
  bool check_files = true;
};

struct LoadResult {
  std::optional<Config> config;  // set only when there is no error
  std::vector<Diagnostic> diagnostics;
  // Every key path the loader asked for while reading ("azure.auth.method", mapping entries as
  // mapping.ssh["x"].admin_user_name): what tests compare with the JSON Schema.
  std::set<std::string> accepted_keys;
  bool ok() const { return config.has_value(); }
};

LoadResult load_config_file(const std::string& path, LoadOptions options = {});
LoadResult load_config_text(std::string_view text, const LoadOptions& options);

}  // namespace bai2aml::config
