#include "reconcile/observer.hpp"

#include <spdlog/spdlog.h>

#include "azure/arm_client.hpp"
#include "reconcile/arm_id.hpp"

namespace bai2aml::reconcile {
namespace {

constexpr const char* kProvider = "/providers/Microsoft.MachineLearningServices";

// One observation in progress; shared by the LIST completions, finished when the last one ends.
struct Run : std::enable_shared_from_this<Run> {
  azure::ArmClient& client;
  std::set<std::string> version_containers;  // id_keys
  std::function<void(Observation)> done;
  Observation out;
  int pending = 0;

  Run(azure::ArmClient& c, std::set<std::string> containers, std::function<void(Observation)> d)
      : client(c), version_containers(std::move(containers)), done(std::move(d)) {}

  // LISTs `collection`; every item becomes an ObservedResource; then calls then(items) so the
  // caller can list children. `scope` is the workspace id marked incomplete on failure.
  void list(const std::string& collection, const std::string& scope,
            std::function<void(const std::vector<ObservedResource>&)> then = nullptr) {
    ++pending;
    ++out.lists;
    auto self = shared_from_this();
    client.list(collection, [self, collection, scope, then](azure::Result<std::vector<nlohmann::json>> r) {
      std::vector<ObservedResource> found;
      if (!r) {
        self->out.errors.push_back("LIST " + collection + ": " + r.error().to_string());
        if (!scope.empty()) {
          self->out.incomplete.insert(id_key(scope));
          self->out.scope_errors.emplace(scope, "LIST " + collection + ": " + r.error().to_string());
        }
      } else {
        for (const auto& item : r.value()) {
          std::string why;
          auto o = observed_from_arm(item, &why);
          if (!o) {
            self->out.skipped.push_back(why);
            continue;
          }
          found.push_back(*o);
        }
        if (then) then(found);
        for (auto& o : found) self->out.resources.push_back(std::move(o));
      }
      if (--self->pending == 0) self->finish();
    });
  }

  void finish() {
    for (const auto& e : out.errors) spdlog::warn("observe: {}", e);
    auto cb = std::move(done);
    cb(std::move(out));
  }
};

}  // namespace

void Observer::observe(const std::string& resource_group_id, const std::set<std::string>& version_containers,
                       std::function<void(Observation)> done) {
  std::set<std::string> containers;
  for (const auto& c : version_containers) containers.insert(id_key(c));
  auto run = std::make_shared<Run>(client_, std::move(containers), std::move(done));
  std::string rg = resource_group_id;
  while (!rg.empty() && rg.back() == '/') rg.pop_back();
  run->list(rg + kProvider + "/workspaces", "", [run](const std::vector<ObservedResource>& workspaces) {
    run->out.workspaces_listed = true;
    for (const auto& ws : workspaces) {
      if (ws.kind != translate::Kind::Workspace) continue;
      const std::string scope = ws.id;
      run->list(ws.id + "/computes", scope);
      run->list(ws.id + "/datastores", scope);
      run->list(ws.id + "/jobs", scope);
      run->list(ws.id + "/environments", scope, [run, scope](const std::vector<ObservedResource>& envs) {
        for (const auto& env : envs) {
          if (env.kind != translate::Kind::EnvironmentContainer) continue;
          // Also bai2aml's containers nobody wants any more: a container is pruned only once its
          // versions are listed (one a person added by hand keeps it).
          if (!run->version_containers.count(id_key(env.id)) && !is_owned(env)) continue;
          run->list(env.id + "/versions", scope);
        }
      });
    }
  });
}

std::vector<translate::Finding> unobserved_scope_findings(const Observation& obs) {
  std::vector<translate::Finding> out;
  for (const auto& [workspace, error] : obs.scope_errors)
    out.push_back({"scope-unobserved", translate::Severity::Warning, workspace,
                   "workspace " + workspace + " could not be observed this pass (" + error +
                       "); nothing in it is created, updated or deleted until it can be, everything else proceeds",
                   "give bai2aml's identity read access to the workspace (or fix its network access); it is "
                   "listed again every pass"});
  return out;
}

void fetch_quota_inputs(azure::ArmClient& client, const std::string& subscription_id, const std::string& location,
                        std::function<void(QuotaInputs)> done) {
  struct State {
    QuotaInputs out;
    int pending = 2;
    std::function<void(QuotaInputs)> done;
  };
  auto state = std::make_shared<State>();
  state->done = std::move(done);
  const std::string base = "/subscriptions/" + subscription_id + kProvider + "/locations/" + location;
  auto fetch = [&client, state](const std::string& path, nlohmann::json QuotaInputs::*member) {
    client.list(path, [state, path, member](azure::Result<std::vector<nlohmann::json>> r) {
      if (r) {
        state->out.*member = nlohmann::json{{"value", r.value()}};
      } else {
        state->out.errors.push_back("LIST " + path + ": " + r.error().to_string());
      }
      if (--state->pending == 0) state->done(std::move(state->out));
    });
  };
  fetch(base + "/vmSizes", &QuotaInputs::vm_sizes);
  fetch(base + "/usages", &QuotaInputs::usages);
}

}  // namespace bai2aml::reconcile
