#include <cstdio>

#include "daemon/commands/commands.hpp"
#include "daemon/commands/load_config.hpp"
#include "daemon/commands/source_inventory.hpp"
#include "translate/render.hpp"
#include "translate/translate.hpp"

namespace bai2aml::daemon::commands {

int plan(const CommandLine& cl) {
  auto cfg = load_config_or_report(cl.config_path);
  if (!cfg) return kExitUsage;
  auto source = read_source(*cfg, nullptr);
  if (!source.ok) {
    std::fprintf(stderr, "bai2aml plan: cannot read the Batch AI inventory: %s\n", source.error.c_str());
    return kExitRuntimeFailure;
  }
  auto problems = translate::validate_mapping(source.inventory.resources, *cfg);
  if (!problems.empty()) {
    for (const auto& p : problems) std::fprintf(stderr, "%s: error: %s: %s\n", cl.config_path.c_str(), p.path.c_str(), p.message.c_str());
    return kExitUsage;
  }
  const auto translation = translate::translate(source.inventory.resources, *cfg);
  if (cl.json) std::printf("%s\n", translate::translation_to_json(translation).dump(2).c_str());
  else std::fputs(translate::render_translation_text(translation).c_str(), stdout);
  return kExitOk;
}

}  // namespace bai2aml::daemon::commands
