#include "daemon/notify.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace bai2aml::daemon {

bool Notifier::enabled() const {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return socket && *socket;
}

bool Notifier::send(const std::string& message) {
  if (!enabled()) return false;
  const int rc = sd_notify(0, message.c_str());
  if (rc > 0) return true;
  const std::string what = message.substr(0, message.find('='));
  if (rc < 0)
    spdlog::warn("sd_notify {} to NOTIFY_SOCKET={} failed: {}", what, std::getenv("NOTIFY_SOCKET"), std::strerror(-rc));
  return false;
}

bool Notifier::ready() { return send("READY=1"); }

bool Notifier::status(std::string_view line) {
  std::string message = "STATUS=";
  for (char c : line) message += (c == '\n' || c == '\r') ? ' ' : c;
  return send(message);
}

bool Notifier::watchdog() { return send("WATCHDOG=1"); }
bool Notifier::stopping() { return send("STOPPING=1"); }
bool Notifier::reloading() { return send("RELOADING=1"); }

bool Notifier::extend_timeout(std::chrono::microseconds usec) {
  return send("EXTEND_TIMEOUT_USEC=" + std::to_string(usec.count()));
}

std::optional<std::chrono::microseconds> Notifier::watchdog_interval() const {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

}  // namespace bai2aml::daemon
