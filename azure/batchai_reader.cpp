#include "azure/batchai_reader.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

#include <spdlog/spdlog.h>

#include "azure/sync_arm_client.hpp"

namespace bai2aml::azure {

namespace {

using nlohmann::json;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// LISTs a set of collections with at most max_parallel in flight; the first failure wins, but
// done is called only once every started call has come back (nothing dangles after it).
class FanOut : public std::enable_shared_from_this<FanOut> {
 public:
  using Done = std::function<void(Result<std::vector<std::vector<json>>>)>;
  FanOut(ArmClient& client, std::vector<std::string> collections, int max_parallel, Done done)
      : client_(client), collections_(std::move(collections)), results_(collections_.size()),
        max_parallel_(std::max(1, max_parallel)), done_(std::move(done)) {}

  void start() {
    if (collections_.empty()) return finish();
    launch();
  }

 private:
  void launch() {
    while (!failed_ && in_flight_ < max_parallel_ && next_ < collections_.size()) {
      const auto index = next_++;
      ++in_flight_;
      auto self = shared_from_this();
      client_.list(collections_[index], [self, index](Result<std::vector<json>> r) {
        --self->in_flight_;
        ++self->completed_;
        if (!r) {
          if (!self->failed_) self->error_ = r.error();
          self->failed_ = true;
        } else {
          self->results_[index] = std::move(r.value());
        }
        if (self->in_flight_ == 0 && (self->failed_ || self->completed_ == self->collections_.size())) {
          return self->finish();
        }
        self->launch();
      });
    }
  }
  void finish() {
    if (failed_) return done_(error_);
    done_(std::move(results_));
  }

  ArmClient& client_;
  std::vector<std::string> collections_;
  std::vector<std::vector<json>> results_;
  int max_parallel_;
  Done done_;
  std::size_t next_ = 0;
  std::size_t completed_ = 0;
  int in_flight_ = 0;
  bool failed_ = false;
  ArmError error_;
};

SourceUnavailable unavailable(const ArmError& error, const std::string& during) {
  SourceUnavailable s;
  s.reason = classify_source_error(error);
  s.cause = error;
  s.message = "Batch AI source unavailable (" + std::string(to_string(s.reason)) + ") while " + during + ": " +
              error.to_string();
  return s;
}

// The ids of the listed resources; a listed item without a string id is a malformed answer.
Result<std::vector<std::string>> ids_of(const std::vector<json>& items, const std::string& collection) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& item = items[i];
    if (!item.is_object() || !item.contains("id") || !item["id"].is_string() || item["id"].get<std::string>().empty()) {
      ArmError e;
      e.code = errc::kInvalidResponse;
      e.message = "item " + std::to_string(i) + " of " + collection + " has no \"id\" string";
      return e;
    }
    ids.push_back(item["id"].get<std::string>());
  }
  return ids;
}

struct ReadState {
  Inventory inventory;
  std::vector<json> clusters, file_servers, experiments;
};

}  // namespace

SourceUnavailable::Reason classify_source_error(const ArmError& error) {
  using Reason = SourceUnavailable::Reason;
  const auto code = lower(error.code);
  if (error.http_status == 0) {
    if (code == lower(errc::kAuthenticationFailed) || code == lower(errc::kCredentialUnavailable)) {
      return Reason::Unauthorized;
    }
    if (code == lower(errc::kInvalidResponse)) return Reason::InvalidResponse;
    if (code == lower(errc::kConnectionError) || code == lower(errc::kTimeout) || code == lower(errc::kTlsError) ||
        code == lower(errc::kInsecureTransport)) {
      return Reason::Network;
    }
    return Reason::Other;
  }
  if (code.find("retired") != std::string::npos || code == "noregisteredproviderfound" ||
      code == "invalidresourcenamespace" || code == "resourceproviderunavailable" || error.http_status == 410) {
    return Reason::Retired;
  }
  if (error.http_status == 401 || error.http_status == 403) return Reason::Unauthorized;
  if (code == lower(errc::kInvalidResponse)) return Reason::InvalidResponse;
  if (error.http_status == 404) return code == "subscriptionnotfound" ? Reason::Other : Reason::Retired;
  if (error.http_status == 408 || error.http_status == 429 || error.http_status >= 500) return Reason::Network;
  return Reason::Other;
}

BatchAiReader::BatchAiReader(ArmClient& client, config::Source source, int max_parallel)
    : client_(client), source_(std::move(source)), max_parallel_(max_parallel) {}

void BatchAiReader::read(InventoryCallback done) {
  if (source_.subscription_id.empty()) {
    ArmError e;
    e.code = "InvalidConfig";
    e.message = "source.subscription_id is empty";
    return done(unavailable(e, "starting"));
  }
  std::vector<std::string> roots;
  const std::string sub = "/subscriptions/" + source_.subscription_id;
  if (source_.resource_groups.empty()) {
    roots.push_back(sub + "/providers/Microsoft.BatchAI/workspaces");
  } else {
    for (const auto& rg : source_.resource_groups) {
      roots.push_back(sub + "/resourceGroups/" + rg + "/providers/Microsoft.BatchAI/workspaces");
    }
  }
  auto state = std::make_shared<ReadState>();
  auto& client = client_;
  const int parallel = max_parallel_;
  const auto started = std::chrono::system_clock::now();
  // Stage 1: workspaces. Stage 2: clusters, file servers, experiments. Stage 3: jobs.
  std::make_shared<FanOut>(client, roots, parallel, [state, &client, parallel, started, done](auto workspaces) {
    if (!workspaces) return done(unavailable(workspaces.error(), "listing workspaces"));
    std::vector<std::string> children;
    for (std::size_t i = 0; i < workspaces.value().size(); ++i) {
      auto ids = ids_of(workspaces.value()[i], "the workspaces list");
      if (!ids) return done(unavailable(ids.error(), "listing workspaces"));
      for (auto& w : workspaces.value()[i]) state->inventory.resources.push_back(std::move(w));
      for (const auto& id : ids.value()) {
        children.push_back(id + "/clusters");
        children.push_back(id + "/fileServers");
        children.push_back(id + "/experiments");
      }
    }
    std::make_shared<FanOut>(client, children, parallel, [state, &client, parallel, started, done,
                                                          children](auto lists) {
      if (!lists) return done(unavailable(lists.error(), "listing clusters, file servers and experiments"));
      std::vector<std::string> job_collections;
      for (std::size_t i = 0; i < lists.value().size(); ++i) {
        auto& items = lists.value()[i];
        auto ids = ids_of(items, children[i]);
        if (!ids) return done(unavailable(ids.error(), "listing " + children[i]));
        auto& into = i % 3 == 0 ? state->clusters : i % 3 == 1 ? state->file_servers : state->experiments;
        if (i % 3 == 2) {
          for (const auto& id : ids.value()) job_collections.push_back(id + "/jobs");
        }
        for (auto& item : items) into.push_back(std::move(item));
      }
      std::make_shared<FanOut>(client, job_collections, parallel, [state, started, done, job_collections](auto jobs) {
        if (!jobs) return done(unavailable(jobs.error(), "listing jobs"));
        auto& out = state->inventory.resources;
        for (auto* group : {&state->clusters, &state->file_servers, &state->experiments}) {
          for (auto& r : *group) out.push_back(std::move(r));
        }
        for (std::size_t i = 0; i < jobs.value().size(); ++i) {
          auto ids = ids_of(jobs.value()[i], job_collections[i]);
          if (!ids) return done(unavailable(ids.error(), "listing " + job_collections[i]));
          for (auto& j : jobs.value()[i]) out.push_back(std::move(j));
        }
        state->inventory.fetched_at = started;
        spdlog::debug("Batch AI inventory: {} resources", out.size());
        done(std::move(state->inventory));
      })->start();
    })->start();
  })->start();
}

Result<Inventory, SourceUnavailable> read_inventory(SyncArmClient& client, const config::Source& source) {
  if (!source.inventory_file.empty()) return load_inventory_file(source.inventory_file, source);
  BatchAiReader reader(client.async(), source);
  std::optional<Result<Inventory, SourceUnavailable>> out;
  bool finished = false;
  // run<T> carries ArmError results; route the typed error through a side channel.
  auto r = client.run<bool>([&](std::function<void(Result<bool>)> complete) {
    reader.read([&out, &finished, complete](Result<Inventory, SourceUnavailable> result) {
      out.emplace(std::move(result));
      finished = true;
      complete(true);
    });
  });
  if (!r || !out) {
    SourceUnavailable s;
    s.reason = SourceUnavailable::Reason::Other;
    s.cause = r ? ArmError{} : r.error();
    s.message = "Batch AI read did not complete: " + s.cause.to_string();
    return s;
  }
  return std::move(*out);
}

}  // namespace bai2aml::azure
