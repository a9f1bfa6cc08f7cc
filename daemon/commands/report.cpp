// bai2aml report: the migration report, from the database; to stdout, or to --out FILE (written
// atomically, readable by others: it is meant to be shared and holds no secret).
#include <cstdio>

#include "daemon/atomic_file.hpp"
#include "daemon/commands/commands.hpp"
#include "daemon/commands/load_config.hpp"
#include "daemon/report.hpp"
#include "daemon/report_html.hpp"

namespace bai2aml::daemon::commands {

int report(const CommandLine& cl) {
  auto cfg = load_config_or_report(cl.config_path);
  if (!cfg) return kExitUsage;
  auto store = state::Store::open(cfg->state.database, {false});
  const auto data = gather_report(*store, *cfg, Clock::now());
  std::string text;
  if (cl.format == "json") text = report_to_json(data).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  else if (cl.format == "html") text = report_to_html(data);
  else text = report_to_markdown(data);
  if (cl.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
  }
  write_file_atomically(cl.out, text, 0644);
  std::fprintf(stderr, "bai2aml: wrote the %s report (%zu Batch AI resources, %zu bytes) to %s\n", cl.format.c_str(),
               data.entries.size(), text.size(), cl.out.c_str());
  return kExitOk;
}

}  // namespace bai2aml::daemon::commands
