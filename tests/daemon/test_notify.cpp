#include "daemon/notify.hpp"

#include "env_override.hpp"
#include "notify_socket.hpp"
#include "tests/support/support.hpp"

#include <catch2/catch.hpp>
#include <sys/socket.h>
#include <unistd.h>


using namespace bai2aml::daemon;
using bai2aml::daemon::test::EnvOverride;
using bai2aml::daemon::test::NotifySocket;


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
