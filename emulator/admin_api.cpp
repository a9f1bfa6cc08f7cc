// Admin endpoints (DESIGN.md §4.4): no auth, loopback peers only, never counted in the stats.
// The resource view is the stored state, unredacted, so tests can check what a client really wrote.
#include "emulator/arm_path.hpp"
#include "emulator/context.hpp"
#include "emulator/seed.hpp"
#include "config/untrusted_json.hpp"

namespace bai2aml::emulator {

namespace {
Response no_content() {
  Response r;
  r.status = 204;
  return r;
}
}  // namespace

Response handle_admin_request(Context& ctx, const Request& req) {
  if (!req.loopback) return arm_error(403, "Forbidden", "Admin endpoints answer loopback clients only.");
  const std::string& path = req.path;
  if (path == "/_emulator/stats" && req.method == "GET") return json_response(200, ctx.stats.to_json().dump());
  if (path == "/_emulator/stats/reset" && req.method == "POST") {
    ctx.stats.reset();
    return no_content();
  }
  if (path == "/_emulator/resources") {
    if (req.method == "GET") {
      settle_operations(ctx);
      const std::string* prefix = req.query_param("prefix");
      nlohmann::json list = nlohmann::json::array();
      ctx.store.read([&](const ResourceStore::Tx& tx) {
        for (const auto* r : tx.with_prefix(prefix ? to_lower(*prefix) : "")) list.push_back(*r);
        return 0;
      });
      return json_response(200, nlohmann::json{{"resources", list}}.dump());
    }
    if (req.method == "PUT") {
      auto parsed = config::parse_untrusted_json(req.body);
      if (!parsed.ok()) return arm_error(400, "InvalidRequestContent", "The body is not valid JSON: " + parsed.error);
      nlohmann::json r = std::move(parsed.value);
      if (std::string err = check_seed_resource(r); !err.empty())
        return arm_error(400, "InvalidRequestContent", "The resource " + err + ".");
      ctx.store.write([&](ResourceStore::Tx& tx) {
        tx.put(r);
        return 0;
      });
      return json_response(200, r.dump());
    }
    if (req.method == "DELETE") {
      const std::string* id = req.query_param("id");
      if (!id || id->empty()) return arm_error(400, "MissingParameter", "DELETE /_emulator/resources needs ?id=ID.");
      const size_t n = ctx.store.write([&](ResourceStore::Tx& tx) { return tx.erase_tree(*id); });
      if (n == 0) return arm_error(404, "ResourceNotFound", "No resource with id '" + *id + "'.");
      return no_content();
    }
  }
  if (path == "/_emulator/failures") {
    if (req.method == "GET") return json_response(200, ctx.failures.to_json().dump());
    if (req.method == "DELETE") {
      ctx.failures.replace({});
      return no_content();
    }
    if (req.method == "PUT") {
      nlohmann::json body;
      try {
        body = nlohmann::json::parse(req.body);
      } catch (const nlohmann::json::parse_error& e) {
        return arm_error(400, "InvalidRequestContent", std::string("The body is not valid JSON: ") + e.what());
      }
      std::string error;
      auto rules = parse_failure_rules(body, &error);
      if (!rules) return arm_error(400, "InvalidRequestContent", "PUT /_emulator/failures: " + error + ".");
      ctx.failures.replace(std::move(*rules));
      return json_response(200, ctx.failures.to_json().dump());
    }
  }
  return arm_error(404, "NotFound", "Unknown admin endpoint '" + req.method + " " + path + "'.");
}

}  // namespace bai2aml::emulator
