#include "tests/azure/emulator_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <stdexcept>

#include <boost/asio/io_context.hpp>

#include "azure/transport.hpp"

namespace bai2aml::azure::test {

namespace {

bool port_open(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string emulator_binary() { return bai2aml::testing::binary_dir() + "/emulator/bai2aml-emulator"; }
std::string sample_inventory() { return bai2aml::testing::source_dir() + "/config/sample-inventory.json"; }

EmulatorProcess::EmulatorProcess(std::vector<std::string> args, int port, std::string seed)
    : args_(std::move(args)), port_(port ? port : bai2aml::testing::free_port()), seed_(std::move(seed)) {
  for (std::size_t i = 0; i + 1 < args_.size(); ++i) {
    if (args_[i] == "--tls-cert") {
      tls_ = true;
      ca_file_ = args_[i + 1];  // self-signed: the certificate is its own CA
    }
  }
  start();
}

EmulatorProcess::~EmulatorProcess() { stop(); }

std::string EmulatorProcess::base_url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void EmulatorProcess::start() {
  std::vector<std::string> argv{emulator_binary(), "--listen", "127.0.0.1:" + std::to_string(port_), "--seed", seed_};
  argv.insert(argv.end(), args_.begin(), args_.end());
  process_ = std::make_unique<bai2aml::testing::ChildProcess>(argv, std::map<std::string, std::string>{}, "",
                                                              dir_.file("emulator.log"));
  if (!bai2aml::testing::eventually([this] { return port_open(port_) || !process_->running(); },
                                    std::chrono::seconds(15)) ||
      !process_->running()) {
    throw std::runtime_error("bai2aml-emulator did not start: " + log());
  }
}

void EmulatorProcess::stop() {
  if (!process_) return;
  process_->signal(SIGKILL);
  process_->wait(std::chrono::seconds(10));
  process_.reset();
}

void EmulatorProcess::restart() {
  stop();
  bai2aml::testing::eventually([this] { return !port_open(port_); }, std::chrono::seconds(5));
  start();
}

std::string EmulatorProcess::log() const {
  try {
    return bai2aml::testing::read_file(dir_.file("emulator.log"));
  } catch (const std::exception&) {
    return "";
  }
}

Response EmulatorProcess::admin(const std::string& method, const std::string& path, const std::string& body) const {
  boost::asio::io_context io;
  TransportOptions options;
  options.allow_insecure_loopback = true;
  options.ca_file = ca_file_;
  options.timeout = std::chrono::seconds(10);
  std::optional<Result<Response>> out;
  {
    Pipeline pipeline({}, make_cpprest_transport(io, options));
    Request request;
    request.method = method;
    request.url = base_url() + path;
    request.body = body;
    if (!body.empty()) request.headers["Content-Type"] = "application/json";
    pipeline.send(std::move(request), [&out](Result<Response> r) { out.emplace(std::move(r)); });
    io.run();
  }
  if (!out || !*out) throw std::runtime_error("emulator admin " + method + " " + path + " failed: " +
                                              (out ? out->error().to_string() : std::string("no answer")));
  return out->value();
}

nlohmann::json EmulatorProcess::stats() const { return nlohmann::json::parse(admin("GET", "/_emulator/stats").body); }

void EmulatorProcess::reset_stats() const { admin("POST", "/_emulator/stats/reset"); }

void EmulatorProcess::put_resource(const nlohmann::json& resource) const {
  const auto r = admin("PUT", "/_emulator/resources", resource.dump());
  if (r.status < 200 || r.status > 299) {
    throw std::runtime_error("emulator refused the resource: " + std::to_string(r.status) + " " + r.body);
  }
}

void EmulatorProcess::set_failures(const nlohmann::json& rules) const {
  const auto r = admin("PUT", "/_emulator/failures", nlohmann::json{{"rules", rules}}.dump());
  if (r.status != 200) throw std::runtime_error("emulator refused the failure rules: " + std::to_string(r.status) + " " + r.body);
}

config::Azure azure_config(const EmulatorProcess& emulator, config::AuthMethod method,
                           const bai2aml::testing::TempDir& dir) {
  config::Azure azure;
  azure.arm_endpoint = emulator.base_url();
  azure.authority = emulator.base_url();
  azure.allow_insecure_loopback = true;
  azure.auth.method = method;
  azure.auth.tenant_id = "11111111-2222-3333-4444-555555555555";
  azure.auth.client_id = "66666666-7777-8888-9999-000000000000";
  bai2aml::testing::write_file(dir.file("client-secret"), "sup3r-s3cret-client-value\n");
  bai2aml::testing::write_file(dir.file("federated-token"), "eyJhbGciOi.federated-assertion.sig");
  azure.auth.client_secret_file = dir.file("client-secret");
  azure.auth.federated_token_file = dir.file("federated-token");
  azure.auth.imds_endpoint = emulator.base_url();
  return azure;
}

ArmClientOptions quick_options() {
  ArmClientOptions o;
  o.retry.base_delay = std::chrono::milliseconds(20);
  o.retry.max_delay = std::chrono::milliseconds(200);
  o.default_poll_interval = std::chrono::milliseconds(100);
  o.min_poll_interval = std::chrono::milliseconds(50);
  o.max_poll_interval = std::chrono::milliseconds(2000);
  o.timeout = std::chrono::seconds(10);
  return o;
}

std::pair<std::string, std::string> make_self_signed_cert(const bai2aml::testing::TempDir& dir) {
  const auto cert = dir.file("cert.pem");
  const auto key = dir.file("key.pem");
  const int rc = bai2aml::testing::run_command(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
       "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"},
      dir.file("openssl.out"), dir.file("openssl.err"));
  if (rc != 0) throw std::runtime_error("openssl failed: " + bai2aml::testing::read_file(dir.file("openssl.err")));
  return {cert, key};
}

}  // namespace bai2aml::azure::test
