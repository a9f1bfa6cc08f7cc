// The emulator's one state of ARM resources: a thread-safe map keyed by the lower-cased id (ARM ids are
// case-insensitive), each value the full resource JSON as stored, secrets included (redaction happens
// on the way out). Indexed as resources change, so that every request costs O(log n) or O(page) at any
// size (issue 13: users rehearse estates of 100,000 resources on it): the members of each collection,
// and the AmlComputes of each region (their names are unique per region, and quota counts them).
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "emulator/core_usage.hpp"

namespace bai2aml::emulator {

class ResourceStore {
 public:
  struct Indexed {
    std::map<std::string, nlohmann::json> items;
    // Collection key -> member keys. A collection key is the key of its LIST path: "<parent key>/<type>"
    // for nested types, "<scope key>/providers/<ns>/<type>" at resource-group and at subscription scope.
    std::map<std::string, std::set<std::string>> collections;
    // "<location>\x1f<lower-cased name>" -> keys of the AmlComputes of that name in that region.
    std::map<std::string, std::set<std::string>> computes_by_name;
    // "<subscription key>\x1f<location>" -> the cores that subscription's AmlComputes hold in that
    // region (core_usage.hpp), kept as they change.
    std::map<std::string, CoreUsage> usage_by_region;
  };

  // One page of a collection, in key order.
  struct Page {
    std::vector<const nlohmann::json*> items;
    std::string last_key;  // key of the last item: where the next page starts
    bool more = false;      // members remain after this page
  };

  // Everything a handler does between reading and writing runs inside one transaction, so a check
  // (exists? immutable field changed?) and the write that depends on it cannot interleave with another.
  // Resources returned by get() may be changed in place, but not in what the indexes hold (id,
  // location, and a compute's vmSize, vmPriority and minNodeCount): change those through put().
  class Tx {
   public:
    explicit Tx(Indexed& state) : s_(state) {}
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
    // Up to `limit` members of a collection (children_key or top_level_key) in key order: those after
    // the key `after` when it is given (a cursor stays right while members come and go), else those
    // after the first `skip`.
    Page page(const std::string& collection_key, const std::string& after, size_t skip, size_t limit) const;
    std::vector<const nlohmann::json*> with_prefix(const std::string& prefix) const;  // id prefix, any depth
    // AmlComputes named `name` in `location` (lower case, no spaces), any subscription.
    std::vector<const nlohmann::json*> computes_named(const std::string& location, const std::string& name) const;
    // The cores a subscription's AmlComputes hold in `location` (lower case, no spaces), in O(log n).
    CoreUsage core_usage(const std::string& subscription, const std::string& location) const;

   private:
    std::vector<const nlohmann::json*> members(const std::string& collection_key) const;
    void index(const std::string& key, const nlohmann::json& resource);
    void unindex(const std::string& key, const nlohmann::json& resource);
    Indexed& s_;
  };

  // Collection keys: the children of parent_id of one type; top-level resources of provider_ns/type
  // under a subscription or resource-group scope.
  static std::string children_key(const std::string& parent_id, const std::string& type);
  static std::string top_level_key(const std::string& scope, const std::string& provider_ns, const std::string& type);

  template <class F>
  auto write(F&& f) {
    std::unique_lock lock(mu_);
    Tx tx(state_);
    return f(tx);
  }
  template <class F>
  auto read(F&& f) const {
    std::shared_lock lock(mu_);
    Tx tx(const_cast<Indexed&>(state_));  // read-only use under a shared lock
    return f(static_cast<const Tx&>(tx));
  }

  std::optional<nlohmann::json> get(const std::string& id) const;
  size_t size() const;

 private:
  mutable std::shared_mutex mu_;
  Indexed state_;
};

}  // namespace bai2aml::emulator
