// libFuzzer target: the config loader on arbitrary text (JSON with comments). Files it names are
// not checked, so an input never makes the loader open a path.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  bai2aml::config::LoadOptions options;
  options.check_files = false;
  options.base_directory = "/nonexistent";
  options.credentials_directory = "/nonexistent/credentials";
  const auto result =
      bai2aml::config::load_config_text(std::string_view(reinterpret_cast<const char*>(data), size), options);
  // A refused config always says why.
  if (!result.config && result.diagnostics.empty()) __builtin_trap();
  return 0;
}
