// A blocking facade over ArmClient for CLI commands (plan, inventory export): it owns an io_context
// and runs it until the call completes. Not for use inside the daemon's io_context.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "azure/arm_client.hpp"

namespace bai2aml::azure {

class SyncArmClient {
 public:
  explicit SyncArmClient(const config::Azure& azure, ArmClientOptions options = {},
                         std::shared_ptr<RequestCounters> counters = nullptr);
  // Tests: a client over a ready pipeline, built on this object's io_context.
  using PipelineFactory = std::function<Pipeline(boost::asio::io_context&)>;
  SyncArmClient(std::string arm_endpoint, const PipelineFactory& make_pipeline, ArmClientOptions options = {});
  ~SyncArmClient();
  SyncArmClient(const SyncArmClient&) = delete;
  SyncArmClient& operator=(const SyncArmClient&) = delete;

  Result<nlohmann::json> get(const std::string& id);
  Result<std::vector<nlohmann::json>> list(const std::string& collection);
  Result<WriteOutcome> put(const std::string& id, const nlohmann::json& body);  // waits for the LRO
  Result<WriteOutcome> patch(const std::string& id, const nlohmann::json& body);  // waits for the LRO
  Result<WriteOutcome> remove(const std::string& id);                             // waits for the LRO
  Result<WriteOutcome> begin_put(const std::string& id, const nlohmann::json& body);
  Result<WriteOutcome> begin_delete(const std::string& id);
  Result<WriteOutcome> post(const std::string& path, const nlohmann::json& body);  // waits for the LRO
  Result<WriteOutcome> poll(const OperationToken& token);
  Result<WriteOutcome> wait(const OperationToken& token);

  ArmClient& async();  // the underlying client, for helpers such as BatchAiReader
  // Runs the io_context until start's callback has fired; returns its result.
  template <class T>
  Result<T> run(const std::function<void(std::function<void(Result<T>)>)>& start);

 private:
  void run_until(const bool& finished);
  std::unique_ptr<boost::asio::io_context> io_;
  std::unique_ptr<ArmClient> client_;
};

template <class T>
Result<T> SyncArmClient::run(const std::function<void(std::function<void(Result<T>)>)>& start) {
  std::optional<Result<T>> out;
  bool finished = false;
  start([&out, &finished](Result<T> r) {
    out.emplace(std::move(r));
    finished = true;
  });
  run_until(finished);
  if (!out) {
    ArmError e;
    e.code = "Internal";
    e.message = "the call ended without completing (a bug in azure/)";
    return e;
  }
  return std::move(*out);
}

}  // namespace bai2aml::azure
