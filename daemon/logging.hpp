// bai2aml's logging: spdlog's default logger writing one line per message to stderr, as text
// ("2026-11-27T08:00:00.123Z info  message") or JSON ({"ts":..,"level":..,"msg":..}), with the
// sd-daemon(3) "<N>" priority prefix when stderr is connected to journald, and every line passed
// through redact_secrets() as a last line of defence against a secret reaching the logs.
#pragma once

#include "config/config.hpp"
#include "config/redaction.hpp"
#include "daemon/cutoff.hpp"

#include <nlohmann/json_fwd.hpp>
#include <spdlog/common.h>
#include <spdlog/sinks/sink.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace bai2aml::daemon {

// sd-daemon(3): stderr goes to the journal when JOURNAL_STREAM ("<st_dev>:<st_ino>") names the
// device and inode of file descriptor 2. fd_is_journal_stream is the testable core of that check.
bool fd_is_journal_stream(int fd, const char* journal_stream);
bool stderr_is_journal();

// The one free-text redaction (config/redaction.hpp), also reachable as daemon::redact_secrets.
using config::redact_secrets;

// "info" -> spdlog::level::info, ...; accepts trace, debug, info, warn, error. Throws
// std::invalid_argument naming the value otherwise.
spdlog::level::level_enum parse_log_level(const std::string& name);

// One finished log line (with its '\n'): the pure formatter behind the sink. `fields` are extra
// members for the JSON format (ignored for text); the message and fields are redacted.
std::string format_log_line(config::LogFormat format, bool under_journal, spdlog::level::level_enum level,
                            TimePoint time, std::string_view message, const nlohmann::json* fields = nullptr);

// A sink formatting with format_log_line and handing each line to `write` (stderr in production).
// An Azure write's line (reconcile::log_azure_write) gets its members as `fields`.
using LineWriter = std::function<void(const std::string& line)>;
std::shared_ptr<spdlog::sinks::sink> make_line_sink(config::LogFormat format, bool under_journal, LineWriter write);

// Where the default logger's finished lines go: stderr (nullptr), or a writer that shares the
// terminal with a status line (terminal_status_line.hpp). Thread-safe; effective immediately.
void set_log_line_writer(LineWriter writer);

// Makes spdlog's default logger write through make_line_sink to stderr at the configured level.
// Under journald text lines carry no timestamp of their own (the journal stamps every line).
void setup_logging(const config::Log& log, bool under_journal);

}  // namespace bai2aml::daemon
