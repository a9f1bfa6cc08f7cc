// Publishes a StatusSnapshot once per cycle: the status file and the Prometheus textfile, each
// replaced atomically, readable by everyone (monitoring agents run as other users).
#pragma once

#include "config/config.hpp"
#include "daemon/status_snapshot.hpp"

namespace bai2aml::daemon {

// Writes status.json_file (always) and status.prometheus_file (when configured), mode 0644.
// Throws std::runtime_error naming the file that could not be written; the other file is still
// attempted first, so one unwritable path does not hide the other's figures.
void write_status_files(const config::Status& paths, const StatusSnapshot& s);

}  // namespace bai2aml::daemon
