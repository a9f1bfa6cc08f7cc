// Pure validators: names and bodies per spec, without HTTP.
#include <catch2/catch.hpp>

#include "emulator/validators.hpp"

using namespace bai2aml::emulator;
using nlohmann::json;

TEST_CASE("AML compute names follow the 3-24 letters/digits/'-' rule") {
  CHECK(is_valid_aml_compute_name("gpu-cluster"));
  CHECK(is_valid_aml_compute_name("abc"));
  CHECK(is_valid_aml_compute_name("a23456789012345678901234"));
  CHECK_FALSE(is_valid_aml_compute_name("ab"));                          // too short
  CHECK_FALSE(is_valid_aml_compute_name("a234567890123456789012345"));  // 25
  CHECK_FALSE(is_valid_aml_compute_name("1gpu"));                        // starts with a digit
  CHECK_FALSE(is_valid_aml_compute_name("gpu_cluster"));                 // underscore
  CHECK_FALSE(is_valid_aml_compute_name("gpu-1"));                       // '-' not followed by a letter
  CHECK(is_valid_aml_compute_name("gpu-1a"));
  CHECK(validate_name(KindId::AmlCompute, "gpu-1")->code == kInvalidResourceName);
  CHECK_FALSE(validate_name(KindId::AmlWorkspace, "ws1"));
  CHECK(validate_name(KindId::AmlWorkspace, "w"));
  CHECK(validate_name(KindId::BatchAICluster, "bad name"));
}
