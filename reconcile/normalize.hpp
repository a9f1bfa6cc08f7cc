// The comparable projection of an AML resource body, so that a converged resource never causes a
// write. normalize() drops what the server populates (provisioningState, createdOn, systemData,
// etag, id/name/type, job status and services, node counts, ...), drops secrets (secret_file_ref
// placeholders and the secret fields GET never returns), drops nulls, and canonicalizes values
// that compare case- or format-insensitively: enum values, VM sizes, locations, ARM ids (lower
// case) and ISO-8601 durations (PT120S == PT2M == 00:02:00 -> "PT120S").
// differences() then compares desired against observed, key by key on the desired side: a field
// the server adds (a default, a read-only value) is not a difference; a field bai2aml asks for and
// the server shows otherwise, or not at all, is.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "translate/model.hpp"

namespace bai2aml::reconcile {

nlohmann::json normalize(translate::Kind kind, const nlohmann::json& body);

// JSON-pointer paths ("/properties/properties/vmSize") where normalized `desired` is not matched by
// normalized `observed`. Empty when the observed resource already satisfies the desired one.
// Objects named "userAccountCredentials" or "secrets" that the server omits entirely are not
// differences (their content is write-only).
std::vector<std::string> differences(const nlohmann::json& desired, const nlohmann::json& observed);

// An ISO-8601 duration (PnDTnHnMnS, case-insensitive, fractional seconds allowed) or a .NET
// TimeSpan ([d.]hh:mm:ss[.f]) as whole seconds with fraction; nullopt when the text is neither, or
// uses years/months/weeks (whose length in seconds is not fixed).
std::optional<double> duration_seconds(const std::string& text);

}  // namespace bai2aml::reconcile
