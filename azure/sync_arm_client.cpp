#include "azure/sync_arm_client.hpp"

#include <boost/asio/io_context.hpp>

namespace bai2aml::azure {

SyncArmClient::SyncArmClient(const config::Azure& azure, ArmClientOptions options,
                             std::shared_ptr<RequestCounters> counters)
    : io_(std::make_unique<boost::asio::io_context>()) {
  client_ = std::make_unique<ArmClient>(*io_, azure, std::move(options), std::move(counters));
}

SyncArmClient::SyncArmClient(std::string arm_endpoint, const PipelineFactory& make_pipeline, ArmClientOptions options)
    : io_(std::make_unique<boost::asio::io_context>()) {
  client_ = std::make_unique<ArmClient>(*io_, std::move(arm_endpoint), make_pipeline(*io_), std::move(options));
}

SyncArmClient::~SyncArmClient() {
  client_.reset();  // the transports cancel and drain before the io_context goes
  io_.reset();
}

ArmClient& SyncArmClient::async() { return *client_; }

void SyncArmClient::run_until(const bool& finished) {
  // The transport holds work on the io_context while a request is in flight, so run_one() blocks
  // until the next completion rather than returning early.
  io_->restart();
  while (!finished) {
    if (io_->run_one() == 0) break;  // nothing left that could complete the call
  }
}

Result<nlohmann::json> SyncArmClient::get(const std::string& id) {
  return run<nlohmann::json>([&](auto done) { client_->get(id, std::move(done)); });
}
Result<std::vector<nlohmann::json>> SyncArmClient::list(const std::string& collection) {
  return run<std::vector<nlohmann::json>>([&](auto done) { client_->list(collection, std::move(done)); });
}
Result<WriteOutcome> SyncArmClient::put(const std::string& id, const nlohmann::json& body) {
  return run<WriteOutcome>([&](auto done) { client_->put(id, body, std::move(done)); });
}
Result<WriteOutcome> SyncArmClient::remove(const std::string& id) {
  return run<WriteOutcome>([&](auto done) { client_->remove(id, std::move(done)); });
}
Result<WriteOutcome> SyncArmClient::begin_put(const std::string& id, const nlohmann::json& body) {
  return run<WriteOutcome>([&](auto done) { client_->begin_put(id, body, std::move(done)); });
}
Result<WriteOutcome> SyncArmClient::begin_delete(const std::string& id) {
  return run<WriteOutcome>([&](auto done) { client_->begin_delete(id, std::move(done)); });
}
Result<WriteOutcome> SyncArmClient::poll(const OperationToken& token) {
  return run<WriteOutcome>([&](auto done) { client_->poll(token, std::move(done)); });
}
Result<WriteOutcome> SyncArmClient::wait(const OperationToken& token) {
  return run<WriteOutcome>([&](auto done) { client_->wait(token, std::move(done)); });
}
Result<WriteOutcome> SyncArmClient::patch(const std::string& id, const nlohmann::json& body) {
  auto begun = run<WriteOutcome>([&](auto done) { client_->begin_patch(id, body, std::move(done)); });
  if (!begun || begun.value().done) return begun;
  return wait(*begun.value().operation);
}
Result<WriteOutcome> SyncArmClient::post(const std::string& path, const nlohmann::json& body) {
  auto begun = run<WriteOutcome>([&](auto done) { client_->begin_post(path, body, std::move(done)); });
  if (!begun || begun.value().done) return begun;
  return wait(*begun.value().operation);
}

}  // namespace bai2aml::azure
