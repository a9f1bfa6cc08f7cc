#include "state/store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>

#include "config/redaction.hpp"
#include "config/value_rules.hpp"
#include "state/content_hash.hpp"
#include "state/migrator.hpp"
#include "state/store_lock.hpp"
#include "translate/batchai_id.hpp"
#include "translate/secret_scrub.hpp"

namespace bai2aml::state {
namespace {

using nlohmann::json;

// The Batch AI kind from the id's path (translate's parser; the "type" field is never used).
std::string batchai_kind(const std::string& id) {
  switch (translate::parse_batchai_id(id).kind) {
    case translate::SourceKind::Workspace: return "workspace";
    case translate::SourceKind::Cluster: return "cluster";
    case translate::SourceKind::FileServer: return "fileserver";
    case translate::SourceKind::Experiment: return "experiment";
    case translate::SourceKind::Job: return "job";
    case translate::SourceKind::Unknown: break;
  }
  return "unknown";
}

// Creates the file 0600 before SQLite sees it: SQLite gives its -wal and -shm files the database
// file's permissions, so the whole state stays private.
void create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw StoreError("cannot create database \"" + path + "\": " + std::strerror(errno));
  ::close(fd);
}

translate::Severity severity_from_string(const std::string& s) {
  return s == "error" ? translate::Severity::Error : s == "warning" ? translate::Severity::Warning : translate::Severity::Info;
}

// The stored text of a resource. Secrets never reach the database, even when a snapshot file or a
// response carried them; a resource without a member the scrubber acts on is not copied to scrub it.
std::string storage_text(const json& resource) {
  return translate::holds_secret_members(resource) ? translate::scrub_secrets(resource).dump() : resource.dump();
}

// What COLLATE NOCASE compares: ARM ids are case-insensitive (ASCII).
std::string nocase_key(std::string id) {
  for (char& c : id) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;  // no locale lookup per character
  return id;
}

// The index of the last occurrence of each id (a later duplicate wins, as INSERT OR REPLACE had it),
// in input order.
template <class IdOf>
std::vector<std::size_t> last_of_each_id(std::size_t n, IdOf id_of) {
  std::map<std::string, std::size_t> last;
  for (std::size_t i = 0; i < n; ++i) last[nocase_key(id_of(i))] = i;
  std::vector<std::size_t> out;
  for (const auto& entry : last) out.push_back(entry.second);
  std::sort(out.begin(), out.end());
  return out;
}

// Free text (error messages, finding messages) may quote a credential: it is stored redacted.
std::optional<std::string> redacted(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return config::redact_secrets(*text);
}

}  // namespace

std::unique_ptr<Store> Store::open(const std::string& path, Options options) {
  std::unique_ptr<StoreLock> lock;
  if (options.exclusive) lock = std::make_unique<StoreLock>(path);
  create_private_file(path);
  auto db = std::make_unique<detail::Database>(path);
  // WAL: readers (status, report) never block the daemon's writes.
  // synchronous=FULL: every commit is fsynced, so a journal intent survives power loss, not only a
  // process crash; NORMAL would risk losing the last intents and sending a write twice. Commits are
  // few (bounded by ARM's write rate), so the fsync cost is negligible.
  db->exec("PRAGMA busy_timeout = 5000");
  {
    auto st = db->prepare("PRAGMA journal_mode = WAL");
    st.step();
    if (st.text(0) != "wal") throw StoreError("database \"" + path + "\" cannot use WAL mode (got " + st.text(0) + ")");
  }
  db->exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
  {
    auto st = db->prepare("PRAGMA quick_check");
    st.step();
    if (st.text(0) != "ok") throw StoreError("database \"" + path + "\" is corrupt: " + st.text(0));
  }
  detail::migrate(*db, embedded_migrations(), path);
  return std::unique_ptr<Store>(new Store(path, std::move(db), std::move(lock)));
}

Store::Store(std::string path, std::unique_ptr<detail::Database> db, std::unique_ptr<StoreLock> lock)
    : path_(std::move(path)), db_(std::move(db)), lock_(std::move(lock)) {}

Store::~Store() = default;

std::string Store::now() const { return config::format_rfc3339(std::chrono::system_clock::now()); }

int Store::schema_version() {
  auto st = db_->prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  st.step();
  return static_cast<int>(st.integer(0));
}

// ---- inventory -------------------------------------------------------------------------------

// Only what changed is written: the rows of a pass that read the same inventory stay as they are
// (with the fetched_at of when their content was first read), so a no-op pass writes nothing here.
void Store::replace_inventory(const std::vector<json>& resources, std::chrono::system_clock::time_point fetched_at) {
  const std::string at = config::format_rfc3339(fetched_at);
  for (const auto& r : resources)
    if (!r.is_object() || !r.contains("id") || !r["id"].is_string())
      throw StoreError("inventory resource without a string \"id\": " + r.dump().substr(0, 200));
  transaction([&] {
    std::map<std::string, std::pair<std::string, std::string>> previous;  // nocase id -> (id, body_hash)
    {
      auto st = db_->prepare("SELECT id, body_hash FROM inventory");
      while (st.step()) previous[nocase_key(st.text(0))] = {st.text(0), st.text(1)};
    }
    auto upsert = db_->prepare("INSERT INTO inventory (id, kind, body, body_hash, fetched_at) VALUES (?, ?, ?, ?, ?) "
                               "ON CONFLICT (id) DO UPDATE SET id = excluded.id, kind = excluded.kind, body = excluded.body, "
                               "body_hash = excluded.body_hash, fetched_at = excluded.fetched_at");
    for (std::size_t i : last_of_each_id(resources.size(), [&](std::size_t k) { return resources[k]["id"].get<std::string>(); })) {
      const std::string id = resources[i]["id"].get<std::string>();
      const std::string body = storage_text(resources[i]);
      const std::string hash = sha256_hex(body);
      auto prev = previous.find(nocase_key(id));
      const bool unchanged = prev != previous.end() && prev->second.first == id && prev->second.second == hash;
      if (prev != previous.end()) previous.erase(prev);
      if (unchanged) continue;
      upsert.bind(1, id).bind(2, batchai_kind(id)).bind(3, body).bind(4, hash).bind(5, at).run();
      upsert.reset();
    }
    auto del = db_->prepare("DELETE FROM inventory WHERE id = ?");
    for (const auto& gone : previous) {
      del.bind(1, gone.second.first).run();
      del.reset();
    }
  });
}

std::vector<InventoryItem> Store::inventory() {
  std::vector<InventoryItem> out;
  auto st = db_->prepare("SELECT id, kind, body, fetched_at FROM inventory ORDER BY id");
  while (st.step()) out.push_back({st.text(0), st.text(1), json::parse(st.text(2)), st.text(3)});
  return out;
}

std::vector<std::string> Store::inventory_ids() {
  std::vector<std::string> out;
  auto st = db_->prepare("SELECT id FROM inventory ORDER BY id");
  while (st.step()) out.push_back(st.text(0));
  return out;
}

std::vector<InventoryItem> Store::inventory_items(const std::vector<std::string>& ids) {
  std::vector<InventoryItem> out;
  auto st = db_->prepare("SELECT id, kind, body, fetched_at FROM inventory WHERE id = ?");
  for (const auto& id : ids) {
    st.bind(1, id);
    if (st.step()) out.push_back({st.text(0), st.text(1), json::parse(st.text(2)), st.text(3)});
    st.reset();
  }
  return out;
}

SourceStatus Store::source_status() {
  auto st = db_->prepare("SELECT mode, fetched_at, last_error FROM source_meta WHERE singleton = 1");
  if (!st.step()) return {};
  return {st.text(0), st.optional_text(1), st.optional_text(2)};
}

void Store::set_source_status(const SourceStatus& s) {
  db_->prepare("INSERT INTO source_meta (singleton, mode, fetched_at, last_error) VALUES (1, ?, ?, ?) "
               "ON CONFLICT (singleton) DO UPDATE SET mode = excluded.mode, fetched_at = excluded.fetched_at, "
               "last_error = excluded.last_error")
      .bind(1, s.mode)
      .bind_optional(2, s.fetched_at)
      .bind_optional(3, redacted(s.last_error))
      .run();
}

// ---- desired and observed --------------------------------------------------------------------

std::vector<std::string> Store::replace_desired(const std::vector<translate::DesiredResource>& resources) {
  const std::string at = now();
  std::vector<std::string> hashes(resources.size());
  transaction([&] {
    // Unchanged rows are not rewritten; updated_at says when the desire last changed, not when it was recomputed.
    struct Row {
      std::string id, kind, source_id, spec_hash, depends_on;
    };
    std::map<std::string, Row> previous;  // nocase id -> row
    {
      auto st = db_->prepare("SELECT id, kind, source_id, spec_hash, depends_on FROM desired");
      while (st.step()) previous[nocase_key(st.text(0))] = {st.text(0), st.text(1), st.text(2), st.text(3), st.text(4)};
    }
    auto upsert = db_->prepare("INSERT INTO desired (id, kind, source_id, spec, spec_hash, depends_on, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET id = excluded.id, "
                               "kind = excluded.kind, source_id = excluded.source_id, spec = excluded.spec, "
                               "spec_hash = excluded.spec_hash, depends_on = excluded.depends_on, "
                               "updated_at = CASE WHEN desired.spec_hash = excluded.spec_hash THEN desired.updated_at "
                               "ELSE excluded.updated_at END");
    for (std::size_t i : last_of_each_id(resources.size(), [&](std::size_t k) { return resources[k].id; })) {
      const auto& r = resources[i];
      const std::string spec = r.body.dump();
      const std::string& hash = hashes[i] = sha256_hex(spec);
      const std::string kind = translate::to_string(r.kind);
      const std::string depends_on = json(r.depends_on).dump();
      auto prev = previous.find(nocase_key(r.id));
      const bool unchanged = prev != previous.end() && prev->second.id == r.id && prev->second.kind == kind &&
                             prev->second.source_id == r.source_id && prev->second.spec_hash == hash &&
                             prev->second.depends_on == depends_on;
      if (prev != previous.end()) previous.erase(prev);
      if (unchanged) continue;
      upsert.bind(1, r.id).bind(2, kind).bind(3, r.source_id).bind(4, spec).bind(5, hash).bind(6, depends_on).bind(7, at).run();
      upsert.reset();
    }
    auto del = db_->prepare("DELETE FROM desired WHERE id = ?");
    for (const auto& gone : previous) {
      del.bind(1, gone.second.id).run();
      del.reset();
    }
  });
  for (std::size_t i = 0; i < resources.size(); ++i)  // an earlier duplicate of an id (not stored)
    if (hashes[i].empty()) hashes[i] = sha256_hex(resources[i].body.dump());
  return hashes;
}

std::vector<std::string> Store::desired_ids() {
  std::vector<std::string> out;
  auto st = db_->prepare("SELECT id FROM desired ORDER BY id");
  while (st.step()) out.push_back(st.text(0));
  return out;
}

std::vector<DesiredRecord> Store::desired() {
  std::vector<DesiredRecord> out;
  auto st = db_->prepare("SELECT id, kind, source_id, spec, spec_hash, depends_on, updated_at FROM desired ORDER BY id");
  while (st.step()) {
    DesiredRecord rec;
    rec.resource.id = st.text(0);
    if (!translate::kind_from_string(st.text(1), rec.resource.kind))
      throw StoreError("desired resource " + rec.resource.id + " has unknown kind \"" + st.text(1) + "\"");
    rec.resource.source_id = st.text(2);
    rec.resource.body = json::parse(st.text(3));
    rec.spec_hash = st.text(4);
    rec.resource.depends_on = json::parse(st.text(5)).get<std::vector<std::string>>();
    rec.updated_at = st.text(6);
    out.push_back(std::move(rec));
  }
  return out;
}

// Only what changed is written; observed_at of an unchanged row stays when that content was first seen.
void Store::replace_observed(const std::vector<ObservedRecord>& resources) {
  const std::string at = now();
  transaction([&] {
    struct Row {
      std::string id, kind, body_hash, provisioning_state;
      bool owned = false;
    };
    std::map<std::string, Row> previous;  // nocase id -> row
    {
      auto st = db_->prepare("SELECT id, kind, body_hash, provisioning_state, owned FROM observed");
      while (st.step())
        previous[nocase_key(st.text(0))] = {st.text(0), st.text(1), st.text(2), st.text(3), st.integer(4) != 0};
    }
    auto upsert = db_->prepare("INSERT INTO observed (id, kind, body, body_hash, provisioning_state, owned, observed_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET id = excluded.id, "
                               "kind = excluded.kind, body = excluded.body, body_hash = excluded.body_hash, "
                               "provisioning_state = excluded.provisioning_state, owned = excluded.owned, "
                               "observed_at = excluded.observed_at");
    for (std::size_t i : last_of_each_id(resources.size(), [&](std::size_t k) { return resources[k].id; })) {
      const auto& r = resources[i];
      const std::string body = storage_text(r.body);
      const std::string hash = sha256_hex(body);
      auto prev = previous.find(nocase_key(r.id));
      const bool unchanged = prev != previous.end() && prev->second.id == r.id && prev->second.kind == r.kind &&
                             prev->second.body_hash == hash && prev->second.provisioning_state == r.provisioning_state &&
                             prev->second.owned == r.owned;
      if (prev != previous.end()) previous.erase(prev);
      if (unchanged) continue;
      upsert.bind(1, r.id).bind(2, r.kind).bind(3, body).bind(4, hash).bind(5, r.provisioning_state)
          .bind(6, r.owned ? 1 : 0).bind(7, r.observed_at.empty() ? at : r.observed_at).run();
      upsert.reset();
    }
    auto del = db_->prepare("DELETE FROM observed WHERE id = ?");
    for (const auto& gone : previous) {
      del.bind(1, gone.second.id).run();
      del.reset();
    }
  });
}

std::vector<ObservedRecord> Store::observed() {
  std::vector<ObservedRecord> out;
  auto st = db_->prepare("SELECT id, kind, body, provisioning_state, owned, observed_at FROM observed ORDER BY id");
  while (st.step())
    out.push_back({st.text(0), st.text(1), json::parse(st.text(2)), st.text(3), st.integer(4) != 0, st.text(5)});
  return out;
}

std::vector<ObservedRecord> Store::observed_tags() {
  std::vector<ObservedRecord> out;
  // Tags that are not an object are left out, as tags_of() ignores them.
  auto st = db_->prepare(
      "SELECT id, kind, json_object('id', id, "
      "'tags', json(CASE WHEN json_type(body, '$.tags') = 'object' THEN json_extract(body, '$.tags') ELSE '{}' END), "
      "'properties', json_object('tags', json(CASE WHEN json_type(body, '$.properties.tags') = 'object' "
      "THEN json_extract(body, '$.properties.tags') ELSE '{}' END))), provisioning_state, owned, observed_at FROM observed "
      "ORDER BY id");
  while (st.step())
    out.push_back({st.text(0), st.text(1), json::parse(st.text(2)), st.text(3), st.integer(4) != 0, st.text(5)});
  return out;
}

// ---- findings --------------------------------------------------------------------------------

void Store::replace_findings(const std::string& origin, const std::vector<translate::Finding>& findings) {
  const std::string at = now();
  transaction([&] {
    auto key = [](const std::string& s, const std::string& c, const std::string& m) {
      return nocase_key(s) + "\x1f" + c + "\x1f" + m;
    };
    // The stored set, compared with the new one: only what appears, changes or goes away is written
    // (20,000 finished jobs are 20,000 findings that stay the same pass after pass).
    struct Row {
      translate::Finding finding;  // message and remedy as stored (redacted)
      bool kept = false;
    };
    std::map<std::string, Row> stored;  // key -> row
    {
      auto st = db_->prepare("SELECT source_id, code, severity, message, remedy FROM findings WHERE origin = ?");
      st.bind(1, origin);
      while (st.step()) {
        Row row;
        row.finding.source_id = st.text(0);
        row.finding.code = st.text(1);
        row.finding.severity = severity_from_string(st.text(2));
        row.finding.message = st.text(3);
        row.finding.remedy = st.text(4);
        stored.emplace(key(row.finding.source_id, row.finding.code, row.finding.message), std::move(row));
      }
    }
    // What appears or goes away is kept as an event, for `bai2aml history`.
    auto event = db_->prepare("INSERT INTO finding_events (at, event, origin, source_id, code, severity, message) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)");
    auto record = [&](const char* what, const translate::Finding& f) {
      event.bind(1, at).bind(2, std::string(what)).bind(3, origin).bind(4, f.source_id).bind(5, f.code)
          .bind(6, translate::to_string(f.severity)).bind(7, config::redact_secrets(f.message)).run();
      event.reset();
    };
    auto ins = db_->prepare("INSERT INTO findings (origin, source_id, code, severity, message, remedy, first_seen) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)");
    // A finding that stays keeps its first_seen; its source id's spelling, severity and remedy follow the new one.
    auto upd = db_->prepare("UPDATE findings SET source_id = ?, severity = ?, remedy = ? "
                            "WHERE origin = ? AND source_id = ? AND code = ? AND message = ?");
    std::set<std::string> written;  // a duplicate in `findings` is one finding: the first wins
    // Texts -> redacted: 20,000 job-finished findings share two messages and one remedy.
    std::unordered_map<std::string, std::string> redacted;
    auto redact = [&](const std::string& text) -> const std::string& {
      auto it = redacted.find(text);
      if (it == redacted.end()) it = redacted.emplace(text, config::redact_secrets(text)).first;
      return it->second;
    };
    for (const auto& f : findings) {
      const std::string& message = redact(f.message);
      const auto k = key(f.source_id, f.code, message);
      if (!written.insert(k).second) continue;
      const std::string& remedy = redact(f.remedy);
      const std::string severity = translate::to_string(f.severity);
      auto it = stored.find(k);
      if (it == stored.end()) {
        ins.bind(1, origin).bind(2, f.source_id).bind(3, f.code).bind(4, severity).bind(5, message).bind(6, remedy)
            .bind(7, at).run();
        ins.reset();
        record("raised", f);
        continue;
      }
      it->second.kept = true;
      const auto& old = it->second.finding;
      if (old.source_id == f.source_id && old.severity == f.severity && old.remedy == remedy) continue;
      upd.bind(1, f.source_id).bind(2, severity).bind(3, remedy).bind(4, origin).bind(5, old.source_id)
          .bind(6, old.code).bind(7, old.message).run();
      upd.reset();
    }
    auto del = db_->prepare("DELETE FROM findings WHERE origin = ? AND source_id = ? AND code = ? AND message = ?");
    for (const auto& [k, row] : stored) {
      if (row.kept) continue;
      del.bind(1, origin).bind(2, row.finding.source_id).bind(3, row.finding.code).bind(4, row.finding.message).run();
      del.reset();
      record("cleared", row.finding);
    }
  });
}

std::map<std::string, std::int64_t> Store::finding_counts() {
  std::map<std::string, std::int64_t> out;
  auto st = db_->prepare("SELECT severity, COUNT(*) FROM findings GROUP BY severity");
  while (st.step()) out[st.text(0)] = st.integer(1);
  return out;
}

std::vector<StoredFinding> Store::findings() {
  std::vector<StoredFinding> out;
  auto st = db_->prepare("SELECT origin, source_id, code, severity, message, remedy, first_seen FROM findings "
                         "ORDER BY source_id, code, message");
  while (st.step()) {
    StoredFinding f;
    f.origin = st.text(0);
    f.finding.source_id = st.text(1);
    f.finding.code = st.text(2);
    f.finding.severity = severity_from_string(st.text(3));
    f.finding.message = st.text(4);
    f.finding.remedy = st.text(5);
    f.first_seen = st.text(6);
    out.push_back(std::move(f));
  }
  return out;
}

// ---- journal ---------------------------------------------------------------------------------

namespace {
const char* kOperationColumns =
    "op_id, resource_id, action, method, url, body_hash, client_request_id, state, poll_url, http_status, "
    "error_code, error_message, attempts, created_at, updated_at";

Operation read_operation(detail::Statement& st) {
  Operation op;
  op.op_id = st.integer(0);
  op.resource_id = st.text(1);
  op.action = st.text(2);
  op.method = st.text(3);
  op.url = st.text(4);
  op.body_hash = st.text(5);
  op.client_request_id = st.text(6);
  op.state = st.text(7);
  op.poll_url = st.optional_text(8);
  if (!st.is_null(9)) op.http_status = st.integer(9);
  op.error_code = st.optional_text(10);
  op.error_message = st.optional_text(11);
  op.attempts = static_cast<int>(st.integer(12));
  op.created_at = st.text(13);
  op.updated_at = st.text(14);
  return op;
}

// The journal rows that match `condition` (fixed SQL text, with a `?` for `value` when given), oldest first.
std::vector<Operation> select_operations(detail::Database& db, const char* condition, const std::string* value) {
  std::vector<Operation> out;
  auto st = db.prepare((std::string("SELECT ") + kOperationColumns + " FROM operations WHERE " + condition +
                        " ORDER BY op_id").c_str());
  if (value) st.bind(1, *value);
  while (st.step()) out.push_back(read_operation(st));
  return out;
}
}  // namespace

std::int64_t Store::journal_intent(const Operation& op) {
  const std::string at = now();
  db_->prepare("INSERT INTO operations (resource_id, action, method, url, body_hash, client_request_id, state, "
               "attempts, created_at, updated_at, source_id) VALUES (?, ?, ?, ?, ?, ?, 'intent', ?, ?, ?, ?)")
      .bind(1, op.resource_id).bind(2, op.action).bind(3, op.method).bind(4, op.url).bind(5, op.body_hash)
      .bind(6, op.client_request_id).bind(7, op.attempts).bind(8, at).bind(9, at).bind(10, op.source_id)
      .run();
  return db_->last_insert_rowid();
}

std::vector<std::string> Store::submitted_job_sources() {
  std::vector<std::string> out;
  auto st = db_->prepare("SELECT DISTINCT source_id FROM operations WHERE method = 'PUT' AND state = 'succeeded' "
                         "AND source_id <> '' AND resource_id LIKE '%/jobs/%'");
  while (st.step()) out.push_back(st.text(0));
  return out;
}

void Store::journal_sent(std::int64_t op_id, std::optional<std::int64_t> http_status,
                         const std::optional<std::string>& poll_url) {
  auto st = db_->prepare("UPDATE operations SET state = ?, http_status = ?, poll_url = COALESCE(?, poll_url), "
                         "attempts = attempts + 1, updated_at = ? WHERE op_id = ?");
  st.bind(1, std::string(poll_url ? "polling" : "sent"));
  if (http_status) st.bind(2, *http_status);
  else st.bind_null(2);
  st.bind_optional(3, poll_url).bind(4, now()).bind(5, op_id).run();
  if (db_->changes() != 1) throw StoreError("journal has no operation " + std::to_string(op_id));
}

void Store::journal_finished(std::int64_t op_id, const std::string& final_state, std::optional<std::int64_t> http_status,
                             const std::optional<std::string>& error_code, const std::optional<std::string>& error_message) {
  if (final_state != "succeeded" && final_state != "failed" && final_state != "abandoned")
    throw StoreError("journal_finished: \"" + final_state + "\" is not a final state");
  auto st = db_->prepare("UPDATE operations SET state = ?, http_status = COALESCE(?, http_status), error_code = ?, "
                         "error_message = ?, updated_at = ? WHERE op_id = ?");
  st.bind(1, final_state);
  if (http_status) st.bind(2, *http_status);
  else st.bind_null(2);
  st.bind_optional(3, error_code).bind_optional(4, redacted(error_message)).bind(5, now()).bind(6, op_id).run();
  if (db_->changes() != 1) throw StoreError("journal has no operation " + std::to_string(op_id));
}

std::vector<Operation> Store::open_operations() {
  return select_operations(*db_, "state IN ('intent','sent','polling')", nullptr);
}

std::vector<Operation> Store::operations_for(const std::string& resource_id) {
  return select_operations(*db_, "resource_id = ?", &resource_id);
}

std::vector<Operation> Store::operations_with_action(const std::string& action) {
  return select_operations(*db_, "action = ?", &action);
}

// ---- vanished sources (the prune guard) ------------------------------------------------------

std::vector<VanishedSource> Store::vanished_sources() {
  std::vector<VanishedSource> out;
  auto st = db_->prepare("SELECT id, absent_reads, held, confirmed FROM vanished_sources ORDER BY id");
  while (st.step()) out.push_back({st.text(0), static_cast<int>(st.integer(1)), st.integer(2) != 0, st.integer(3) != 0});
  return out;
}

void Store::replace_vanished_sources(const std::vector<VanishedSource>& vanished) {
  transaction([&] {
    db_->exec("DELETE FROM vanished_sources");
    for (const auto& v : vanished)
      db_->prepare("INSERT OR REPLACE INTO vanished_sources (id, absent_reads, held, confirmed) VALUES (?, ?, ?, ?)")
          .bind(1, v.id).bind(2, v.absent_reads).bind(3, v.held ? 1 : 0).bind(4, v.confirmed ? 1 : 0)
          .run();
  });
}

int Store::confirm_held_prunes() {
  int n = 0;
  transaction([&] {
    db_->prepare("UPDATE vanished_sources SET confirmed = 1 WHERE held = 1 AND confirmed = 0").run();
    n = static_cast<int>(db_->changes());
  });
  return n;
}

std::vector<Operation> Store::operations_in_state(const std::string& state) {
  return select_operations(*db_, "state = ?", &state);
}

std::int64_t Store::compact_journal(const std::vector<std::string>& keep_all_of_actions) {
  std::string keep = "''";
  for (std::size_t i = 0; i < keep_all_of_actions.size(); ++i) keep += ", ?";
  const std::string sql =
      "DELETE FROM operations WHERE state IN ('succeeded', 'failed', 'abandoned') AND action NOT IN (" + keep +
      ") AND op_id < (SELECT MAX(o.op_id) FROM operations o WHERE o.resource_id = operations.resource_id AND "
      "o.action = operations.action AND o.method = operations.method AND o.state = operations.state AND "
      "o.body_hash = operations.body_hash)";
  std::int64_t deleted = 0;
  transaction([&] {
    auto st = db_->prepare(sql.c_str());
    for (std::size_t i = 0; i < keep_all_of_actions.size(); ++i) st.bind(static_cast<int>(i + 1), keep_all_of_actions[i]);
    st.run();
    deleted = db_->changes();
    db_->prepare("INSERT INTO journal_compactions (at, deleted) VALUES (?, ?)").bind(1, now()).bind(2, deleted).run();
  });
  return deleted;
}

std::optional<std::string> Store::last_journal_compaction() {
  auto st = db_->prepare("SELECT MAX(at) FROM journal_compactions");
  if (st.step() && !st.is_null(0)) return st.text(0);
  return std::nullopt;
}

// ---- audit log -------------------------------------------------------------------------------

void Store::append_audit(const AuditRecord& r) {
  auto st = db_->prepare("INSERT INTO audit_log (at, op_id, resource_id, method, url, body_hash, client_request_id, "
                         "http_status, outcome, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, r.at.empty() ? now() : r.at);
  if (r.op_id) st.bind(2, *r.op_id);
  else st.bind_null(2);
  st.bind(3, r.resource_id).bind(4, r.method).bind(5, r.url).bind(6, r.body_hash).bind(7, r.client_request_id);
  if (r.http_status) st.bind(8, *r.http_status);
  else st.bind_null(8);
  st.bind(9, r.outcome).bind(10, r.duration_ms).run();
}

std::vector<AuditRecord> Store::audit_log() {
  std::vector<AuditRecord> out;
  auto st = db_->prepare("SELECT seq, at, op_id, resource_id, method, url, body_hash, client_request_id, http_status, "
                         "outcome, duration_ms FROM audit_log ORDER BY seq");
  while (st.step()) {
    AuditRecord r;
    r.seq = st.integer(0);
    r.at = st.text(1);
    if (!st.is_null(2)) r.op_id = st.integer(2);
    r.resource_id = st.text(3);
    r.method = st.text(4);
    r.url = st.text(5);
    r.body_hash = st.text(6);
    r.client_request_id = st.text(7);
    if (!st.is_null(8)) r.http_status = st.integer(8);
    r.outcome = st.text(9);
    r.duration_ms = st.integer(10);
    out.push_back(std::move(r));
  }
  return out;
}

// ---- resource status -------------------------------------------------------------------------

void Store::put_status(const ResourceStatus& s) {
  const std::string message = config::redact_secrets(s.message);
  auto cur = db_->prepare("SELECT kind, state, reason, message, spec_hash, failures, next_attempt_at FROM resource_status WHERE id = ?");
  cur.bind(1, s.id);
  if (cur.step() && cur.text(0) == s.kind && cur.text(1) == s.state && cur.text(2) == s.reason &&
      cur.text(3) == message && cur.text(4) == s.spec_hash && cur.integer(5) == s.failures &&
      cur.optional_text(6) == s.next_attempt_at)
    return;  // equivalent: not rewritten
  db_->prepare("INSERT INTO resource_status (id, kind, state, reason, message, spec_hash, failures, next_attempt_at, "
               "last_transition_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
               "kind = excluded.kind, state = excluded.state, reason = excluded.reason, message = excluded.message, "
               "spec_hash = excluded.spec_hash, failures = excluded.failures, next_attempt_at = excluded.next_attempt_at, "
               "last_transition_at = CASE WHEN resource_status.state = excluded.state AND resource_status.reason = "
               "excluded.reason THEN resource_status.last_transition_at ELSE excluded.last_transition_at END")
      .bind(1, s.id).bind(2, s.kind).bind(3, s.state).bind(4, s.reason).bind(5, message).bind(6, s.spec_hash)
      .bind(7, s.failures).bind_optional(8, s.next_attempt_at)
      .bind(9, s.last_transition_at.empty() ? now() : s.last_transition_at)
      .run();
}

void Store::put_statuses(const std::vector<ResourceStatus>& statuses) {
  transaction([&] {
    std::map<std::string, ResourceStatus> current;  // nocase id -> stored
    {
      auto st = db_->prepare("SELECT id, kind, state, reason, message, spec_hash, failures, next_attempt_at FROM resource_status");
      while (st.step())
        current[nocase_key(st.text(0))] = {st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5),
                                           static_cast<int>(st.integer(6)), st.optional_text(7), ""};
    }
    for (const auto& s : statuses) {
      auto it = current.find(nocase_key(s.id));
      if (it != current.end() && it->second.kind == s.kind && it->second.state == s.state && it->second.reason == s.reason &&
          it->second.message == s.message && it->second.spec_hash == s.spec_hash && it->second.failures == s.failures &&
          it->second.next_attempt_at == s.next_attempt_at)
        continue;  // equivalent: not rewritten (nor even looked up again)
      put_status(s);
    }
  });
}

std::vector<ResourceStatus> Store::statuses() {
  std::vector<ResourceStatus> out;
  auto st = db_->prepare("SELECT id, kind, state, reason, message, spec_hash, failures, next_attempt_at, "
                         "last_transition_at FROM resource_status ORDER BY id");
  while (st.step())
    out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5),
                   static_cast<int>(st.integer(6)), st.optional_text(7), st.text(8)});
  return out;
}

// ---- cycles ----------------------------------------------------------------------------------

namespace {
const char* kCycleColumns = "number, started_at, duration_ms, phase, remaining, writes, error, in_sync, pending, blocked, "
                            "failed, retired";
CycleRecord read_cycle(detail::Statement& st) {
  CycleRecord c{st.integer(0), st.text(1), st.integer(2), st.text(3), st.integer(4), st.integer(5), st.optional_text(6)};
  if (!st.is_null(7)) c.states = StateCounts{st.integer(7), st.integer(8), st.integer(9), st.integer(10), st.integer(11)};
  return c;
}
}  // namespace

// Counted as daemon/store_status counts them: every desired resource once, in its status row's state
// (pending without one), plus the retired resources that are no longer desired.
StateCounts Store::state_counts() {
  StateCounts n;
  auto st = db_->prepare(
      "SELECT COALESCE(s.state, 'pending'), COUNT(*) FROM desired d LEFT JOIN resource_status s ON s.id = d.id "
      "GROUP BY 1 UNION ALL SELECT 'retired', COUNT(*) FROM resource_status s "
      "WHERE s.state = 'retired' AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.id = s.id)");
  while (st.step()) {
    const std::string state = st.text(0);
    const std::int64_t count = st.integer(1);
    if (state == "in_sync") n.in_sync += count;
    else if (state == "blocked") n.blocked += count;
    else if (state == "failed") n.failed += count;
    else if (state == "retired") n.retired += count;
    else n.pending += count;
  }
  return n;
}

void Store::record_cycle(const CycleRecord& c) {
  const StateCounts n = state_counts();
  db_->prepare("INSERT OR REPLACE INTO cycles (number, started_at, duration_ms, phase, remaining, writes, error, "
               "in_sync, pending, blocked, failed, retired) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, c.number).bind(2, c.started_at).bind(3, c.duration_ms).bind(4, c.phase).bind(5, c.remaining)
      .bind(6, c.writes).bind_optional(7, redacted(c.error))
      .bind(8, n.in_sync).bind(9, n.pending).bind(10, n.blocked).bind(11, n.failed).bind(12, n.retired)
      .run();
}

std::vector<CycleRecord> Store::cycles() {
  std::vector<CycleRecord> out;
  auto st = db_->prepare((std::string("SELECT ") + kCycleColumns + " FROM cycles ORDER BY number").c_str());
  while (st.step()) out.push_back(read_cycle(st));
  return out;
}

std::optional<CycleRecord> Store::last_cycle() {
  auto st = db_->prepare((std::string("SELECT ") + kCycleColumns + " FROM cycles ORDER BY number DESC LIMIT 1").c_str());
  if (!st.step()) return std::nullopt;
  return read_cycle(st);
}

std::vector<CycleRecord> Store::recent_cycles(int limit) {
  std::vector<CycleRecord> out;
  auto st = db_->prepare((std::string("SELECT ") + kCycleColumns + " FROM cycles ORDER BY number DESC LIMIT ?").c_str());
  st.bind(1, limit);
  while (st.step()) out.push_back(read_cycle(st));
  return out;
}

std::optional<CycleRecord> Store::last_converged_cycle() {
  auto st = db_->prepare((std::string("SELECT ") + kCycleColumns +
                          " FROM cycles WHERE phase = 'converged' ORDER BY number DESC LIMIT 1").c_str());
  if (!st.step()) return std::nullopt;
  return read_cycle(st);
}

// ---- history ---------------------------------------------------------------------------------

std::vector<StatusChange> Store::status_history(const std::string& id) {
  std::vector<StatusChange> out;
  auto st = db_->prepare("SELECT id, at, state, reason, message FROM status_history WHERE id = ? ORDER BY seq");
  st.bind(1, id);
  while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4)});
  return out;
}

std::vector<FindingEvent> Store::finding_events(const std::string& source_id) {
  std::vector<FindingEvent> out;
  auto st = db_->prepare("SELECT at, event, origin, source_id, code, severity, message FROM finding_events "
                         "WHERE source_id = ? ORDER BY seq");
  st.bind(1, source_id);
  while (st.step()) {
    FindingEvent e;
    e.at = st.text(0);
    e.event = st.text(1);
    e.origin = st.text(2);
    e.finding.source_id = st.text(3);
    e.finding.code = st.text(4);
    e.finding.severity = severity_from_string(st.text(5));
    e.finding.message = st.text(6);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<AuditRecord> Store::audit_for(const std::string& resource_id) {
  std::vector<AuditRecord> out;
  for (auto& r : audit_log())
    if (nocase_key(r.resource_id) == nocase_key(resource_id)) out.push_back(std::move(r));
  return out;
}

std::vector<LastWrite> Store::last_writes() {
  std::map<std::int64_t, std::string> request_id;  // op_id -> the latest answer's request id
  {
    auto st = db_->prepare("SELECT op_id, client_request_id FROM audit_log WHERE op_id IS NOT NULL ORDER BY seq");
    while (st.step()) request_id[st.integer(0)] = st.text(1);
  }
  std::vector<LastWrite> out;
  auto st = db_->prepare("SELECT o.op_id, o.resource_id, o.action, o.state, o.updated_at, o.http_status, o.client_request_id "
                         "FROM operations o JOIN (SELECT MAX(op_id) AS op_id FROM operations GROUP BY lower(resource_id)) m "
                         "ON m.op_id = o.op_id ORDER BY o.resource_id");
  while (st.step()) {
    LastWrite w{st.text(1), st.text(2), st.text(3), st.text(4), "", std::nullopt};
    if (!st.is_null(5)) w.http_status = st.integer(5);
    auto it = request_id.find(st.integer(0));
    w.request_id = it != request_id.end() ? it->second : st.text(6);
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace bai2aml::state
