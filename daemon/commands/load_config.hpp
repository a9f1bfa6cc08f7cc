// Loads the config for a command and prints its diagnostics: every command validates first, and
// none sends anything to Azure on a config with errors.
#pragma once

#include <optional>
#include <string>

#include "config/config.hpp"

namespace bai2aml::daemon::commands {

// nullopt when the config has errors (they were printed to stderr): exit with kExitUsage.
std::optional<config::Config> load_config_or_report(const std::string& path);

}  // namespace bai2aml::daemon::commands
