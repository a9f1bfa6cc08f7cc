// Batch AI ARM ids as the translation uses them: the parser is the config layer's
// (config/batchai_id.hpp, shared with azure/), named here as translate has always named it.
#pragma once

#include <string>

#include "config/batchai_id.hpp"

namespace bai2aml::translate {

using config::parse_batchai_id;
using config::SourceId;
using config::SourceKind;
using config::to_string;
using config::workspace_id_of;

// ARM ids compare case-insensitively: this is the key every lookup uses.
std::string id_key(const std::string& id);

}  // namespace bai2aml::translate
