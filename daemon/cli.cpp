#include "daemon/cli.hpp"

#include <cstdio>
#include <exception>
#include <stdexcept>
#include <vector>

#include "daemon/commands/commands.hpp"

namespace bai2aml::daemon {

std::string usage_text() {
  return "usage:\n"
         "  bai2aml check-config --config FILE          validate only; print nothing but errors\n"
         "  bai2aml plan    --config FILE [--json]      read source + live state, print the actions and findings\n"
         "  bai2aml apply   --config FILE [--timeout SECONDS] [--progress auto|tty|plain]   reconcile until converged, then exit\n"
         "  bai2aml run     --config FILE [--progress auto|tty|plain]   the daemon (foreground; systemd Type=notify)\n"
         "  bai2aml status  --config FILE [--json]      the state of the migration, from the database\n"
         "  bai2aml inventory export --config FILE --out FILE   write the Batch AI inventory as an emulator seed file\n"
         "  bai2aml report  --config FILE [--format markdown|json|html] [--out FILE]   the migration report (html: one self-contained file)\n"
         "  bai2aml history --config FILE ID [--json]   one resource's story: writes, findings, state changes\n"
         "  bai2aml prune   --config FILE --confirm     release prunes held by the mass-disappearance guard\n"
         "  bai2aml --version\n"
         "exit codes: 0 success (apply: converged), 1 runtime failure, 2 invalid usage or config, 3 apply timed out\n";
}

std::variant<CommandLine, UsageError> parse_command_line(int argc, const char* const* argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return UsageError{"no command given"};
  CommandLine cl;
  std::size_t i = 0;
  cl.command = args[i++];
  if (cl.command == "inventory") {
    if (i >= args.size() || args[i] != "export") return UsageError{"\"inventory\" takes the subcommand \"export\""};
    ++i;
    cl.command = "inventory-export";
  }
  static const std::vector<std::string> commands = {"check-config", "plan", "apply", "run", "status", "inventory-export", "report",
                                                   "history", "prune"};
  bool known = false;
  for (const auto& c : commands) known = known || c == cl.command;
  if (!known) return UsageError{"unknown command \"" + cl.command + "\""};

  auto allowed = [&](const std::string& flag) {
    if (flag == "--config") return true;
    if (flag == "--json") return cl.command == "plan" || cl.command == "status" || cl.command == "history";
    if (flag == "--timeout") return cl.command == "apply";
    if (flag == "--progress") return cl.command == "apply" || cl.command == "run";
    if (flag == "--out") return cl.command == "inventory-export" || cl.command == "report";
    if (flag == "--format") return cl.command == "report";
    if (flag == "--confirm") return cl.command == "prune";
    return false;
  };
  for (; i < args.size(); ++i) {
    std::string flag = args[i], value;
    if (cl.command == "history" && flag.rfind("--", 0) != 0) {
      if (!cl.resource_id.empty()) return UsageError{"history takes one resource id, not \"" + cl.resource_id + "\" and \"" + flag + "\""};
      if (flag.empty()) return UsageError{"history: the resource id is empty"};
      cl.resource_id = flag;
      continue;
    }
    bool has_inline_value = false;
    if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_inline_value = true;
    }
    if (!allowed(flag)) return UsageError{"\"" + flag + "\" is not an option of " + cl.command};
    if (flag == "--json") {
      if (has_inline_value) return UsageError{"--json takes no value"};
      cl.json = true;
      continue;
    }
    if (flag == "--confirm") {
      if (has_inline_value) return UsageError{"--confirm takes no value"};
      cl.confirm = true;
      continue;
    }
    if (!has_inline_value) {
      if (i + 1 >= args.size()) return UsageError{flag + " needs a value"};
      value = args[++i];
    }
    if (flag == "--config") {
      cl.config_path = value;
    } else if (flag == "--out") {
      cl.out = value;
    } else if (flag == "--format") {
      if (value != "markdown" && value != "json" && value != "html")
        return UsageError{"--format \"" + value + "\" is not one of markdown, json, html"};
      cl.format = value;
    } else if (flag == "--progress") {
      if (value != "auto" && value != "tty" && value != "plain")
        return UsageError{"--progress \"" + value + "\" is not one of auto, tty, plain"};
      cl.progress = value;
    } else if (flag == "--timeout") {
      try {
        std::size_t used = 0;
        const long t = std::stol(value, &used);
        if (used != value.size() || t <= 0 || t > 30L * 86400) throw std::invalid_argument("range");
        cl.timeout_seconds = static_cast<int>(t);
      } catch (const std::exception&) {
        return UsageError{"--timeout \"" + value + "\" is not a number of seconds (1..2592000)"};
      }
    }
  }
  if (cl.config_path.empty()) return UsageError{cl.command + " needs --config FILE"};
  if (cl.command == "inventory-export" && cl.out.empty()) return UsageError{"inventory export needs --out FILE"};
  if (cl.command == "history" && cl.resource_id.empty())
    return UsageError{"history needs the ARM id of a Batch AI or AML resource"};
  if (cl.command == "prune" && !cl.confirm)
    return UsageError{"prune releases held deletions only with --confirm (see `bai2aml plan` for what they are)"};
  return cl;
}

int run_cli(int argc, const char* const* argv) {
  if (argc == 2 && (std::string(argv[1]) == "--version" || std::string(argv[1]) == "version")) {
    std::printf("bai2aml %s\n", BAI2AML_VERSION);
    return kExitOk;
  }
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "help" || std::string(argv[1]) == "-h")) {
    std::fputs(usage_text().c_str(), stdout);
    return kExitOk;
  }
  auto parsed = parse_command_line(argc, argv);
  if (auto* err = std::get_if<UsageError>(&parsed)) {
    std::fprintf(stderr, "bai2aml: %s\n%s", err->message.c_str(), usage_text().c_str());
    return kExitUsage;
  }
  const auto& cl = std::get<CommandLine>(parsed);
  try {
    if (cl.command == "check-config") return commands::check_config(cl);
    if (cl.command == "plan") return commands::plan(cl);
    if (cl.command == "apply") return commands::apply(cl);
    if (cl.command == "run") return commands::run(cl);
    if (cl.command == "status") return commands::status(cl);
    if (cl.command == "inventory-export") return commands::inventory_export(cl);
    if (cl.command == "report") return commands::report(cl);
    if (cl.command == "history") return commands::history(cl);
    if (cl.command == "prune") return commands::prune(cl);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bai2aml %s: %s\n", cl.command.c_str(), e.what());
    return kExitRuntimeFailure;
  }
  return kExitUsage;
}

}  // namespace bai2aml::daemon
