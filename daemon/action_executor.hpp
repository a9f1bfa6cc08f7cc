// Carries out the write actions of a plan against ARM, journal first: an intent row is committed
// before each request leaves, the operation token after a 201/202, the outcome at the end, and an
// audit row for every write sent. Actions run in dependency order, at most max_parallel at once;
// an action whose dependencies complete during the run becomes ready in the same run.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "azure/arm_client.hpp"
#include "reconcile/action.hpp"
#include "reconcile/order.hpp"
#include "state/store.hpp"

namespace bai2aml::daemon {

struct ActionResult {
  bool succeeded = false;
  bool retryable = false;  // on failure: worth another attempt after a backoff
  int http_status = 0;
  std::string code;     // ARM error code or a client-side one
  std::string message;  // never a secret
};

using ActionResults = std::map<std::string, ActionResult>;  // by reconcile::id_key(action.id)

class ActionExecutor {
 public:
  ActionExecutor(azure::ArmClient& client, state::Store& store, int max_parallel);

  // Runs every write action of `actions` (in their order) whose dependencies are met by `observed`
  // or by actions completed in this run, skipping the ids in `skip` (held: backoff, quota).
  // `stopping` is asked before each start: once it says true nothing new starts. `done` gets the
  // result of every action that was started.
  void execute(std::vector<reconcile::Action> actions, reconcile::ReadyIndex observed, std::set<std::string> skip,
               std::function<bool()> stopping, std::function<void(ActionResults)> done);

  // Finishes journalled operations a previous process left open: those with an operation token are
  // polled to their end; those without one are marked abandoned (the diff re-sends the idempotent
  // PUT if the resource is still not as desired). `done` gets how many were resumed.
  void resume_open_operations(std::function<void(int)> done);

  class Run;

 private:
  azure::ArmClient& client_;
  state::Store& store_;
  int max_parallel_;
};

}  // namespace bai2aml::daemon
