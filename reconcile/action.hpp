// What the diff decides for one AML resource, and what the executor carries out.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "translate/model.hpp"

namespace bai2aml::reconcile {

enum class ActionKind {
  Create,   // PUT the desired body; the resource does not exist
  Update,   // PUT or PATCH of mutable fields of an owned resource
  Replace,  // DELETE the owned resource, wait until it is gone, then PUT `body` (immutable change)
  Recover,  // DELETE an owned compute whose provisioning ended Failed, wait until it is gone, then
            // PUT `body` again (a PUT over a Failed compute does not provision it again)
  Adopt,    // PUT the desired body, with ownership tags, over an unowned resource (policy.adopt)
  Retire,   // DELETE an owned resource that is no longer desired (policy.prune)
  Noop,     // nothing to send (converged, history, or an unowned parent workspace)
  Blocked,  // a write is needed but not allowed; a finding says why
  // Writes to the Batch AI source (policy.retire_source), never to AML:
  RetireSource,     // DELETE a migrated Batch AI cluster or workspace
  TerminateSource,  // POST terminate to a migrated Batch AI job still queued or running
};
const char* to_string(ActionKind kind);  // "create", "update", ...

struct Action {
  ActionKind kind = ActionKind::Noop;
  translate::Kind resource_kind{};
  std::string id;      // the AML ARM id
  std::string method;  // "PUT", "PATCH", "DELETE", "POST", or "" (Noop, Blocked). Replace: "PUT" (after the DELETE)
  std::string post_action;  // POST: the action segment appended to the id ("terminate")
  nlohmann::json body;  // what to send (secret refs still unresolved); null for DELETE/Noop/Blocked
  std::string reason;   // human-readable why, e.g. "differs at /properties/properties/scaleSettings/maxNodeCount"
  std::vector<std::string> depends_on;  // ids that must be ready first (for Retire: gone first)
  std::string source_id;     // the Batch AI resource (desired) or bai2aml-source tag (retire)
  std::string desired_hash;  // body_hash of the desired body this action realizes ("" for Retire)
  // Blocked because it failed for good (provisioning still Failed after every recovery): its
  // status is failed, not blocked, until its desired spec changes or a human deletes it.
  bool failed = false;

  bool writes() const { return !method.empty(); }
};

}  // namespace bai2aml::reconcile
