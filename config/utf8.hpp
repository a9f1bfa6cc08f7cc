// Text that reaches JSON output (status.json, plan --json, the report, ARM error bodies the emulator
// writes) must be valid UTF-8, or nlohmann's strict dump throws type_error.316. Text bai2aml did not
// write (an HTTP body cut at 200 bytes, a parse error quoting the bytes it choked on) is made so here.
// Text printed on a terminal is stripped of what a terminal would obey (terminal_text).
// Header-only: the emulator shares it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bai2aml::config {

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF), or 0.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (i + n > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

// `text` with every byte that is not part of well-formed UTF-8 replaced by '?'.
inline std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      out.push_back('?');
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

// `text` made safe to print on an operator's terminal (bai2aml history, status, report --format
// markdown print names and ARM error messages that anyone able to create a Batch AI resource or
// answer a request chose): every C0 control but tab (and newline when `keep_newlines`), DEL, each
// C1 control (U+0080-U+009F, which terminals may read as CSI/OSC) and each bidirectional override or
// isolate (U+202A-U+202E, U+2066-U+2069, which reorder what is shown) is written as a visible
// escape (\x1b, \u009b, \u202e); a byte that is not well-formed UTF-8 as \xNN. Other UTF-8 is kept.
inline std::string terminal_text(std::string_view text, bool keep_newlines = false) {
  std::string out;
  out.reserve(text.size());
  const auto escape = [&](char letter, unsigned value, int digits) {
    out += '\\';
    out += letter;
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += "0123456789abcdef"[(value >> shift) & 0xFu];
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      escape('x', c, 2);
      ++i;
      continue;
    }
    if (n == 1) {
      if ((c < 0x20 && c != '\t' && !(keep_newlines && c == '\n')) || c == 0x7F) escape('x', c, 2);
      else out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    const auto second = static_cast<unsigned char>(text[i + 1]);
    unsigned code_point = 0;
    if (n == 2 && c == 0xC2 && second <= 0x9F) code_point = second;  // U+0080-U+009F
    if (n == 3 && c == 0xE2) {
      const auto third = static_cast<unsigned char>(text[i + 2]);
      const unsigned cp = 0x2000u + ((second & 0x3Fu) << 6) + (third & 0x3Fu);
      if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) code_point = cp;
    }
    if (code_point) escape('u', code_point, 4);
    else out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace bai2aml::config
