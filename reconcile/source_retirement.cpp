#include "reconcile/source_retirement.hpp"

#include <map>

#include "reconcile/arm_id.hpp"
#include "translate/batchai_id.hpp"
#include "translate/inventory.hpp"

namespace bai2aml::reconcile {
namespace {

using translate::BaiJob;
using translate::Kind;
using translate::SourceKind;

bool active(const std::string& execution_state) {
  return execution_state == "queued" || execution_state == "running" || execution_state == "terminating";
}

std::string lower_state(const nlohmann::json& body) {
  const auto props = body.find("properties");
  if (props == body.end() || !props->is_object()) return "";
  const auto st = props->find("provisioningState");
  if (st == props->end() || !st->is_string()) return "";
  return id_key(st->get<std::string>());
}

// The key of the Batch AI workspace a source id belongs to, "" without one.
std::string workspace_key(const std::string& source_id) {
  const auto ref = translate::parse_batchai_id(source_id);
  const std::string ws = translate::workspace_id_of(ref);
  return ws.empty() ? "" : id_key(ws);
}

// A job's cluster, as translate resolves it: an id without its workspace segment means the job's.
std::string cluster_key(const BaiJob& j) {
  auto c = translate::parse_batchai_id(j.cluster_id);
  if (c.kind != SourceKind::Cluster) return "";
  if (c.workspace.empty()) c.workspace = j.ref.workspace;
  return id_key(translate::workspace_id_of(c) + "/clusters/" + c.name);
}

// A write to the Batch AI resource itself; resource_kind names its AML counterpart's kind.
Action source_write(ActionKind kind, Kind counterpart, const std::string& id, const char* method, const char* reason) {
  Action a;
  a.kind = kind;
  a.resource_kind = counterpart;
  a.id = id;
  a.method = method;
  a.source_id = id;
  a.reason = reason;
  return a;
}

translate::Finding held(const std::string& source_id, std::string message, std::string remedy) {
  return {"source-retire-held", translate::Severity::Info, source_id, std::move(message), std::move(remedy)};
}

class Planner {
 public:
  explicit Planner(const SourceRetirementInputs& in)
      : in_(in), inv_(translate::parse_inventory(in.live)), terminated_by_us_(in.terminated) {
    for (const auto& o : *in.observed) observed_[id_key(o.id)] = &o;
    for (const auto& d : *in.desired) derived_[id_key(d.source_id)].push_back(&d);
    for (const auto& r : in.live)
      if (r.is_object() && r.contains("id") && r["id"].is_string()) live_body_[id_key(r["id"].get<std::string>())] = &r;
  }

  SourceRetirementPlan run() {
    for (const auto& j : inv_.jobs) plan_job(j);
    for (const auto& c : inv_.clusters) plan_cluster(c);
    for (const auto& w : inv_.workspaces) plan_workspace(w);
    return std::move(plan_);
  }

 private:
  // Every AML resource derived from the source id exists, is ready and proves the migration; false
  // when none is. *waiting_for names one still converging; *disproved says why one proves nothing
  // (another's resource, a job never journalled, a job that Failed or was Canceled).
  bool migrated(const std::string& source_id, std::string* waiting_for, std::string* disproved = nullptr) const {
    const auto it = derived_.find(id_key(source_id));
    if (it == derived_.end()) return false;
    for (const auto* d : it->second) {
      const auto o = observed_.find(id_key(d->id));
      if (o == observed_.end() || !is_ready(*o->second)) {
        if (waiting_for) *waiting_for = d->id;
        return false;
      }
      const std::string why = disproof(*d, *o->second);
      if (!why.empty()) {
        if (disproved) *disproved = why;
        return false;
      }
    }
    return true;
  }

  std::string disproof(const translate::DesiredResource& d, const ObservedResource& o) const {
    if (!owned_here(o, in_.scope)) return o.id + " is not bai2aml's (or belongs to another instance)";
    if (has_one_source(d.kind) && id_key(source_tag(o)) != id_key(d.source_id))
      return o.id + " stands for " + source_tag(o) + ", not for this resource";
    if (d.kind != Kind::Job) return "";
    if (!in_.submitted_jobs.count(id_key(o.id)) && !in_.submitted_sources.count(id_key(d.source_id)))
      return "the journal does not record " + o.id + " as submitted by bai2aml";
    const std::string status = id_key(job_status(o.body));
    if (status == "failed" || status == "canceled") return "its AML job " + o.id + " is " + job_status(o.body);
    return "";
  }

  bool deleting(const std::string& id) const {
    const auto it = live_body_.find(id_key(id));
    return it != live_body_.end() && lower_state(*it->second) == "deleting";
  }

  void plan_job(const BaiJob& j) {
    if (j.execution_state != "queued" && j.execution_state != "running") return;
    std::string disproved;
    if (!migrated(j.id, nullptr, &disproved)) {  // not (yet) an AML job: it keeps its cluster, said below
      if (!disproved.empty())
        plan_.findings.push_back(held(j.id, "The job is not terminated on Batch AI: " + disproved + ".",
                                      "Resolve the job's other findings, or terminate it on Batch AI by hand."));
      return;
    }
    Action a = source_write(ActionKind::TerminateSource, Kind::Job, j.id, "POST",
                            "migrated: its AML job exists, so it must not also run on Batch AI");
    a.post_action = "terminate";
    plan_.actions.push_back(std::move(a));
    terminating_.insert(cluster_key(j));
  }

  void plan_cluster(const translate::BaiCluster& c) {
    const std::string key = id_key(c.id);
    if (deleting(c.id)) return;  // a delete is running; the executor polls it
    std::string waiting_for, disproved;
    if (!migrated(c.id, &waiting_for, &disproved)) {
      if (!waiting_for.empty()) return;  // still converging: nothing to say yet
      plan_.findings.push_back(held(c.id, "The cluster is not migrated" + (disproved.empty() ? "" : " (" + disproved + ")") +
                                              ", so it is not deleted from Batch AI.",
                                    "Resolve the cluster's other findings; it is deleted once its AmlCompute is Succeeded."));
      return;
    }
    if (terminating_.count(key)) return;  // its jobs are being terminated this pass
    for (const auto& j : inv_.jobs) {
      if (cluster_key(j) != key || !active(j.execution_state)) continue;
      if (j.execution_state == "terminating" && terminated_by_us_.count(id_key(j.id))) return;  // ends soon
      plan_.findings.push_back(held(
          c.id, "The cluster still has the " + j.execution_state + " Batch AI job " + j.id + ", which was not migrated.",
          "Wait for the job to end, or terminate it; the cluster is deleted from Batch AI afterwards."));
      return;
    }
    plan_.actions.push_back(source_write(ActionKind::RetireSource, Kind::Compute, c.id, "DELETE",
                                         "migrated: its AmlCompute is Succeeded and no Batch AI job uses it"));
  }

  void plan_workspace(const translate::BaiWorkspace& w) {
    const std::string key = id_key(w.id);
    if (deleting(w.id)) return;
    std::string waiting_for;
    if (!migrated(w.id, &waiting_for)) return;
    for (const auto& [source, resources] : derived_) {
      if (workspace_key(source) != key) continue;
      for (const auto* d : resources) {
        const auto o = observed_.find(id_key(d->id));
        if (o == observed_.end() || !is_ready(*o->second)) return;  // still converging
        if (d->kind != Kind::Job && !disproof(*d, *o->second).empty()) return;  // not proven: it stays
      }
    }
    for (const auto& f : inv_.file_servers) {
      if (workspace_key(f.id) != key) continue;
      plan_.findings.push_back(held(
          w.id, "The workspace still holds the file server " + f.id + ", which bai2aml never deletes (its disks may hold the only copy of the data).",
          "Copy the data to the datastore mapped in mapping.file_servers, then delete the file server; the workspace is deleted afterwards."));
      return;
    }
    for (const auto& c : inv_.clusters)
      if (workspace_key(c.id) == key) return;  // deleted first (above, or a later pass)
    for (const auto& j : inv_.jobs)
      if (workspace_key(j.id) == key && active(j.execution_state)) return;  // the cluster rule speaks for it
    plan_.actions.push_back(source_write(ActionKind::RetireSource, Kind::Workspace, w.id, "DELETE",
                                         "migrated: every resource derived from it is ready and no cluster is left"));
  }

  const SourceRetirementInputs& in_;
  translate::Inventory inv_;
  std::map<std::string, const ObservedResource*> observed_;
  std::map<std::string, std::vector<const translate::DesiredResource*>> derived_;  // source key -> AML
  std::map<std::string, const nlohmann::json*> live_body_;
  std::set<std::string> terminating_;  // cluster keys with a job terminated this pass
  std::set<std::string> terminated_by_us_;
  SourceRetirementPlan plan_;
};

bool under_any(const std::string& key, const std::set<std::string>& roots) {
  for (const auto& root : roots)
    if (key == root || (key.size() > root.size() && key.compare(0, root.size(), root) == 0 && key[root.size()] == '/'))
      return true;
  return false;
}

std::string key_of(const nlohmann::json& r) {
  return r.is_object() && r.contains("id") && r["id"].is_string() ? id_key(r["id"].get<std::string>()) : "";
}

}  // namespace

bool retirement_acts(config::RetireSource mode, bool cutoff_passed) {
  return mode == config::RetireSource::AfterMigration || (mode == config::RetireSource::AtCutoff && cutoff_passed);
}

SourceRetirementPlan plan_source_retirement(const SourceRetirementInputs& in) {
  const bool acting = retirement_acts(in.mode, in.cutoff_passed);
  if (!acting || !in.source_live || !in.desired || !in.observed) return {};
  auto plan = Planner(in).run();
  plan.acting = true;
  return plan;
}

std::vector<nlohmann::json> retain_retired(std::vector<nlohmann::json> read, const std::vector<nlohmann::json>& stored,
                                           const std::vector<std::string>& deleted,
                                           const std::vector<std::string>& terminated) {
  std::set<std::string> deleted_roots, terminated_keys;
  for (const auto& id : deleted) deleted_roots.insert(id_key(id));
  for (const auto& id : terminated) terminated_keys.insert(id_key(id));
  if (deleted_roots.empty() && terminated_keys.empty()) return read;

  std::map<std::string, const nlohmann::json*> stored_by_key;
  for (const auto& r : stored)
    if (auto k = key_of(r); !k.empty()) stored_by_key[k] = &r;
  std::set<std::string> in_read;
  for (auto& r : read) {
    const auto k = key_of(r);
    in_read.insert(k);
    if (!terminated_keys.count(k)) continue;
    if (const auto s = stored_by_key.find(k); s != stored_by_key.end()) r = *s->second;
  }
  for (const auto& [k, body] : stored_by_key)
    if (!in_read.count(k) && under_any(k, deleted_roots)) read.push_back(*body);
  return read;
}

}  // namespace bai2aml::reconcile
