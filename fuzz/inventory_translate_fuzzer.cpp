// libFuzzer target: an inventory snapshot (seed format) read as the daemon reads it, then translated
// to the desired AML state with the example config, rendered as plan renders it and scrubbed as the
// store scrubs it. Any exception escaping, or output that is not valid JSON, is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "azure/inventory.hpp"
#include "config/config_loader.hpp"
#include "translate/render.hpp"
#include "translate/secret_scrub.hpp"
#include "translate/translate.hpp"

namespace {

const bai2aml::config::Config& example_config() {
  static const bai2aml::config::Config cfg = [] {
    std::ifstream in(BAI2AML_SOURCE_DIR "/config/bai2aml.example.json");
    std::ostringstream ss;
    ss << in.rdbuf();
    bai2aml::config::LoadOptions options;
    options.check_files = false;
    options.credentials_directory = "/nonexistent/credentials";
    auto r = bai2aml::config::load_config_text(ss.str(), options);
    if (!r.config) {
      for (const auto& d : r.diagnostics) std::fprintf(stderr, "example config: %s: %s\n", d.path.c_str(), d.message.c_str());
      __builtin_trap();
    }
    auto c = *r.config;
    c.source.subscription_id.clear();  // keep every subscription and group the input names
    c.source.resource_groups.clear();
    return c;
  }();
  return cfg;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  example_config();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& cfg = example_config();
  const auto inventory = bai2aml::azure::parse_inventory(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz-input.json", cfg.source);
  if (!inventory) {
    if (inventory.error().message.empty()) __builtin_trap();
    return 0;
  }
  std::vector<bai2aml::translate::ConfigProblem> problems;
  const auto translation = bai2aml::translate::translate(inventory.value().resources, cfg, problems);
  // Strict dumps: translation must never produce invalid UTF-8 from valid input.
  (void)bai2aml::translate::translation_to_json(translation).dump();
  (void)bai2aml::translate::render_translation_text(translation);
  for (const auto& r : inventory.value().resources) (void)bai2aml::translate::scrub_secrets(r).dump();
  return 0;
}
