// Replaces secret_file_ref() placeholders ({"$secretFile": "/path"}) with the files' contents, only
// in the body about to be sent: the plan, the journal (which stores a hash) and the logs keep the
// references. One trailing newline is dropped (files written by `echo` or systemd credentials).
// Only references at the pointers the translator places (translate::secret_ref_pointers) are
// resolved; a body with a "$secretFile" anywhere else is refused whole, and no file is read.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "translate/model.hpp"

namespace bai2aml::reconcile {

// nullopt when a file cannot be read or the body holds a stray reference; *error names the file or
// the JSON pointer (never a file's content).
std::optional<nlohmann::json> resolve_secret_refs(translate::Kind kind, const nlohmann::json& body,
                                                  std::string* error = nullptr);

}  // namespace bai2aml::reconcile
