#include "daemon/notify.hpp"

#include "env_override.hpp"
#include "tests/support/support.hpp"

#include <catch2/catch.hpp>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

using namespace bai2aml::daemon;
using bai2aml::daemon::test::EnvOverride;

namespace {

// The service manager's end: an AF_UNIX datagram socket bound in a temporary directory.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) throw std::runtime_error("socket path too long: " + path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("bind " + path + ": " + std::strerror(errno));
    timeval timeout{2, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~NotifySocket() { ::close(fd_); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  // The next datagram, or "" when none arrives within `flags`' limits (2 s, or at once with MSG_DONTWAIT).
  std::string receive(int flags = 0) {
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, flags);
    return n < 0 ? std::string() : std::string(buf, static_cast<std::size_t>(n));
  }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace

TEST_CASE("Notifier sends READY, STATUS, WATCHDOG and STOPPING to NOTIFY_SOCKET", "[notify]") {
  bai2aml::testing::TempDir dir;
  NotifySocket manager(dir.file("notify.sock"));
  EnvOverride socket("NOTIFY_SOCKET", dir.file("notify.sock").c_str());
  Notifier notifier;
  REQUIRE(notifier.enabled());

  CHECK(notifier.ready());
  CHECK(manager.receive() == "READY=1");
  CHECK(notifier.status("converging: 812/1000 in sync, 3 failed, 125 days to cutoff"));
  CHECK(manager.receive() == "STATUS=converging: 812/1000 in sync, 3 failed, 125 days to cutoff");
  CHECK(notifier.watchdog());
  CHECK(manager.receive() == "WATCHDOG=1");
  CHECK(notifier.reloading());
  CHECK(manager.receive() == "RELOADING=1");
  CHECK(notifier.extend_timeout(std::chrono::seconds(25)));
  CHECK(manager.receive() == "EXTEND_TIMEOUT_USEC=25000000");
  CHECK(notifier.stopping());
  CHECK(manager.receive() == "STOPPING=1");
  CHECK(manager.receive(MSG_DONTWAIT).empty());  // exactly one datagram per call
}

TEST_CASE("Notifier keeps STATUS= on one line", "[notify]") {
  bai2aml::testing::TempDir dir;
  NotifySocket manager(dir.file("notify.sock"));
  EnvOverride socket("NOTIFY_SOCKET", dir.file("notify.sock").c_str());
  Notifier notifier;
  CHECK(notifier.status("degraded\nWATCHDOG=1\r\nsecond line"));
  CHECK(manager.receive() == "STATUS=degraded WATCHDOG=1  second line");
}

TEST_CASE("Notifier does nothing without NOTIFY_SOCKET", "[notify]") {
  bai2aml::testing::TempDir dir;
  NotifySocket manager(dir.file("notify.sock"));
  EnvOverride socket("NOTIFY_SOCKET", nullptr);
  Notifier notifier;
  CHECK_FALSE(notifier.enabled());
  CHECK_FALSE(notifier.ready());
  CHECK_FALSE(notifier.status("x"));
  CHECK_FALSE(notifier.watchdog());
  CHECK_FALSE(notifier.stopping());
  CHECK(manager.receive(MSG_DONTWAIT).empty());
}

TEST_CASE("Notifier reports a socket nobody listens on as not delivered", "[notify]") {
  bai2aml::testing::TempDir dir;
  EnvOverride socket("NOTIFY_SOCKET", dir.file("nobody-here.sock").c_str());
  Notifier notifier;
  CHECK(notifier.enabled());
  CHECK_FALSE(notifier.ready());
}

TEST_CASE("watchdog_interval is half of WATCHDOG_USEC, for this process only", "[notify]") {
  const std::string self = std::to_string(::getpid());
  {
    EnvOverride usec("WATCHDOG_USEC", "30000000");
    EnvOverride pid("WATCHDOG_PID", nullptr);
    CHECK(Notifier().watchdog_interval() == std::chrono::microseconds(15000000));
  }
  {
    EnvOverride usec("WATCHDOG_USEC", "2000000");
    EnvOverride pid("WATCHDOG_PID", self.c_str());
    CHECK(Notifier().watchdog_interval() == std::chrono::microseconds(1000000));
  }
  {
    EnvOverride usec("WATCHDOG_USEC", "2000000");
    EnvOverride pid("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str());  // meant for another process
    CHECK_FALSE(Notifier().watchdog_interval());
  }
  {
    EnvOverride usec("WATCHDOG_USEC", nullptr);
    CHECK_FALSE(Notifier().watchdog_interval());
  }
  {
    EnvOverride usec("WATCHDOG_USEC", "not-a-number");
    CHECK_FALSE(Notifier().watchdog_interval());
  }
}
