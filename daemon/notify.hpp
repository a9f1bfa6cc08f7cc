// The service manager's notification protocol (sd_notify(3), Type=notify): READY=1 once the state
// is loaded, STATUS= once per cycle, WATCHDOG=1 from the loop, STOPPING=1 on shutdown. Every call is
// a no-op when NOTIFY_SOCKET is unset (a foreground run, a test), so the run loop never checks.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace bai2aml::daemon {

class Notifier {
 public:
  // True when NOTIFY_SOCKET is set (read on every call, as sd_notify does).
  bool enabled() const;

  // Each returns true when the message was delivered, false when there is no socket or sending
  // failed (a failure is logged as a warning; the daemon keeps running).
  bool ready();                       // READY=1
  bool status(std::string_view line);  // STATUS=<line>, newlines replaced so it stays one line
  bool watchdog();                    // WATCHDOG=1
  bool stopping();                    // STOPPING=1
  bool reloading();                   // RELOADING=1 (on SIGHUP; send ready() when the new config is loaded)
  bool extend_timeout(std::chrono::microseconds usec);  // EXTEND_TIMEOUT_USEC=, e.g. while draining

  // How often the loop must call watchdog(): half of WATCHDOG_USEC, or nullopt when the watchdog is
  // off (no WATCHDOG_USEC, or WATCHDOG_PID names another process).
  std::optional<std::chrono::microseconds> watchdog_interval() const;

 private:
  bool send(const std::string& message);
};

}  // namespace bai2aml::daemon
