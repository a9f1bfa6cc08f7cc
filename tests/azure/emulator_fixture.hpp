// Runs the real bai2aml-emulator binary on a free loopback port for integration tests, and talks
// to its admin endpoints through azure/'s own transport.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "azure/arm_client.hpp"
#include "config/config.hpp"
#include "tests/support/support.hpp"

namespace bai2aml::azure::test {

std::string emulator_binary();
std::string sample_inventory();  // config/sample-inventory.json
inline const std::string kSampleSubscription = "00000000-0000-0000-0000-000000000001";

class EmulatorProcess {
 public:
  // args: extra emulator flags. port 0: a free one. tls: {cert, key} to serve https.
  explicit EmulatorProcess(std::vector<std::string> args = {}, int port = 0, std::string seed = sample_inventory());
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  int port() const { return port_; }
  std::string base_url() const;  // http(s)://127.0.0.1:PORT
  void restart();                // kill, then start again on the same port (tokens are forgotten)
  void stop();

  // Admin endpoints (over plain http, or https with the test's CA when serving TLS).
  nlohmann::json stats() const;
  void reset_stats() const;
  void put_resource(const nlohmann::json& resource) const;
  void set_failures(const nlohmann::json& rules) const;  // PUT /_emulator/failures {"rules": rules}
  std::string log() const;  // the emulator's stderr

 private:
  void start();
  Response admin(const std::string& method, const std::string& path, const std::string& body = "") const;
  std::vector<std::string> args_;
  int port_;
  std::string seed_;
  bool tls_ = false;
  std::string ca_file_;
  bai2aml::testing::TempDir dir_;
  std::unique_ptr<bai2aml::testing::ChildProcess> process_;
};

// An azure config pointed at the emulator for the given method (secrets written under dir).
config::Azure azure_config(const EmulatorProcess& emulator, config::AuthMethod method,
                           const bai2aml::testing::TempDir& dir);

// Options that keep integration tests quick: short backoffs and poll intervals.
ArmClientOptions quick_options();

// A self-signed certificate for 127.0.0.1 made with the openssl CLI: {cert, key}.
std::pair<std::string, std::string> make_self_signed_cert(const bai2aml::testing::TempDir& dir);

}  // namespace bai2aml::azure::test
