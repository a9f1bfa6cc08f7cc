#include "reconcile/diff.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "reconcile/arm_id.hpp"
#include "reconcile/body_hash.hpp"
#include "reconcile/normalize.hpp"
#include "reconcile/order.hpp"
#include "reconcile/quota.hpp"
#include "reconcile/text.hpp"
#include "translate/secret_ref.hpp"

namespace bai2aml::reconcile {

const char* to_string(ActionKind kind) {
  switch (kind) {
    case ActionKind::Create: return "create";
    case ActionKind::Update: return "update";
    case ActionKind::Replace: return "replace";
    case ActionKind::Recover: return "recover";
    case ActionKind::Adopt: return "adopt";
    case ActionKind::Retire: return "retire";
    case ActionKind::Noop: return "noop";
    case ActionKind::Blocked: return "blocked";
    case ActionKind::RetireSource: return "retire-source";
    case ActionKind::TerminateSource: return "terminate-source";
  }
  return "unknown";
}

namespace {

using nlohmann::json;
using translate::Kind;
using translate::Severity;

bool under(const std::string& path, const std::string& prefix) {
  return path == prefix || (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
                            path[prefix.size()] == '/');
}

// The first segment of a path below /properties ("/properties/description/x" -> "description").
std::string property_name(const std::string& path) {
  static const std::string prefix = "/properties/";
  if (path.compare(0, prefix.size(), prefix) != 0) return "";
  const auto end = path.find('/', prefix.size());
  return path.substr(prefix.size(), end == std::string::npos ? std::string::npos : end - prefix.size());
}

// Workspace properties the PATCH body (WorkspacePropertiesUpdateParameters) can change.
bool workspace_patchable_property(const std::string& name) {
  static const std::set<std::string> names = {
      "description", "friendlyName", "imageBuildCompute", "serviceManagedResourcesSettings",
      "primaryUserAssignedIdentity", "serverlessComputeSettings", "publicNetworkAccess",
      "applicationInsights", "containerRegistry", "featureStoreSettings", "managedNetwork",
      "enableDataIsolation", "v1LegacyMode", "enableSoftwareBillOfMaterials", "encryption",
      "ipAllowlist", "softDeleteRetentionInDays"};
  return names.count(name) > 0;
}

enum class Change { ComputeScale, Mutable, Immutable };

Change classify(Kind kind, const std::string& path) {
  switch (kind) {
    case Kind::Compute:
      // ClusterUpdateParameters carries only scaleSettings; tags and description need a PUT.
      if (under(path, "/properties/properties/scaleSettings")) return Change::ComputeScale;
      if (under(path, "/tags") || under(path, "/properties/description")) return Change::Mutable;
      return Change::Immutable;  // vmSize, vmPriority, subnet, userAccountCredentials, remote login, ...
    case Kind::Workspace:
      if (under(path, "/tags") || under(path, "/sku") || under(path, "/identity")) return Change::Mutable;
      if (workspace_patchable_property(property_name(path))) return Change::Mutable;
      return Change::Immutable;  // location, storageAccount, keyVault, hbiWorkspace, ...
    case Kind::Datastore:
      return under(path, "/properties/datastoreType") ? Change::Immutable : Change::Mutable;
    case Kind::EnvironmentContainer:
      return Change::Mutable;
    case Kind::EnvironmentVersion:
      if (under(path, "/properties/tags") || under(path, "/properties/description") ||
          under(path, "/properties/isArchived")) {
        return Change::Mutable;
      }
      return Change::Immutable;  // image, build, condaFile, ...: a new version is needed
    case Kind::Job:
      return Change::Immutable;
  }
  return Change::Immutable;
}

std::string join(const std::vector<std::string>& items, std::size_t max = 6) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > max) out += ", ... (" + std::to_string(items.size() - max) + " more)";
  return out;
}

// Observed tags with the desired ones laid over (tag names compare case-insensitively): a write
// keeps tags others added, so the next cycle sees no difference.
json merged_tags(Kind kind, const json& desired_body, const json& observed_body, bool force_owned) {
  json out = tags_of(kind, observed_body);
  json want = tags_of(kind, desired_body);
  if (force_owned) want[kManagedByTag] = kManagedByValue;
  for (const auto& [k, v] : want.items()) {
    for (auto it = out.begin(); it != out.end();) {
      if (iequals(it.key(), k)) it = out.erase(it);
      else ++it;
    }
    out[k] = v;
  }
  return out;
}

json with_tags(Kind kind, json body, const json& tags) {
  if (!body.is_object()) body = json::object();
  if (has_top_level_tags(kind)) {
    body["tags"] = tags;
  } else {
    if (!body["properties"].is_object()) body["properties"] = json::object();
    body["properties"]["tags"] = tags;
  }
  return body;
}

const json* at_path(const json& body, std::initializer_list<const char*> keys) {
  const json* cur = &body;
  for (const char* k : keys) {
    if (!cur->is_object()) return nullptr;
    const auto it = cur->find(k);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

class Planner {
 public:
  Planner(const std::vector<ObservedResource>& observed, const DiffInputs& inputs) : inputs_(inputs) {
    for (const auto& r : observed) observed_[id_key(r.id)] = &r;
    for (const auto& c : inputs.computes_with_active_jobs) busy_computes_.insert(id_key(c));
    for (const auto& c : computes_with_active_jobs(observed)) busy_computes_.insert(c);
    for (const auto& [id, hash] : inputs.last_applied_hash) last_applied_[id_key(id)] = hash;
    for (const auto& id : inputs.submitted_jobs) submitted_.insert(id_key(id));
    for (const auto& id : inputs.unobserved_scopes) unobserved_.insert(id_key(id));
    for (const auto& id : inputs.submitted_sources) submitted_sources_.insert(id_key(id));
    for (const auto& r : observed) {
      if (r.kind != Kind::Job) continue;
      if (owned(r)) jobs_by_source_.emplace(id_key(source_tag(r)), &r);
      if (!is_terminal_job_status(job_status(r.body))) note_uses(r);
    }
  }

  bool owned(const ObservedResource& o) const { return owned_here(o, inputs_.scope); }

  // What a job that may still run needs: its environment version (and container) and the datastores
  // its inputs and outputs name. Pruning them would break it.
  void note_uses(const ObservedResource& job) {
    const std::string ws = workspace_of(job.id);
    const json* props = at_path(job.body, {"properties"});
    if (!props || !props->is_object()) return;
    if (const auto env = props->find("environmentId"); env != props->end() && env->is_string()) {
      in_use_[id_key(env->get<std::string>())] = job.id;
      in_use_[id_key(parent_of(env->get<std::string>()))] = job.id;
    }
    static const std::string prefix = "azureml://datastores/";
    std::vector<const json*> stack = {props};
    while (!stack.empty()) {
      const json* v = stack.back();
      stack.pop_back();
      if (v->is_object() || v->is_array()) {
        for (const auto& child : *v) stack.push_back(&child);
      } else if (v->is_string()) {
        const std::string& s = v->get_ref<const std::string&>();
        if (s.compare(0, prefix.size(), prefix) != 0 || ws.empty()) continue;
        const std::string name = s.substr(prefix.size(), s.find('/', prefix.size()) - prefix.size());
        in_use_[id_key(ws + "/datastores/" + name)] = job.id;
      }
    }
  }

  // At or under a scope whose LIST failed this cycle.
  bool unobserved(const std::string& key) const {
    for (const auto& scope : unobserved_) {
      if (key == scope || (key.size() > scope.size() && key.compare(0, scope.size(), scope) == 0 &&
                           key[scope.size()] == '/')) {
        return true;
      }
    }
    return false;
  }

  Plan run(const std::vector<translate::DesiredResource>& desired) {
    std::set<std::string> seen;
    for (const auto& d : desired) {
      const std::string key = id_key(d.id);
      if (!seen.insert(key).second) {
        finding("duplicate-desired", Severity::Error, d.source_id.empty() ? d.id : d.source_id,
                "the desired state names " + d.id + " more than once; only the first is reconciled",
                "report this as a bug in bai2aml's translation");
        continue;
      }
      plan_desired(d);
    }
    plan_retirements(seen);
    sort_actions(plan_.actions);
    std::stable_sort(plan_.findings.begin(), plan_.findings.end(),
                     [](const translate::Finding& a, const translate::Finding& b) {
                       return std::tie(a.source_id, a.code) < std::tie(b.source_id, b.code);
                     });
    return std::move(plan_);
  }

 private:
  void finding(const std::string& code, Severity severity, const std::string& source, const std::string& message,
               const std::string& remedy) {
    plan_.findings.push_back(translate::Finding{code, severity, source, message, remedy});
  }

  Action base(const translate::DesiredResource& d) const {
    Action a;
    a.resource_kind = d.kind;
    a.id = d.id;
    a.depends_on = d.depends_on;
    a.source_id = d.source_id;
    a.desired_hash = body_hash(d.body);
    return a;
  }

  void push(Action a, ActionKind kind, std::string method, json body, std::string reason) {
    if (!body.is_null()) body = without_stray_secret_refs(a, std::move(body));
    a.kind = kind;
    a.method = std::move(method);
    a.body = std::move(body);
    a.reason = std::move(reason);
    plan_.actions.push_back(std::move(a));
  }

  // A "$secretFile" the translator did not place (in practice: a tag merged from what AML returned)
  // is inert: it leaves the body, so it is neither read nor sent, and a finding names where it was.
  json without_stray_secret_refs(const Action& a, json body) {
    const auto strays = translate::stray_secret_refs(a.resource_kind, body);
    if (strays.empty()) return body;
    finding("secret-reference-ignored", Severity::Warning, a.source_id.empty() ? a.id : a.source_id,
            "the body to send to " + a.id + " holds a {\"$secretFile\": ...} reference that bai2aml did not place, at " +
                join(strays) + " (copied from the resource as AML returned it); it was left out: no file was read "
                "and nothing of it was sent",
            "remove the value from the AML resource (a tag value must be a string), and find out who wrote it");
    return translate::without_stray_secret_refs(a.resource_kind, std::move(body));
  }

  static std::string source_of(const translate::DesiredResource& d) { return d.source_id.empty() ? d.id : d.source_id; }

  void plan_desired(const translate::DesiredResource& d) {
    Action a = base(d);
    const std::string key = id_key(d.id);
    const auto it = observed_.find(key);
    if (it == observed_.end() && unobserved(key)) {
      push(std::move(a), ActionKind::Blocked, "", nullptr, "not observed this cycle (a LIST failed); retried next cycle");
      return;
    }
    if (unobserved(key) && !unobserved_.count(key)) {
      // Seen, but its workspace was not fully listed (its jobs, say): what the rules below would
      // decide (replace a compute without active jobs...) could rest on what was not seen.
      push(std::move(a), ActionKind::Noop, "", nullptr, "its workspace was not fully observed this cycle; not written");
      return;
    }
    if (it == observed_.end()) {
      if (d.kind == Kind::Job && !d.source_id.empty()) {
        // Submitted under another name (an AML job tagged with this Batch AI id): never again.
        if (const auto other = jobs_by_source_.find(id_key(d.source_id)); other != jobs_by_source_.end()) {
          finding("job-submitted-elsewhere", Severity::Info, source_of(d),
                  "the Batch AI job was submitted as " + other->second->id + "; it is not submitted again as " + d.id,
                  "none");
          push(std::move(a), ActionKind::Noop, "", nullptr, "job already submitted as " + other->second->id);
          return;
        }
      }
      if (d.kind == Kind::Job && (submitted_.count(key) || submitted_sources_.count(id_key(d.source_id)))) {
        finding("job-not-resubmitted", Severity::Warning, source_of(d),
                "job " + d.id + " was submitted earlier but is no longer listed in AML; it is not submitted again",
                "submit it by hand if it must run again");
        // Blocked, not Noop: the desired job does not exist and only a human may submit it again.
        push(std::move(a), ActionKind::Blocked, "", nullptr, "job already submitted (journal); never resubmitted");
        return;
      }
      push(std::move(a), ActionKind::Create, "PUT", d.body, "does not exist");
      return;
    }
    const ObservedResource& o = *it->second;
    if (!owned(o)) {
      plan_unowned(std::move(a), d, o);
      return;
    }
    const std::string tagged = source_tag(o);
    if (has_one_source(d.kind) && !d.source_id.empty() && !iequals(tagged, d.source_id)) {
      // bai2aml's counterpart of another Batch AI resource holds the name: neither in sync nor ours.
      finding("source-mismatch", Severity::Error, source_of(d),
              std::string(kind_label(d.kind)) + " " + o.id + " is bai2aml's counterpart of " +
                  (tagged.empty() ? std::string("no Batch AI resource (no bai2aml-source tag)") : tagged) +
                  ", not of this one; it is left untouched" + (d.kind == Kind::Job ? " and this job is not submitted" : ""),
              "map one of the two Batch AI resources to another name with mapping.names, or delete the AML resource");
      push(std::move(a), ActionKind::Blocked, "", nullptr, "the resource at this id stands for " + tagged);
      return;
    }
    plan_owned(std::move(a), d, o);
  }

  void plan_unowned(Action a, const translate::DesiredResource& d, const ObservedResource& o) {
    if (d.kind == Kind::Workspace) {
      finding("unowned-workspace-parent", Severity::Info, source_of(d),
              "workspace " + o.id + " exists and is not managed by bai2aml; migrated resources are created in it "
              "and the workspace itself is never modified",
              "none; tag it managed-by: bai2aml only if bai2aml should manage it");
      push(std::move(a), ActionKind::Noop, "", nullptr, "unowned workspace used as parent; never modified");
      return;
    }
    const bool theirs = is_owned(o);  // managed by another bai2aml instance (another source)
    if (d.kind == Kind::Job || !inputs_.policy.adopt || theirs) {
      finding("unowned-conflict", Severity::Warning, source_of(d),
              std::string(kind_label(d.kind)) + " " + o.id +
                  (theirs ? " belongs to another bai2aml instance (its bai2aml-source " + source_tag(o) +
                                " is outside this config's source); it is left untouched"
                          : std::string(" exists and is not managed by bai2aml; it is left untouched") +
                                (d.kind == Kind::Job ? " (jobs cannot be adopted)" : " (policy.adopt is false)")),
              d.kind == Kind::Job ? "rename or delete the existing job, or map the Batch AI job to another name"
                                  : "set policy.adopt to take it over, or map the Batch AI resource to another name");
      push(std::move(a), ActionKind::Blocked, "", nullptr, "unowned resource holds the desired name");
      return;
    }
    const auto diffs = differences(normalize(d.kind, d.body), normalize(o.kind, o.body));
    std::vector<std::string> immutable;
    for (const auto& p : diffs) {
      if (classify(d.kind, p) == Change::Immutable) immutable.push_back(p);
    }
    if (!immutable.empty()) {
      finding("replacement-required", Severity::Warning, source_of(d),
              "cannot adopt " + o.id + ": fields that cannot change in place differ: " + join(immutable),
              "delete or rename the existing resource, or align it with the Batch AI source");
      push(std::move(a), ActionKind::Blocked, "", nullptr, "adopt needs an immutable change: " + join(immutable));
      return;
    }
    finding("adopted", Severity::Info, source_of(d), o.id + " existed without bai2aml's tags and was adopted",
            "none");
    json body = with_tags(d.kind, d.body, merged_tags(d.kind, d.body, o.body, true));
    push(std::move(a), ActionKind::Adopt, "PUT", std::move(body), "unowned resource adopted (policy.adopt)");
  }

  void plan_owned(Action a, const translate::DesiredResource& d, const ObservedResource& o) {
    if (d.kind == Kind::Compute && provisioning_failed(o.body)) {
      plan_failed_provisioning(std::move(a), d, o);
      return;
    }
    const auto diffs = differences(normalize(d.kind, d.body), normalize(o.kind, o.body));
    if (d.kind == Kind::Job) {
      if (!diffs.empty()) {
        finding("job-spec-changed", Severity::Info, source_of(d),
                "job " + o.id + " was submitted with a different spec (" + join(diffs) +
                    "); jobs are immutable and are never submitted twice",
                "none; the job runs as submitted");
      }
      const std::string status = job_status(o.body);
      push(std::move(a), ActionKind::Noop, "", nullptr,
           is_terminal_job_status(status) ? "job finished (" + status + "); never resubmitted"
                                          : "job submitted; jobs are immutable");
      return;
    }
    if (diffs.empty()) {
      push(std::move(a), ActionKind::Noop, "", nullptr, "in sync");
      return;
    }
    const std::string key = id_key(d.id);
    const auto applied = last_applied_.find(key);
    const bool spec_changed = applied != last_applied_.end() && applied->second != a.desired_hash;
    if (!spec_changed) {
      if (inputs_.policy.drift == config::DriftPolicy::Report) {
        finding("drift-detected", Severity::Warning, source_of(d),
                o.id + " was changed outside bai2aml at " + join(diffs) + "; policy.drift is report, so it is left as is",
                "undo the change by hand, or set policy.drift to correct");
        push(std::move(a), ActionKind::Noop, "", nullptr, "drift reported, not corrected: " + join(diffs));
        return;
      }
      finding("drift-corrected", Severity::Info, source_of(d),
              o.id + " was changed outside bai2aml at " + join(diffs) + "; restoring the desired spec", "none");
    }

    std::vector<std::string> immutable;
    bool only_scale = true;
    std::set<std::string> workspace_props;
    bool tags_or_envelope = false;
    for (const auto& p : diffs) {
      const Change c = classify(d.kind, p);
      if (c == Change::Immutable) immutable.push_back(p);
      if (c != Change::ComputeScale) only_scale = false;
      if (d.kind == Kind::Workspace && c == Change::Mutable) {
        const std::string prop = property_name(p);
        if (prop.empty()) tags_or_envelope = true;
        else workspace_props.insert(prop);
      }
    }
    const std::string what = (spec_changed ? "desired spec changed at " : "drift at ") + join(diffs);
    if (!immutable.empty()) {
      plan_immutable(std::move(a), d, o, immutable);
      return;
    }
    if (d.kind == Kind::Compute && only_scale) {
      const json* scale = at_path(d.body, {"properties", "properties", "scaleSettings"});
      json body = {{"properties", {{"properties", {{"scaleSettings", scale ? *scale : json::object()}}}}}};
      push(std::move(a), ActionKind::Update, "PATCH", std::move(body), what);
      return;
    }
    if (d.kind == Kind::Workspace) {
      push(std::move(a), ActionKind::Update, "PATCH", workspace_patch(d, o, workspace_props, tags_or_envelope), what);
      return;
    }
    json body = with_tags(d.kind, d.body, merged_tags(d.kind, d.body, o.body, false));
    push(std::move(a), ActionKind::Update, "PUT", std::move(body), what);
  }

  // A compute whose provisioning ended Failed stays Failed: AML keeps it, and a PUT over it does
  // not provision it again. It is deleted and created again (without active jobs, with backoff),
  // a bounded number of times per desired spec; then it is failed, with ARM's error.
  void plan_failed_provisioning(Action a, const translate::DesiredResource& d, const ObservedResource& o) {
    const std::string key = id_key(d.id);
    const std::string error = provisioning_error(o.body);
    const int max = std::max(0, inputs_.max_recovery_attempts);
    int attempts = 0;
    bool backing_off = false;
    if (const auto h = inputs_.recoveries.find(key); h != inputs_.recoveries.end()) {
      const auto n = h->second.attempts.find(a.desired_hash);
      attempts = n == h->second.attempts.end() ? 0 : n->second;
      backing_off = h->second.backing_off;
    }
    if (attempts >= max) {
      finding("provisioning-failed", Severity::Error, source_of(d),
              o.id + " ended provisioning Failed (" + error + ") and " + std::to_string(attempts) +
                  " deletion(s) and re-creation(s) did not help; it is left as it is",
              "fix the cause ARM names (quota, VM size, subnet, policy), then delete the compute by hand or change "
              "its spec: bai2aml creates it again");
      a.failed = true;
      push(std::move(a), ActionKind::Blocked, "", nullptr, "provisioning Failed after " + std::to_string(attempts) +
                                                               " recoveries: " + error);
      return;
    }
    if (busy_computes_.count(key)) {
      finding("provisioning-failed", Severity::Warning, source_of(d),
              o.id + " ended provisioning Failed (" + error + "); it is deleted and created again once its active "
              "jobs have ended",
              "wait for the jobs to end, or cancel them");
      push(std::move(a), ActionKind::Blocked, "", nullptr, "provisioning Failed; active jobs hold its re-creation");
      return;
    }
    const std::string attempt = "recovery " + std::to_string(attempts + 1) + " of " + std::to_string(max);
    finding("provisioning-failed", Severity::Warning, source_of(d),
            o.id + " ended provisioning Failed (" + error + "); it is deleted and created again (" + attempt + ")",
            "none unless it keeps failing");
    if (backing_off) {
      push(std::move(a), ActionKind::Noop, "", nullptr, "provisioning Failed (" + error + "); " + attempt +
                                                            " after a backoff");
      return;
    }
    json body = with_tags(d.kind, d.body, merged_tags(d.kind, d.body, o.body, false));
    push(std::move(a), ActionKind::Recover, "PUT", std::move(body),
         "provisioning Failed (" + error + "): delete and create again, " + attempt);
  }

  static json workspace_patch(const translate::DesiredResource& d, const ObservedResource& o,
                              const std::set<std::string>& props, bool envelope) {
    json body = json::object();
    if (envelope) {
      body["tags"] = merged_tags(d.kind, d.body, o.body, false);
      for (const char* k : {"sku", "identity"}) {
        if (d.body.is_object() && d.body.contains(k)) body[k] = d.body[k];
      }
    }
    if (!props.empty()) {
      body["properties"] = json::object();
      for (const auto& p : props) {
        const json* v = at_path(d.body, {"properties", p.c_str()});
        if (v) body["properties"][p] = *v;
      }
    }
    return body;
  }

  void plan_immutable(Action a, const translate::DesiredResource& d, const ObservedResource& o,
                      const std::vector<std::string>& immutable) {
    std::string why;
    if (d.kind == Kind::Workspace) {
      why = "a workspace is never replaced (it would delete everything in it)";
    } else if (d.kind == Kind::EnvironmentVersion) {
      why = "an environment version is immutable; a new version is needed";
    } else if (!inputs_.policy.replace) {
      why = "policy.replace is false";
    } else if (d.kind == Kind::Compute && busy_computes_.count(id_key(d.id))) {
      why = "the compute has active jobs";
    }
    if (!why.empty()) {
      finding("replacement-required", Severity::Warning, source_of(d),
              o.id + " differs in fields that cannot change in place (" + join(immutable) + "); not replaced: " + why,
              d.kind == Kind::Workspace ? "recreate the workspace by hand, or align the config with it"
                                        : "set policy.replace (and let active jobs finish), or replace it by hand");
      push(std::move(a), ActionKind::Blocked, "", nullptr, "replacement required: " + join(immutable) + " (" + why + ")");
      return;
    }
    json body = with_tags(d.kind, d.body, merged_tags(d.kind, d.body, o.body, false));
    push(std::move(a), ActionKind::Replace, "PUT", std::move(body), "immutable change at " + join(immutable));
  }

  // Owned resources nobody wants any more. Jobs are history and are never deleted; nothing is
  // deleted that would take an unowned, kept or busy resource with it.
  void plan_retirements(const std::set<std::string>& desired_keys) {
    std::vector<const ObservedResource*> undesired;
    for (const auto& [key, o] : observed_) {
      if (desired_keys.count(key) || !owned(*o)) continue;
      if (unobserved(key)) continue;  // its children were not all seen: deciding to delete would be blind
      undesired.push_back(o);
    }
    std::map<std::string, std::string> blocked;  // key -> why
    std::set<std::string> retiring;
    for (const ObservedResource* o : undesired) {
      const std::string key = id_key(o->id);
      if (o->kind == Kind::Job) continue;
      if (!inputs_.policy.prune) continue;
      if (o->kind == Kind::Workspace) continue;  // never deleted by bai2aml (below)
      if (o->kind == Kind::Compute && busy_computes_.count(key)) {
        blocked[key] = "the compute has active jobs";
        continue;
      }
      if (const auto use = in_use_.find(key); use != in_use_.end()) {
        blocked[key] = "the AML job " + use->second + " uses it and has not ended";
        continue;
      }
      retiring.insert(key);
    }
    // A parent is retired only when everything under it goes too; repeat until nothing changes.
    for (bool changed = true; changed;) {
      changed = false;
      for (auto it = retiring.begin(); it != retiring.end();) {
        std::string kept;
        for (const auto& [k, o] : observed_) {
          if (k.size() > it->size() && k.compare(0, it->size(), *it) == 0 && k[it->size()] == '/' &&
              !retiring.count(k)) {
            kept = o->id;
            break;
          }
        }
        if (kept.empty()) {
          ++it;
          continue;
        }
        blocked[*it] = "it contains " + kept + ", which is not being retired";
        it = retiring.erase(it);
        changed = true;
      }
    }
    for (const ObservedResource* o : undesired) {
      const std::string key = id_key(o->id);
      Action a;
      a.resource_kind = o->kind;
      a.id = o->id;
      a.source_id = tag_value(tags_of(o->kind, o->body), kSourceTag);
      const std::string source = a.source_id.empty() ? o->id : a.source_id;
      if (o->kind == Kind::Job) {
        push(std::move(a), ActionKind::Noop, "", nullptr, "no longer desired; jobs are kept as history");
      } else if (o->kind == Kind::Workspace && inputs_.policy.prune) {
        finding("workspace-kept", Severity::Info, source, o->id + " is no longer desired; bai2aml never deletes an "
                "AML workspace (it holds the migrated estate and its history)", "delete it by hand if it is no longer needed");
        push(std::move(a), ActionKind::Noop, "", nullptr, "no longer desired; workspaces are never deleted by bai2aml");
      } else if (!inputs_.policy.prune) {
        push(std::move(a), ActionKind::Noop, "", nullptr, "no longer desired; policy.prune is false");
      } else if (const auto b = blocked.find(key); b != blocked.end()) {
        finding("retire-blocked", Severity::Warning, source,
                o->id + " is no longer desired but is not deleted: " + b->second,
                "wait for its jobs to finish, or delete it by hand");
        push(std::move(a), ActionKind::Blocked, "", nullptr, "retire blocked: " + b->second);
      } else {
        for (const auto& k : retiring) {
          if (k.size() > key.size() && k.compare(0, key.size(), key) == 0 && k[key.size()] == '/') {
            a.depends_on.push_back(observed_.at(k)->id);
          }
        }
        push(std::move(a), ActionKind::Retire, "DELETE", nullptr, "owned and no longer desired (policy.prune)");
      }
    }
  }

  const DiffInputs& inputs_;
  std::map<std::string, const ObservedResource*> observed_;
  std::set<std::string> busy_computes_;
  std::map<std::string, std::string> last_applied_;
  std::set<std::string> submitted_;
  std::set<std::string> unobserved_;
  std::set<std::string> submitted_sources_;
  std::map<std::string, const ObservedResource*> jobs_by_source_;  // source key -> this instance's AML job
  std::map<std::string, std::string> in_use_;  // datastore/environment key -> a non-terminal job using it
  Plan plan_;
};

}  // namespace

void hold_for_quota(Plan& plan, const QuotaCheck& check) {
  std::set<std::string> held;
  for (const auto& id : check.held) held.insert(id_key(id));
  for (auto& a : plan.actions) {
    if (!held.count(id_key(a.id))) continue;
    if (a.resource_kind == Kind::Job ? a.kind != ActionKind::Create
                                     : a.resource_kind != Kind::Compute || (a.kind != ActionKind::Create &&
                                                                            a.kind != ActionKind::Replace &&
                                                                            a.kind != ActionKind::Recover))
      continue;
    a.kind = ActionKind::Blocked;
    a.method.clear();
    a.body = nullptr;
    a.reason = "held by the quota pre-flight";
  }
  plan.findings.insert(plan.findings.end(), check.findings.begin(), check.findings.end());
  std::stable_sort(plan.findings.begin(), plan.findings.end(), [](const translate::Finding& x, const translate::Finding& y) {
    return std::tie(x.source_id, x.code) < std::tie(y.source_id, y.code);
  });
}

Plan diff(const std::vector<translate::DesiredResource>& desired, const std::vector<ObservedResource>& observed,
          const DiffInputs& inputs) {
  return Planner(observed, inputs).run(desired);
}

}  // namespace bai2aml::reconcile
