#include "daemon/cli.hpp"

int main(int argc, char** argv) { return bai2aml::daemon::run_cli(argc, argv); }
