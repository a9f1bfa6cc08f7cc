// One function per subcommand; each returns its exit code (daemon/cli.hpp).
#pragma once

#include "daemon/cli.hpp"

namespace bai2aml::daemon::commands {

int check_config(const CommandLine& cl);
int plan(const CommandLine& cl);
int apply(const CommandLine& cl);
int run(const CommandLine& cl);
int status(const CommandLine& cl);
int inventory_export(const CommandLine& cl);
int report(const CommandLine& cl);
int history(const CommandLine& cl);
int prune(const CommandLine& cl);

}  // namespace bai2aml::daemon::commands
