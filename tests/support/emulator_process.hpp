// Runs the real bai2aml-emulator binary for a test: on a free loopback port, with a seed file and extra
// flags; waits until it answers; kills it on destruction. Admin helpers wrap the /_emulator endpoints
// (DESIGN.md §4.4). With "--tls-cert FILE" among the flags it serves https and trusts FILE itself.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/support.hpp"

namespace bai2aml::testing {

class EmulatorProcess {
 public:
  // seed: the seed file's content ({"resources":[...]}). Throws std::runtime_error (with the emulator's
  // stderr) when it does not come up within 60 s.
  // BAI2AML_EMULATOR in the environment names another emulator binary to run.
  explicit EmulatorProcess(const std::string& seed = R"({"resources":[]})",
                           const std::vector<std::string>& extra_args = {});
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  const std::string& base_url() const { return base_url_; }  // http(s)://127.0.0.1:PORT, no trailing slash
  int port() const { return port_; }
  const std::string& ca_file() const { return ca_file_; }  // the --tls-cert file, or ""
  HttpOptions http_options() const;                        // trusts ca_file()

  nlohmann::json stats() const;  // GET /_emulator/stats
  void reset_stats() const;      // POST /_emulator/stats/reset
  nlohmann::json resources(const std::string& prefix = "") const;  // the "resources" array, as stored
  void put_resource(const nlohmann::json& resource) const;          // PUT /_emulator/resources
  void delete_resource(const std::string& id) const;                // DELETE /_emulator/resources?id=
  // PUT /_emulator/failures {"rules": rules}: requests under a path prefix answered with an error.
  void set_failures(const nlohmann::json& rules) const;
  std::string token(const std::string& tenant = "00000000-0000-0000-0000-00000000000t") const;

  // An ARM call with a bearer token from token(); path_and_query starts with "/".
  HttpResult arm(const std::string& method, const std::string& path_and_query, const std::string& body = "",
                 std::map<std::string, std::string> headers = {}) const;

  int pid() const { return child_ ? child_->pid() : -1; }
  std::string stderr_text() const;  // what the emulator wrote to stderr so far

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> child_;
  int port_ = 0;
  std::string base_url_;
  std::string ca_file_;
  mutable std::string cached_token_;
};

}  // namespace bai2aml::testing
