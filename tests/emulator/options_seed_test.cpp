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
