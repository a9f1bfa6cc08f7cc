#include "daemon/logging.hpp"

#include "config/utf8.hpp"
#include "reconcile/azure_write.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

namespace bai2aml::daemon {
namespace {

int syslog_priority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug: return 7;  // LOG_DEBUG
    case spdlog::level::info: return 6;   // LOG_INFO
    case spdlog::level::warn: return 4;   // LOG_WARNING
    case spdlog::level::err: return 3;    // LOG_ERR
    case spdlog::level::critical: return 2;  // LOG_CRIT
    default: return 6;
  }
}

const char* level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warn";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "crit";
    default: return "info";
  }
}

class LineSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  LineSink(config::LogFormat format, bool under_journal, LineWriter write)
      : format_(format), under_journal_(under_journal), write_(std::move(write)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    write_(format_log_line(format_, under_journal_, msg.level, msg.time,
                           std::string_view(msg.payload.data(), msg.payload.size()),
                           reconcile::azure_write_fields()));
  }
  void flush_() override {}

 private:
  config::LogFormat format_;
  bool under_journal_;
  LineWriter write_;
};

// One write(2) per line, so lines from concurrent writers never interleave.
void write_stderr_raw(const std::string& line) {
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report a failing stderr
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace

bool fd_is_journal_stream(int fd, const char* journal_stream) {
  if (!journal_stream || !*journal_stream) return false;
  unsigned long long dev = 0, ino = 0;
  char trailing = 0;
  if (std::sscanf(journal_stream, "%llu:%llu%c", &dev, &ino, &trailing) != 2) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == dev && static_cast<unsigned long long>(st.st_ino) == ino;
}

bool stderr_is_journal() { return fd_is_journal_stream(STDERR_FILENO, std::getenv("JOURNAL_STREAM")); }

spdlog::level::level_enum parse_log_level(const std::string& name) {
  if (name == "trace") return spdlog::level::trace;
  if (name == "debug") return spdlog::level::debug;
  if (name == "info") return spdlog::level::info;
  if (name == "warn") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  throw std::invalid_argument("log.level: unknown level \"" + name + "\" (trace, debug, info, warn, error)");
}

std::string format_log_line(config::LogFormat format, bool under_journal, spdlog::level::level_enum level,
                            TimePoint time, std::string_view message, const nlohmann::json* fields) {
  std::string line;
  if (under_journal) line = "<" + std::to_string(syslog_priority(level)) + ">";
  std::string msg = redact_secrets(message);
  if (format == config::LogFormat::Json) {
    nlohmann::json j{{"ts", format_rfc3339_millis(time)}, {"level", level_name(level)}, {"msg", std::move(msg)}};
    if (fields && fields->is_object()) {
      for (const auto& [key, value] : fields->items()) {
        if (!j.contains(key)) j[key] = value.is_string() ? nlohmann::json(redact_secrets(value.get<std::string>())) : value;
      }
    }
    line += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    // One event, one line: a message with newlines would otherwise split into unrelated journal entries.
    // Names and ARM error messages in it come from outside: no escape sequence, carriage return or
    // other control character reaches the terminal or the journal raw.
    std::replace(msg.begin(), msg.end(), '\n', ' ');
    msg = config::terminal_text(msg);
    if (!under_journal) line += format_rfc3339_millis(time) + " ";
    char level_col[8];
    std::snprintf(level_col, sizeof level_col, "%-5s ", level_name(level));
    line += level_col;
    line += msg;
  }
  line += '\n';
  return line;
}

std::shared_ptr<spdlog::sinks::sink> make_line_sink(config::LogFormat format, bool under_journal, LineWriter write) {
  return std::make_shared<LineSink>(format, under_journal, std::move(write));
}

namespace {

std::mutex& line_writer_mutex() {
  static std::mutex m;
  return m;
}
LineWriter& line_writer() {
  static LineWriter w;
  return w;
}

// Held while writing, so a writer being removed is never called afterwards.
void write_stderr(const std::string& line) {
  std::lock_guard<std::mutex> lock(line_writer_mutex());
  if (line_writer()) line_writer()(line);
  else write_stderr_raw(line);
}

}  // namespace

void set_log_line_writer(LineWriter writer) {
  std::lock_guard<std::mutex> lock(line_writer_mutex());
  line_writer() = std::move(writer);
}

void setup_logging(const config::Log& log, bool under_journal) {
  auto logger = std::make_shared<spdlog::logger>("bai2aml", make_line_sink(log.format, under_journal, write_stderr));
  logger->set_level(parse_log_level(log.level));
  logger->flush_on(spdlog::level::trace);  // the sink writes straight through; nothing buffers
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace bai2aml::daemon
