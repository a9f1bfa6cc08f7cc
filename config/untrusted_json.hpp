// Parsing JSON the daemon did not write: the config, an inventory snapshot, every ARM answer, and
// (in the emulator) every request body. Nesting is bounded so that everything that walks a document
// recursively afterwards (normalization, secret scrubbing, dump) stays far from the stack's end: a
// hostile or broken peer sending "[[[[..." gets a clear error, not a crash loop. Header-only, so the
// emulator (which links no bai2aml layer) shares the same rule.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config/utf8.hpp"

namespace bai2aml::config {

// The deepest nesting accepted (objects and arrays count one level each; the root container is
// level 1). Real documents stay under 15: an AML job body is 6 deep, a spec example 9.
inline constexpr int kMaxJsonDepth = 64;

struct UntrustedJson {
  nlohmann::json value;  // null unless ok()
  std::string error;     // empty when the text parsed
  std::size_t byte = 0;  // a syntax error: the byte nlohmann stopped at (1-based); 0 otherwise
  bool ok() const { return error.empty(); }
};

namespace detail {
// nlohmann's own DOM builder, counting levels on the way: parsing is iterative in nlohmann, so the
// check costs one comparison per container, and the document stops growing at the limit.
class BoundedDomParser : public nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
  using Base = nlohmann::detail::json_sax_dom_parser<nlohmann::json>;

 public:
  BoundedDomParser(nlohmann::json& result, int max_depth) : Base(result, /*allow_exceptions=*/true), max_depth_(max_depth) {}
  bool start_object(std::size_t n) { return enter() && Base::start_object(n); }
  bool start_array(std::size_t n) { return enter() && Base::start_array(n); }
  bool end_object() { return --depth_, Base::end_object(); }
  bool end_array() { return --depth_, Base::end_array(); }
  bool too_deep() const { return too_deep_; }

 private:
  bool enter() {
    too_deep_ = ++depth_ > max_depth_;
    return !too_deep_;
  }
  int max_depth_;
  int depth_ = 0;
  bool too_deep_ = false;
};
}  // namespace detail

// Parses `text` strictly (ignore_comments: JSON with // and /* */ comments, as the config allows).
// On failure, `error` says why: nlohmann's parse error (with its byte position), or the depth limit.
inline UntrustedJson parse_untrusted_json(std::string_view text, bool ignore_comments = false,
                                          int max_depth = kMaxJsonDepth) {
  UntrustedJson out;
  try {
    detail::BoundedDomParser sax(out.value, max_depth);
    nlohmann::json::sax_parse(text.begin(), text.end(), &sax, nlohmann::json::input_format_t::json, /*strict=*/true,
                              ignore_comments);
    if (sax.too_deep()) out.error = "objects and arrays nested deeper than " + std::to_string(max_depth) + " levels";
  } catch (const nlohmann::json::parse_error& e) {
    out.error = valid_utf8(e.what());  // it quotes the bytes it stopped at, whatever they were
    out.byte = e.byte;
  } catch (const nlohmann::json::exception& e) {  // out_of_range.406: a number beyond double ("1e400")
    out.error = valid_utf8(e.what());
  }
  if (!out.ok()) out.value = nullptr;
  return out;
}

}  // namespace bai2aml::config
