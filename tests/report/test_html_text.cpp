#include <catch2/catch.hpp>

#include "daemon/html_text.hpp"

using bai2aml::daemon::html_escape;
using bai2aml::daemon::html_text;

TEST_CASE("html_escape escapes markup and quotes") {
  CHECK(html_escape("<script>alert('x')</script> & \"q\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  CHECK(html_escape("plain text, caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x9A\x80") == "plain text, caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x9A\x80");
}

TEST_CASE("html_escape replaces invalid UTF-8 and control characters") {
  CHECK(html_escape(std::string("a\xFF" "b")) == "a\xEF\xBF\xBD" "b");
  CHECK(html_escape(std::string("\xC0\xAF")) == "\xEF\xBF\xBD\xEF\xBF\xBD");          // overlong '/'
  CHECK(html_escape(std::string("\xED\xA0\x80")) == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(html_escape(std::string("\xE2\x86")) == "\xEF\xBF\xBD\xEF\xBF\xBD");          // truncated
  CHECK(html_escape(std::string("a\x1b[31mb\nc\td")) == "a [31mb\nc\td");
  CHECK(html_escape(std::string("a\0b", 3)) == "a b");
}

TEST_CASE("html_text redacts secrets before escaping") {
  const auto out = html_text("mount failed: AccountKey=c2VjcmV0a2V5<x>; retry");
  CHECK(out.find("c2VjcmV0a2V5") == std::string::npos);
  CHECK(out.find("<") == std::string::npos);
}

TEST_CASE("page_string keeps markup for the script to put in as text - invalid UTF-8 and controls replaced") {
  using bai2aml::daemon::page_string;
  CHECK(page_string("<b>x</b> & \"q\"") == "<b>x</b> & \"q\"");
  CHECK(page_string("a\x1b[31mb\rc\nd\te\xFF") == "a [31mb c\nd\te\xEF\xBF\xBD");
}

TEST_CASE("json_in_script: no string can end the script element or a line of JavaScript") {
  using bai2aml::daemon::json_in_script;
  const nlohmann::json data = {"</script><script>alert(1)</script>", "<!--<script>", "a\xE2\x80\xA8" "b\xE2\x80\xA9" "c", 12};
  const auto text = json_in_script(data);
  CHECK(text == "[\"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>\",\"\\u003c!--\\u003cscript>\",\"a\\u2028b\\u2029c\",12]");
  CHECK(nlohmann::json::parse(text) == data);  // the same values back
  // An arrow or another character whose encoding shares the lead bytes is kept as it is.
  CHECK(json_in_script(nlohmann::json("\xE2\x80\xA6\xE2\x86\x92")) == "\"\xE2\x80\xA6\xE2\x86\x92\"");
}
