// libFuzzer target: the emulator's request validation. Byte 0 chooses the resource kind, byte 1 the
// check (resource name, PUT body, PATCH body, PUT over an existing resource); the rest is the body
// (or the name). The emulator answers whatever a client sends: exceptions escaping and sanitizer
// reports are bugs, and every refusal must name an ARM error code.
#include <cstddef>
#include <cstdint>
#include <string>

#include "emulator/body_checker.hpp"
#include "emulator/resource_kind.hpp"
#include "emulator/validators.hpp"

namespace {

using namespace bai2aml::emulator;

void check(const Validation& v) {
  if (v && (v->code.empty() || v->status < 400 || v->status > 499)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto kind = static_cast<KindId>(data[0] % (static_cast<int>(KindId::AmlJob) + 1));
  const std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);
  const int op = data[1] % 4;
  if (op == 0) {
    check(validate_name(kind, text));
    return 0;
  }
  nlohmann::json body;
  const auto parsed = parse_body(text, body, /*allow_empty=*/op == 2);
  check(parsed);
  if (parsed) return 0;
  if (op == 1) check(validate_put(kind, body));
  else if (op == 2) check(validate_patch(kind, body));
  else check(validate_replace(kind, body, body));
  return 0;
}
