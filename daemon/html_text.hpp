// Text from untrusted input (Batch AI names, ARM error messages, finding messages) made safe to put
// in an HTML page: secrets redacted, markup escaped, invalid UTF-8 replaced. The one gate every
// string in the HTML report goes through.
#pragma once

#include <string>
#include <string_view>

namespace bai2aml::daemon {

// Escapes & < > " ' (so the result is safe in element content and in quoted attribute values) and
// replaces each byte that is not part of valid UTF-8 with U+FFFD. Does not redact.
std::string html_escape(std::string_view text);

// redact_secrets, then html_escape: for every free text that reaches the page.
std::string html_text(std::string_view text);

}  // namespace bai2aml::daemon
