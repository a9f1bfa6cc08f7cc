// config/url: the URL parser and loopback rule shared by the config validator and the azure/ pipeline.
#include <catch2/catch.hpp>

#include "config/url.hpp"

using bai2aml::config::is_loopback_host;
using bai2aml::config::parse_url;

TEST_CASE("parse_url splits scheme, host, port and path", "[url]") {
  auto u = parse_url("https://Management.Azure.com/subscriptions/x?api-version=1");
  REQUIRE(u);
  CHECK(u->scheme == "https");
  CHECK(u->host == "management.azure.com");
  CHECK(u->port == 443);
  CHECK(u->path_and_query == "/subscriptions/x?api-version=1");
  CHECK(u->origin() == "https://management.azure.com:443");
  auto v = parse_url("HTTP://127.0.0.1:8080");
  REQUIRE(v);
  CHECK(v->scheme == "http");
  CHECK(v->port == 8080);
  CHECK(v->path_and_query == "/");
  auto w = parse_url("http://[::1]:9/a");
  REQUIRE(w);
  CHECK(w->host == "::1");
  CHECK(w->port == 9);
  CHECK(w->origin() == "http://[::1]:9");
  auto q = parse_url("http://example.com?x=1");
  REQUIRE(q);
  CHECK(q->path_and_query == "/?x=1");
  CHECK(parse_url("http://example.com:/")->port == 80);
}

TEST_CASE("parse_url rejects what is not an absolute http(s) URL to one host", "[url]") {
  for (const char* bad : {"ftp://x/", "/relative/path", "management.azure.com", "https://", "http://host:99999/",
                          "https://host:0/", "http://host:8o/", "http://user:pw@host/", "http://user@host/",
                          "http://::1/", "http://[::1/", "http://[not-v6]/", "http://[::1]x/", "http://a b/",
                          "http://host:80:81/"}) {
    INFO(bad);
    CHECK_FALSE(parse_url(bad));
  }
}

TEST_CASE("loopback hosts are 127.0.0.0/8, ::1 and localhost only", "[url]") {
  for (const char* host : {"127.0.0.1", "127.9.8.7", "127.255.255.255", "::1", "0:0:0:0:0:0:0:1", "localhost",
                           "LocalHost"})
    CHECK(is_loopback_host(host));
  for (const char* host : {"128.0.0.1", "126.255.255.255", "127.0.0.256", "169.254.169.254", "127.0.0.1.evil.example",
                           "::2", "::ffff:10.0.0.1", "localhost.evil.example", ""})
    CHECK_FALSE(is_loopback_host(host));
}
