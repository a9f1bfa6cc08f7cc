// The JSON Schema and the loader must accept exactly the same keys.
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "config/config_loader.hpp"
#include "tests/config/config_test_support.hpp"

using namespace bai2aml;
using namespace bai2aml::testing;
using nlohmann::json;

namespace {

// Key paths of the schema (sections and leaves); a map ("additionalProperties": {object schema}) contributes "<map>.*.<key>".
void schema_paths(const json& node, const std::string& prefix, std::set<std::string>& out) {
  if (node.contains("properties")) {
    for (const auto& [k, v] : node["properties"].items()) {
      const std::string p = prefix.empty() ? k : prefix + "." + k;
      if (v.contains("properties")) {
        out.insert(p);  // a section: the loader asks for it too
        schema_paths(v, p, out);
      } else if (v.contains("additionalProperties") && v["additionalProperties"].is_object() &&
                 v["additionalProperties"].contains("properties")) {
        out.insert(p);
        schema_paths(v["additionalProperties"], p + ".*", out);
      } else {
        out.insert(p);
      }
    }
  }
}

// Loader paths with map keys replaced by "*": mapping.ssh["*"].admin_user_name -> mapping.ssh.*.admin_user_name.
std::set<std::string> normalized(const std::set<std::string>& accepted) {
  std::set<std::string> out;
  static const std::regex quoted(R"(\["(?:[^"\\]|\\.)*"\])");
  static const std::regex dotted_map_key(R"(^(mapping\.(?:file_servers|ssh))\.[^.]+(\..+)$)");
  for (auto p : accepted) {
    p = std::regex_replace(p, quoted, ".*");
    p = std::regex_replace(p, dotted_map_key, "$1.*$2");
    out.insert(p);
  }
  return out;
}

}  // namespace

TEST_CASE("schema and loader agree on the key set") {
  const json schema = json::parse(read_file(source_dir() + "/config/bai2aml.schema.json"));
  std::set<std::string> from_schema;
  schema_paths(schema, "", from_schema);

  TempDir creds;
  write_file(creds.file("client-secret"), "x");
  write_file(creds.file("storage-batchaidata"), "x");
  write_file(creds.file("ssh-public-key"), "x");
  config::LoadOptions o;
  o.credentials_directory = creds.path();
  auto r = config::load_config_file(source_dir() + "/config/bai2aml.example.json", o);
  INFO(all_messages(r));
  REQUIRE(r.ok());
  const auto from_loader = normalized(r.accepted_keys);

  std::set<std::string> only_schema, only_loader;
  for (const auto& p : from_schema)
    if (!from_loader.count(p)) only_schema.insert(p);
  for (const auto& p : from_loader)
    if (!from_schema.count(p)) only_loader.insert(p);
  INFO("only in schema: " << json(only_schema).dump() << "\nonly in loader: " << json(only_loader).dump());
  CHECK(only_schema.empty());
  CHECK(only_loader.empty());
  CHECK(from_schema.size() > 40);  // the schema was read, not an empty document
}

TEST_CASE("the example config names every key of the schema") {
  const json schema = json::parse(read_file(source_dir() + "/config/bai2aml.schema.json"));
  std::set<std::string> from_schema;
  schema_paths(schema, "", from_schema);
  const json example = json::parse(read_file(source_dir() + "/config/bai2aml.example.json"), nullptr, true, true);
  for (const auto& p : from_schema) {
    std::string pointer = "/" + std::regex_replace(p, std::regex(R"(\.)"), "/");
    pointer = std::regex_replace(pointer, std::regex(R"(/\*)"), "");
    // Map entries: check the map exists in the example and has at least one entry.
    bool present = false;
    try {
      const auto& node = example.at(json::json_pointer(pointer.substr(0, pointer.find("/*"))));
      present = !node.is_object() || !node.empty() || p.find(".*") == std::string::npos;
    } catch (const json::exception&) {
      // The map-entry field: look inside the first entry of the map.
      const auto map_path = p.substr(0, p.find(".*"));
      const auto field = p.substr(p.find(".*") + 3);
      const auto& m = example.at(json::json_pointer("/" + std::regex_replace(map_path, std::regex(R"(\.)"), "/")));
      present = !m.empty() && m.begin()->contains(field);
    }
    INFO(p);
    CHECK(present);
  }
}
