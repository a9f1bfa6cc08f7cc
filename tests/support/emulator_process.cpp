#include "tests/support/emulator_process.hpp"

#include <signal.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include <stdexcept>
#include <thread>

namespace bai2aml::testing {

namespace {
void expect_status(const HttpResult& r, int low, int high, const std::string& what) {
  if (r.status < low || r.status > high)
    throw std::runtime_error(what + " failed: status " + std::to_string(r.status) + " " + r.error + " " + r.body);
}

std::string form_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}
}  // namespace

EmulatorProcess::EmulatorProcess(const std::string& seed, const std::vector<std::string>& extra_args) {
  const std::string seed_file = dir_.file("seed.json");
  write_file(seed_file, seed);
  bool tls = false;
  for (size_t i = 0; i + 1 < extra_args.size(); ++i)
    if (extra_args[i] == "--tls-cert") {
      tls = true;
      ca_file_ = extra_args[i + 1];
    }
  std::string last_error;
  // free_port() can race with another process grabbing the port: try a few.
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = free_port();
    base_url_ = std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
    // BAI2AML_EMULATOR: another build of the emulator (benchmarks compare builds with it).
    const char* binary = std::getenv("BAI2AML_EMULATOR");
    std::vector<std::string> argv = {binary && *binary ? binary : binary_dir() + "/emulator/bai2aml-emulator", "--listen",
                                     "127.0.0.1:" + std::to_string(port_), "--seed", seed_file};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    child_ = std::make_unique<ChildProcess>(argv, std::map<std::string, std::string>{}, dir_.file("stdout.log"),
                                            dir_.file("stderr.log"));
    const bool up = eventually(
        [&] {
          if (!child_->running()) return true;
          HttpOptions o = http_options();
          o.timeout = std::chrono::milliseconds(500);
          return http_request("GET", base_url_ + "/_emulator/stats", "", {}, o).status == 200;
        },
        std::chrono::seconds(60));  // a seed of 100,000 resources takes a while to load
    if (up && child_->running()) return;
    last_error = stderr_text();
    child_.reset();
  }
  throw std::runtime_error("bai2aml-emulator did not start: " + last_error);
}

EmulatorProcess::~EmulatorProcess() {
  if (child_ && child_->running()) {
    child_->signal(SIGTERM);
    if (child_->wait(std::chrono::seconds(5)) == -1) child_->signal(SIGKILL);
  }
}

HttpOptions EmulatorProcess::http_options() const {
  HttpOptions o;
  o.ca_file = ca_file_;
  return o;
}

std::string EmulatorProcess::stderr_text() const {
  try {
    return read_file(dir_.file("stderr.log"));
  } catch (const std::exception&) {
    return "";
  }
}

nlohmann::json EmulatorProcess::stats() const {
  HttpResult r = http_request("GET", base_url_ + "/_emulator/stats", "", {}, http_options());
  expect_status(r, 200, 200, "GET /_emulator/stats");
  return r.json();
}

void EmulatorProcess::reset_stats() const {
  expect_status(http_request("POST", base_url_ + "/_emulator/stats/reset", "", {}, http_options()), 200, 204,
                "POST /_emulator/stats/reset");
}

nlohmann::json EmulatorProcess::resources(const std::string& prefix) const {
  std::string url = base_url_ + "/_emulator/resources";
  if (!prefix.empty()) url += "?prefix=" + form_escape(prefix);
  HttpResult r = http_request("GET", url, "", {}, http_options());
  expect_status(r, 200, 200, "GET /_emulator/resources");
  return r.json().at("resources");
}

void EmulatorProcess::put_resource(const nlohmann::json& resource) const {
  expect_status(http_request("PUT", base_url_ + "/_emulator/resources", resource.dump(), {}, http_options()), 200, 201,
                "PUT /_emulator/resources");
}

void EmulatorProcess::set_failures(const nlohmann::json& rules) const {
  expect_status(http_request("PUT", base_url_ + "/_emulator/failures", nlohmann::json{{"rules", rules}}.dump(), {},
                             http_options()),
                200, 200, "PUT /_emulator/failures");
}

void EmulatorProcess::delete_resource(const std::string& id) const {
  expect_status(http_request("DELETE", base_url_ + "/_emulator/resources?id=" + form_escape(id), "", {}, http_options()),
                200, 204, "DELETE /_emulator/resources");
}

std::string EmulatorProcess::token(const std::string& tenant) const {
  const std::string form = "grant_type=client_credentials&client_id=test-client&client_secret=test-secret&scope=" +
                           form_escape("https://management.azure.com/.default");
  HttpResult r = http_request("POST", base_url_ + "/" + tenant + "/oauth2/v2.0/token", form,
                              {{"Content-Type", "application/x-www-form-urlencoded"}}, http_options());
  expect_status(r, 200, 200, "POST token");
  return r.json().at("access_token").get<std::string>();
}

HttpResult EmulatorProcess::arm(const std::string& method, const std::string& path_and_query, const std::string& body,
                                std::map<std::string, std::string> headers) const {
  if (cached_token_.empty()) cached_token_ = token();
  headers.emplace("Authorization", "Bearer " + cached_token_);
  return http_request(method, base_url_ + path_and_query, body, headers, http_options());
}

}  // namespace bai2aml::testing
