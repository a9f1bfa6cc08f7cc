// Replaces secret_file_ref() placeholders ({"$secretFile": "/path"}) with the files' contents, only
// in the body about to be sent: the plan, the journal (which stores a hash) and the logs keep the
// references. One trailing newline is dropped (files written by `echo` or systemd credentials).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace bai2aml::reconcile {

// nullopt when a file cannot be read; *error names the file (never its content).
std::optional<nlohmann::json> resolve_secret_refs(const nlohmann::json& body, std::string* error = nullptr);

}  // namespace bai2aml::reconcile
