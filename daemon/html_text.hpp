// Text from untrusted input (Batch AI names, ARM error messages, finding messages) made safe to put
// in an HTML page: secrets redacted, markup escaped, invalid UTF-8 replaced. The one gate every
// string in the HTML report goes through, as markup or as data for the page's script.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace bai2aml::daemon {

// Escapes & < > " ' (so the result is safe in element content and in quoted attribute values) and
// replaces each byte that is not part of valid UTF-8 with U+FFFD. Does not redact.
std::string html_escape(std::string_view text);

// redact_secrets, then html_escape: for every free text that reaches the page.
std::string html_text(std::string_view text);

// What html_escape does but the markup escaping: invalid UTF-8 replaced with U+FFFD, control
// characters but newline and tab made spaces. For strings the page's script puts in as text
// (textContent, never markup). Does not redact.
std::string page_string(std::string_view text);

// `data` as JSON text that can sit whole inside <script type="application/json">: every '<' is
// written \u003c, so no "</script" or "<!--" in a string can end or change the element, and U+2028
// and U+2029 are escaped for parsers that take JSON for JavaScript. Strings must already be valid
// UTF-8 (page_string); the dump replaces any that is not.
std::string json_in_script(const nlohmann::json& data);

}  // namespace bai2aml::daemon
