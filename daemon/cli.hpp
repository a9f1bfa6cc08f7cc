// The bai2aml command line (DESIGN.md §4.1): parsing and dispatch. Exit codes are part of the contract.
#pragma once

#include <optional>
#include <string>
#include <variant>

namespace bai2aml::daemon {

enum ExitCode : int {
  kExitOk = 0,              // success; for apply: converged
  kExitRuntimeFailure = 1,  // something failed at run time
  kExitUsage = 2,           // invalid usage or invalid config: nothing was sent to Azure
  kExitTimeout = 3,         // apply timed out before converging
};

struct CommandLine {
  std::string command;  // check-config, plan, apply, run, status, inventory-export, report, history
  std::string config_path;
  bool json = false;
  std::optional<int> timeout_seconds;
  std::string out;                  // inventory export, report (optional)
  std::string format = "markdown";  // report: markdown, json, html
  std::string progress = "auto";     // apply, run: auto (a status line when stdout is a terminal), tty, plain
  std::string resource_id;          // history
  bool confirm = false;             // prune
};

struct UsageError {
  std::string message;
};

std::variant<CommandLine, UsageError> parse_command_line(int argc, const char* const* argv);
std::string usage_text();

// Parses, dispatches, and maps every failure to its exit code. Never throws.
int run_cli(int argc, const char* const* argv);

}  // namespace bai2aml::daemon
