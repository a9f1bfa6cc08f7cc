// `bai2aml history ID`: the story of one resource (Batch AI or AML) as the database recorded it:
// each write bai2aml journalled with the requests Azure answered (time, outcome, ARM request id),
// the resource's state changes, and the findings raised and cleared about it. Gathering reads the
// store; rendering is pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "state/store.hpp"

namespace bai2aml::daemon {

struct HistoryEvent {
  std::string at;
  std::string type;         // write, state, finding
  std::string resource_id;  // the AML or Batch AI id it is about
  std::string summary;      // one line
  nlohmann::json detail;    // the record's fields
};

struct ResourceHistory {
  std::string query;
  bool found = false;
  std::string source_id;             // the Batch AI resource ("" when unknown), or the AML scope a finding is about
  std::vector<std::string> aml_ids;  // its AML counterparts, or the AML resource asked about
  std::vector<HistoryEvent> events;  // oldest first
};

// `id` is a Batch AI or AML ARM id, in any case. A Batch AI id gathers the story of all its AML
// counterparts; an AML id that of itself, with its Batch AI source's findings.
ResourceHistory gather_history(state::Store& store, const std::string& id);
nlohmann::json history_to_json(const ResourceHistory& h);
std::string history_to_text(const ResourceHistory& h);

}  // namespace bai2aml::daemon
