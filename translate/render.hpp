// The offline plan, rendered: a stable JSON document (schema in translate/README.md) and the same
// content as text for people. Pure functions of a Translation.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "translate/model.hpp"

namespace bai2aml::translate {

inline constexpr int kPlanDocumentVersion = 1;

nlohmann::json translation_to_json(const Translation& t);
// The same, moving the bodies into the document (`plan --json` at 100,000 resources holds them once).
nlohmann::json translation_to_json(Translation&& t);

// Per AML workspace: the resources to create with their key settings, the name map, and the
// findings grouped by severity; then findings that belong to no migrated workspace; then totals.
std::string render_translation_text(const Translation& t);

}  // namespace bai2aml::translate
