// The emulator's one state of ARM resources: a thread-safe map keyed by the lower-cased id (ARM ids are
// case-insensitive), each value the full resource JSON as stored, secrets included (redaction happens
// on the way out). Ordered, so LIST pages are stable and prefix scans cheap.
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

namespace bai2aml::emulator {

class ResourceStore {
 public:
  // Everything a handler does between reading and writing runs inside one transaction, so a check
  // (exists? immutable field changed?) and the write that depends on it cannot interleave with another.
  class Tx {
   public:
    explicit Tx(std::map<std::string, nlohmann::json>& items) : items_(items) {}
    nlohmann::json* get(const std::string& id);
    const nlohmann::json* find(const std::string& id) const;
    bool exists(const std::string& id) const;
    void put(const nlohmann::json& resource);  // keyed by resource["id"]
    size_t erase_tree(const std::string& id);  // the resource and everything under it
    // Direct children of parent_id of one type segment ("computes"), ordered by id.
    std::vector<const nlohmann::json*> children(const std::string& parent_id, const std::string& type) const;
    // Top-level resources of provider_ns/type under a subscription or resource-group scope.
    std::vector<const nlohmann::json*> top_level(const std::string& scope, const std::string& provider_ns,
                                                 const std::string& type) const;
    std::vector<const nlohmann::json*> with_prefix(const std::string& prefix) const;  // id prefix, any depth

   private:
    std::map<std::string, nlohmann::json>& items_;
  };

  template <class F>
  auto write(F&& f) {
    std::unique_lock lock(mu_);
    Tx tx(items_);
    return f(tx);
  }
  template <class F>
  auto read(F&& f) const {
    std::shared_lock lock(mu_);
    Tx tx(const_cast<std::map<std::string, nlohmann::json>&>(items_));  // read-only use under a shared lock
    return f(static_cast<const Tx&>(tx));
  }

  std::optional<nlohmann::json> get(const std::string& id) const;
  size_t size() const;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, nlohmann::json> items_;
};

}  // namespace bai2aml::emulator
