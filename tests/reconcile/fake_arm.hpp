// A small in-memory ARM behind the pipeline's FunctionTransport, for the executor and observer
// tests: PUT (201 + Azure-AsyncOperation, or 200), PATCH (merge, 200), DELETE (202 + operation, or
// 204 when missing), GET of resources and operations, LIST of a collection. Faults are scripted per
// "METHOD path"; replies can be held to observe concurrency. Answers are posted onto the
// io_context, as the real transport does. Every answer carries x-ms-request-id "arm-<n>", n counting
// requests from 1 (Seen::request_id).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "azure/pipeline.hpp"
#include "reconcile/text.hpp"

namespace bai2aml::reconcile::testing {

using nlohmann::json;

class FakeArm {
 public:
  static constexpr const char* kEndpoint = "https://arm.example";

  struct Seen {
    std::string method;
    std::string path;  // without query
    json body;
    std::string request_id;  // the x-ms-request-id answered
  };

  explicit FakeArm(boost::asio::io_context& io) : io_(io) {}

  std::unique_ptr<azure::Transport> transport() {
    return std::make_unique<azure::FunctionTransport>([this](azure::Request req, azure::ResponseCallback done) {
      auto reply = handle(req);
      if (reply) {
        requests.back().request_id = "arm-" + std::to_string(requests.size());
        reply.value().headers["x-ms-request-id"] = requests.back().request_id;
      }
      if (hold_replies) {
        held.push_back([this, done, reply] { boost::asio::post(io_, [done, reply] { done(reply); }); });
      } else {
        boost::asio::post(io_, [done, reply] { done(reply); });
      }
    });
  }

  // Every running operation answers Succeeded at its next poll.
  void finish_operations() {
    for (auto& [path, op] : ops_) op.polls_left = 0;
  }

  void release_one() {
    if (held.empty()) return;
    auto f = held.front();
    held.pop_front();
    f();
  }

  // Called for every write request before it is answered (e.g. to inspect the journal).
  std::function<void(const Seen&)> on_write;

  std::map<std::string, json> resources;  // ascii_lower(path) -> body
  std::map<std::string, json> canned;     // ascii_lower(path) -> GET answer (usages, vmSizes)
  std::vector<Seen> requests;
  std::map<std::string, std::deque<std::pair<int, std::string>>> faults;  // "PUT /path" -> replies
  bool async = true;
  int lro_polls = 1;  // InProgress answers before Succeeded
  bool hold_replies = false;
  std::deque<std::function<void()>> held;

  int count(const std::string& method, const std::string& path_contains = "") const {
    int n = 0;
    for (const auto& r : requests) {
      if (r.method == method && r.path.find(path_contains) != std::string::npos) ++n;
    }
    return n;
  }

 private:
  struct Op {
    std::string method;
    std::string key;
    int polls_left = 0;
  };

  static azure::Response reply(int status, const json& body = nullptr, azure::Headers headers = {}) {
    azure::Response r;
    r.status = status;
    r.body = body.is_null() ? "" : body.dump();
    r.headers = std::move(headers);
    return r;
  }

  azure::Result<azure::Response> handle(const azure::Request& req) {
    const std::string rest = req.url.substr(std::string(kEndpoint).size());
    const std::string path = rest.substr(0, rest.find('?'));
    const std::string key = ascii_lower(path);
    Seen seen{req.method, path, req.body.empty() ? json() : json::parse(req.body, nullptr, false), ""};
    requests.push_back(seen);
    if (req.method != "GET" && on_write) on_write(seen);

    auto fault = faults.find(req.method + " " + path);
    if (fault != faults.end() && !fault->second.empty()) {
      auto [status, body] = fault->second.front();
      fault->second.pop_front();
      azure::Response r;
      r.status = status;
      r.body = body;
      return r;
    }

    if (req.method == "GET" && canned.count(key)) return reply(200, canned[key]);
    if (req.method == "GET" && key.rfind("/ops/", 0) == 0) {
      auto it = ops_.find(key);
      if (it == ops_.end()) return reply(404, {{"error", {{"code", "NotFound"}, {"message", "no such operation"}}}});
      if (it->second.polls_left-- > 0) return reply(200, {{"status", "InProgress"}}, {{"Retry-After", "0"}});
      complete(it->second);
      return reply(200, {{"status", "Succeeded"}});
    }
    if (req.method == "GET") {
      auto it = resources.find(key);
      if (it != resources.end()) return reply(200, it->second);
      // A collection: every resource directly under the path.
      json items = json::array();
      for (const auto& [k, v] : resources) {
        if (k.size() > key.size() && k.compare(0, key.size() + 1, key + "/") == 0 &&
            k.find('/', key.size() + 1) == std::string::npos) {
          items.push_back(v);
        }
      }
      const std::string last = key.substr(key.rfind('/') + 1);
      const bool collection = last == "workspaces" || last == "computes" || last == "datastores" || last == "jobs" ||
                   last == "environments" || last == "versions";
      if (collection) return reply(200, {{"value", items}});
      return reply(404, {{"error", {{"code", "ResourceNotFound"}, {"message", "not found"}}}});
    }
    if (req.method == "PUT") {
      json body = seen.body.is_object() ? seen.body : json::object();
      body["id"] = path;
      body["name"] = path.substr(path.rfind('/') + 1);
      if (!body["properties"].is_object()) body["properties"] = json::object();
      const bool existed = resources.count(key) > 0;
      if (!async) {
        body["properties"]["provisioningState"] = "Succeeded";
        resources[key] = body;
        return reply(existed ? 200 : 201, body);
      }
      body["properties"]["provisioningState"] = "Creating";
      resources[key] = body;
      return reply(201, body, start_op("PUT", key));
    }
    if (req.method == "PATCH") {
      auto it = resources.find(key);
      if (it == resources.end()) return reply(404, {{"error", {{"code", "ResourceNotFound"}, {"message", "x"}}}});
      it->second.merge_patch(seen.body);
      return reply(200, it->second);
    }
    if (req.method == "DELETE") {
      if (!resources.count(key)) return reply(204);
      if (!async) {
        resources.erase(key);
        return reply(200);
      }
      return reply(202, nullptr, start_op("DELETE", key));
    }
    return reply(405, {{"error", {{"code", "MethodNotAllowed"}, {"message", req.method}}}});
  }

  azure::Headers start_op(const std::string& method, const std::string& key) {
    const std::string op = "/ops/" + std::to_string(++op_seq_);
    ops_[op] = Op{method, key, lro_polls};
    return {{"Azure-AsyncOperation", std::string(kEndpoint) + op + "?api-version=2024-04-01"}, {"Retry-After", "0"}};
  }

  void complete(const Op& op) {
    if (op.method == "DELETE") {
      resources.erase(op.key);
    } else if (resources.count(op.key)) {
      resources[op.key]["properties"]["provisioningState"] = "Succeeded";
    }
  }

  boost::asio::io_context& io_;
  std::map<std::string, Op> ops_;
  int op_seq_ = 0;
};

}  // namespace bai2aml::reconcile::testing
