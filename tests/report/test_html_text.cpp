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
