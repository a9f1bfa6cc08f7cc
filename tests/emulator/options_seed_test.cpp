// Flag parsing and seed parsing.
#include <catch2/catch.hpp>

#include "emulator/options.hpp"
#include "emulator/seed.hpp"

using namespace bai2aml::emulator;

TEST_CASE("flags parse, and bad flags name themselves") {
  Options o;
  REQUIRE(parse_options({"--listen", "127.0.0.1:8080", "--seed", "s.json", "--lro-ms", "50", "--page-size=7",
                         "--fault-rate", "0.25", "--batchai-retired"},
                        o) == "");
  CHECK(o.listen_port == 8080);
  CHECK(o.lro_ms == 50);
  CHECK(o.page_size == 7);
  CHECK(o.fault_rate == Approx(0.25));
  CHECK(o.batchai_retired);
  Options bad;
  CHECK(parse_options({"--listen", "127.0.0.1:1", "--seed", "s", "--fault-rate", "2"}, bad).find("--fault-rate") !=
        std::string::npos);
  CHECK(parse_options({"--seed", "s"}, bad).find("--listen") != std::string::npos);
  CHECK(parse_options({"--listen", "127.0.0.1:1", "--seed", "s", "--bogus"}, bad).find("--bogus") != std::string::npos);
  CHECK(parse_options({"--listen", "127.0.0.1:1", "--seed", "s", "--tls-cert", "c"}, bad).find("--tls-key") !=
        std::string::npos);
}

TEST_CASE("seeds: resources need ids - quotas need known keys and non-negative integers") {
  auto seed = parse_seed(nlohmann::json::parse(R"({"resources":[],"quotas":{"East US":{"standardNCFamily":48}}})"), "s");
  CHECK(seed.quotas.limit("eastus", "standardNCFamily") == 48);
  CHECK(seed.quotas.limit("eastus", "standardDv2Family") == 100);
  CHECK(seed.quotas.limit("westus", "standardNCFamily") == 24);
  auto error_of = [](const char* text) {
    try {
      parse_seed(nlohmann::json::parse(text), "seed.json");
    } catch (const SeedError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error_of(R"({"resources":[{"name":"x"}]})").find("resources[0]") != std::string::npos);
  CHECK(error_of(R"({"resources":[{"id":"/not/arm"}]})").find("resources[0]") != std::string::npos);
  CHECK(error_of(R"({"resources":{}})").find("array") != std::string::npos);
  CHECK(error_of(R"({"resources":[],"quotas":{"eastus":{"standardXFamily":1}}})").find("standardXFamily") != std::string::npos);
  CHECK(error_of(R"({"resources":[],"quotas":{"eastus":{"totalDedicated":-1}}})").find("non-negative") != std::string::npos);
  CHECK(error_of(R"({"resources":[],"extra":1})").find("extra") != std::string::npos);
}
