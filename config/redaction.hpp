// The one redaction of free text. Scrubbing by property name (translate/secret_scrub) cannot see a
// credential inside a command line, a mount command or an error body, so every such text that
// reaches a finding, the journal, resource_status, plan, report, status, an export or the logs
// passes through redact_secrets. It lives here, in the lowest layer, so that azure/, translate/,
// state/, reconcile/ and daemon/ all call the same function.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bai2aml::config {

inline constexpr const char* kRedactedMask = "***";

// Replaces the value of anything that looks like a credential with "***" (matching is
// case-insensitive):
//  - key=value secrets whose key ends in password, passwd, secret, token, accountkey, apikey,
//    accesskey, secretkey, privatekey, storagekey, sharedaccesskey, sharedaccesssignature or
//    client_assertion (with or without _ or -), or is sig, pwd, *_pwd or pass: connection strings,
//    SAS query strings, form bodies, `export DB_PASSWORD=...`, `-o username=u,password=p`;
//    a quoted value ("a b") is masked whole;
//  - the same names as long command-line options followed by a value: `--password p`, `--sas-token t`;
//  - JSON members with such a name (and "key"), also when the JSON is escaped inside a string;
//  - "Bearer <token>", bare JWTs (eyJ...x.y), storage account keys and other padded base64 keys
//    (44 characters or more ending in "=");
//  - the password of a URL's user information: scheme://user:***@host.
// Text without any of these comes back unchanged.
std::string redact_secrets(std::string_view text);

// The document with every string value (member names are kept) passed through redact_secrets:
// for the JSON outputs (plan --json, report --format json, inventory export). Iterative, so a
// deeply nested document cannot exhaust the stack.
nlohmann::json redact_secrets_in(nlohmann::json document);

}  // namespace bai2aml::config
