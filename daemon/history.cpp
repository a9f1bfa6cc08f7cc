#include "daemon/history.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "config/utf8.hpp"
#include "daemon/logging.hpp"
#include "reconcile/arm_id.hpp"

namespace bai2aml::daemon {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim_slashes(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// Within one second (the stores' timestamps are whole seconds), a finding is about what the pass
// saw, the write follows from it, and the state is recorded when the pass ends.
int type_rank(const std::string& type) { return type == "finding" ? 0 : type == "write" ? 1 : 2; }

void add_writes(state::Store& store, const std::string& id, const std::map<std::int64_t, std::vector<state::AuditRecord>>& audit,
                std::vector<HistoryEvent>& events, std::set<std::int64_t>& told) {
  for (const auto& op : store.operations_for(id)) {
    told.insert(op.op_id);
    HistoryEvent e;
    e.at = op.created_at;
    e.type = "write";
    e.resource_id = op.resource_id;
    e.summary = op.action + " " + op.method + ": " + op.state;
    if (op.http_status) e.summary += " (HTTP " + std::to_string(*op.http_status) + ")";
    if (op.error_code) e.summary += ", " + *op.error_code;
    e.detail = {{"op_id", op.op_id}, {"action", op.action}, {"method", op.method}, {"state", op.state},
                {"created_at", op.created_at}, {"updated_at", op.updated_at}, {"attempts", op.attempts},
                {"http_status", op.http_status ? nlohmann::json(*op.http_status) : nlohmann::json(nullptr)},
                {"error_code", op.error_code ? nlohmann::json(*op.error_code) : nlohmann::json(nullptr)},
                {"error_message", op.error_message ? nlohmann::json(redact_secrets(*op.error_message)) : nlohmann::json(nullptr)},
                {"requests", nlohmann::json::array()}};
    std::string last_request_id;
    if (auto it = audit.find(op.op_id); it != audit.end())
      for (const auto& a : it->second) {
        e.detail["requests"].push_back({{"at", a.at},
                                        {"http_status", a.http_status ? nlohmann::json(*a.http_status) : nlohmann::json(nullptr)},
                                        {"outcome", a.outcome},
                                        {"request_id", a.client_request_id},
                                        {"duration_ms", a.duration_ms}});
        last_request_id = a.client_request_id;
      }
    if (!last_request_id.empty()) e.summary += ", request id " + last_request_id;
    events.push_back(std::move(e));
  }
}

// A write whose journal row was compacted away (a newer row of the same write superseded it): the
// audit log keeps every request it sent, so it is still told, from them.
void add_compacted_writes(const std::map<std::int64_t, std::vector<state::AuditRecord>>& audit,
                          const std::set<std::int64_t>& told, std::vector<HistoryEvent>& events) {
  for (const auto& [op_id, requests] : audit) {
    if (told.count(op_id) || requests.empty()) continue;
    const auto& last = requests.back();
    HistoryEvent e;
    e.at = requests.front().at;
    e.type = "write";
    e.resource_id = last.resource_id;
    e.summary = last.method + ": " + last.outcome;
    if (last.http_status) e.summary += " (HTTP " + std::to_string(*last.http_status) + ")";
    e.summary += ", request id " + last.client_request_id + " (journal row compacted; from the audit log)";
    e.detail = {{"op_id", op_id}, {"method", last.method}, {"compacted", true}, {"requests", nlohmann::json::array()}};
    for (const auto& a : requests)
      e.detail["requests"].push_back({{"at", a.at},
                                      {"http_status", a.http_status ? nlohmann::json(*a.http_status) : nlohmann::json(nullptr)},
                                      {"outcome", a.outcome},
                                      {"request_id", a.client_request_id},
                                      {"duration_ms", a.duration_ms}});
    events.push_back(std::move(e));
  }
}

}  // namespace

ResourceHistory gather_history(state::Store& store, const std::string& id) {
  ResourceHistory h;
  h.query = trim_slashes(id);
  const std::string key = lower(h.query);

  std::set<std::string> aml_keys;
  for (const auto& d : store.desired()) {
    if (lower(d.resource.id) == key) {
      h.source_id = d.resource.source_id;
      h.aml_ids.push_back(d.resource.id);
    } else if (lower(d.resource.source_id) == key) {
      h.source_id = d.resource.source_id;
      h.aml_ids.push_back(d.resource.id);
    }
  }
  if (h.aml_ids.empty() && h.source_id.empty()) {
    // No longer desired (pruned, or gone from the source) or never translated: what else knows it.
    for (const auto& item : store.inventory())
      if (lower(item.id) == key) h.source_id = item.id;
    for (const auto& f : store.findings())
      if (lower(f.finding.source_id) == key) h.source_id = f.finding.source_id;
    if (h.source_id.empty()) {
      bool aml = false;
      for (const auto& s : store.statuses()) aml = aml || lower(s.id) == key;
      aml = aml || !store.operations_for(h.query).empty();
      if (aml) h.aml_ids.push_back(h.query);
      else if (!store.finding_events(h.query).empty()) h.source_id = h.query;
    }
  }
  h.found = !h.source_id.empty() || !h.aml_ids.empty();
  if (!h.found) return h;

  std::map<std::int64_t, std::vector<state::AuditRecord>> audit;  // op_id -> the answers
  for (const auto& id_of_interest : h.aml_ids)
    for (auto& a : store.audit_for(id_of_interest))
      if (a.op_id) audit[*a.op_id].push_back(std::move(a));
  if (!h.source_id.empty())  // bai2aml's own writes to Batch AI (policy.retire_source)
    for (auto& a : store.audit_for(h.source_id))
      if (a.op_id) audit[*a.op_id].push_back(std::move(a));

  std::vector<HistoryEvent> events;
  std::set<std::int64_t> told;  // op_ids told from their journal row
  for (const auto& aml_id : h.aml_ids) {
    add_writes(store, aml_id, audit, events, told);
    for (const auto& c : store.status_history(aml_id)) {
      std::string summary = c.state + " (" + c.reason + ")";
      if (!c.message.empty()) summary += ": " + redact_secrets(c.message);
      events.push_back({c.at, "state", c.id, summary,
                        {{"state", c.state}, {"reason", c.reason}, {"message", redact_secrets(c.message)}}});
    }
  }
  if (!h.source_id.empty()) {
    add_writes(store, h.source_id, audit, events, told);
    for (const auto& f : store.finding_events(h.source_id))
      events.push_back({f.at, "finding", f.finding.source_id,
                        f.event + " " + translate::to_string(f.finding.severity) + " " + f.finding.code + ": " +
                            redact_secrets(f.finding.message),
                        {{"event", f.event},
                         {"origin", f.origin},
                         {"code", f.finding.code},
                         {"severity", translate::to_string(f.finding.severity)},
                         {"message", redact_secrets(f.finding.message)}}});
  }
  add_compacted_writes(audit, told, events);
  // Writes within one second in journal order (a compacted write's time is its first request's).
  const auto op_id = [](const HistoryEvent& e) { return e.detail.value("op_id", std::int64_t{0}); };
  std::stable_sort(events.begin(), events.end(), [&](const HistoryEvent& a, const HistoryEvent& b) {
    if (a.at != b.at) return a.at < b.at;
    if (a.type != b.type) return type_rank(a.type) < type_rank(b.type);
    return a.type == "write" && op_id(a) < op_id(b);
  });
  h.events = std::move(events);
  return h;
}

nlohmann::json history_to_json(const ResourceHistory& h) {
  nlohmann::json out = {{"version", 1}, {"query", h.query}, {"found", h.found},
                        {"source_id", h.source_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(h.source_id)},
                        {"aml_ids", h.aml_ids}, {"events", nlohmann::json::array()}};
  for (const auto& e : h.events) {
    nlohmann::json j = {{"at", e.at}, {"type", e.type}, {"resource_id", e.resource_id}, {"summary", e.summary}};
    j.update(e.detail);
    out["events"].push_back(std::move(j));
  }
  return out;
}

std::string history_to_text(const ResourceHistory& h) {
  // Every field is free text from the database (names, ARM error messages, request ids): printed
  // through terminal_text, so that no escape sequence or carriage return in it reaches the terminal
  // and no newline in it forges a line of the story.
  using config::terminal_text;
  std::string out;
  // A finding about an AML workspace bai2aml could not observe (scope-unobserved) is kept under that
  // workspace's id, so the "source" of such a story is an AML id.
  const bool aml_scope = reconcile::kind_from_id(h.source_id).has_value();
  if (!h.source_id.empty()) out += (aml_scope ? "AML:      " : "Batch AI: ") + terminal_text(h.source_id) + "\n";
  for (const auto& id : h.aml_ids) out += "AML:      " + terminal_text(id) + "\n";
  out += "\n";
  const bool many = h.aml_ids.size() + (h.source_id.empty() ? 0 : 1) > 1;
  for (const auto& e : h.events) {
    out += terminal_text(e.at) + "  " + terminal_text(e.type) + std::string(8 - std::min<std::size_t>(7, e.type.size()), ' ') +
           terminal_text(e.summary);
    if (many && e.type != "finding") out += "  [" + terminal_text(e.resource_id.substr(e.resource_id.rfind('/') + 1)) + "]";
    out += "\n";
  }
  if (h.events.empty()) out += "Nothing recorded yet.\n";
  return out;
}

}  // namespace bai2aml::daemon
