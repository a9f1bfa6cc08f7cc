#include "daemon/commands/load_config.hpp"

#include <cstdio>
#include <cstdlib>

#include "config/config_loader.hpp"

namespace bai2aml::daemon::commands {

std::optional<config::Config> load_config_or_report(const std::string& path) {
  config::LoadOptions options;
  // systemd's LoadCredential= directory; the loader itself reads no environment.
  if (const char* creds = std::getenv("CREDENTIALS_DIRECTORY")) options.credentials_directory = creds;
  auto result = config::load_config_file(path, options);
  for (const auto& d : result.diagnostics)
    std::fprintf(stderr, "%s: %s\n", path.c_str(), config::format_diagnostic(d).c_str());
  return result.config;
}

}  // namespace bai2aml::daemon::commands
