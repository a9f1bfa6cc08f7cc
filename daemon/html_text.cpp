#include "daemon/html_text.hpp"

#include "config/utf8.hpp"
#include "daemon/logging.hpp"

namespace bai2aml::daemon {
namespace {

std::string clean(std::string_view text, bool escape_markup) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (escape_markup) {
      const char* entity = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;" : c == '\'' ? "&#39;" : nullptr;
      if (entity) {
        out += entity;
        ++i;
        continue;
      }
    }
    const std::size_t n = config::utf8_sequence_length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else if (n == 1 && static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
      out += ' ';  // control characters have no business in a page
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace

std::string html_escape(std::string_view text) { return clean(text, true); }

std::string html_text(std::string_view text) { return html_escape(redact_secrets(text)); }

std::string page_string(std::string_view text) { return clean(text, false); }

std::string json_in_script(const nlohmann::json& data) {
  const std::string text = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + 64);
  // '<', U+2028 and U+2029 only occur inside strings in JSON text, where an escape means the same.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<') {
      out += "\\u003c";
    } else if (text.compare(i, 2, "\xE2\x80") == 0 && i + 2 < text.size() && (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace bai2aml::daemon
