// Golden test of the plan document on the shipped sample inventory. To regenerate after an
// intended change:
//   BAI2AML_UPDATE_GOLDEN=1 build-<you>/tests/translate/test_translate "[golden]"
// and review the diff of tests/translate/golden/ before committing it.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "tests/support/support.hpp"
#include "tests/translate/fixtures.hpp"
#include "translate/render.hpp"
#include "translate/translate.hpp"

using namespace bai2aml::translate;
using namespace bai2aml::translate::test;

namespace {

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = bai2aml::testing::source_dir() + "/tests/translate/golden/" + name;
  if (std::getenv("BAI2AML_UPDATE_GOLDEN")) {
    bai2aml::testing::write_file(path, actual, 0644);
    WARN("rewrote " << path);
    return;
  }
  const std::string expected = bai2aml::testing::read_file(path);
  // On failure, regenerate (see above) and diff to see what changed.
  CHECK(actual == expected);
}

}  // namespace

TEST_CASE("translation_to_json of the sample inventory matches the golden plan", "[golden]") {
  const Translation t = translate(sample_inventory(), sample_config());
  check_golden("sample-plan.json", translation_to_json(t).dump(2) + "\n");
  // plan --json moves the bodies into the document: the same document.
  Translation moved = t;
  CHECK(translation_to_json(std::move(moved)) == translation_to_json(t));
  CHECK(moved.resources.empty());
}

TEST_CASE("render_translation_text of the sample inventory matches the golden text", "[golden]") {
  const Translation t = translate(sample_inventory(), sample_config());
  check_golden("sample-plan.txt", render_translation_text(t));
}
