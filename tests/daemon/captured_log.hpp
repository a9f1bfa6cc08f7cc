// Routes spdlog's default logger through bai2aml's line sink into a vector, for one test's scope.
#pragma once

#include "daemon/logging.hpp"

#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <vector>

namespace bai2aml::daemon::test {

// Makes the default logger write into `lines` for the scope of a test, then restores the previous one.
class CapturedLog {
 public:
  CapturedLog(config::LogFormat format, bool journal, spdlog::level::level_enum level = spdlog::level::info) {
    auto logger = std::make_shared<spdlog::logger>(
        "capture", make_line_sink(format, journal, [this](const std::string& line) { lines.push_back(line); }));
    logger->set_level(level);
    previous_ = spdlog::default_logger();
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  std::vector<std::string> lines;

 private:
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace bai2aml::daemon::test
