// The resource provider part of ARM: GET, LIST (paged), PUT, PATCH, DELETE and the job actions for every
// kind in resource_kind.hpp. Validation is delegated to validators.hpp, service-set properties to
// resource_lifecycle.hpp, long-running operations to arm_operations.cpp.
#include <chrono>

#include "emulator/aml_quota.hpp"
#include "emulator/json_util.hpp"
#include "emulator/arm_path.hpp"
#include "emulator/context.hpp"
#include "emulator/location.hpp"
#include "emulator/resource_lifecycle.hpp"
#include "emulator/secret_redaction.hpp"
#include "emulator/validators.hpp"

namespace bai2aml::emulator {

namespace {

using Tx = ResourceStore::Tx;
using nlohmann::json;

Response error_response(const ArmError& e) { return arm_error(e.status, e.code, e.message); }

Response resource_response(int status, KindId kind, const json& stored) {
  return json_response(status, redact_secrets(kind, stored).dump());
}

// Ids of the ancestors of the resource at `p` (outermost first), with their kinds.
std::vector<std::pair<std::string, const ResourceKind*>> ancestors(const ArmPath& p, const ResourceKind& kind) {
  std::vector<std::pair<std::string, const ResourceKind*>> out;
  std::string id = p.scope() + "/providers/" + provider_namespace(kind.provider);
  std::vector<std::string> types;
  for (size_t i = 0; i + 1 < kind.types.size() && i < p.names.size(); ++i) {
    id += "/" + kind.types[i] + "/" + p.names[i];
    types.push_back(kind.types[i]);
    out.emplace_back(id, find_kind(kind.provider, types));
  }
  return out;
}

// The location of the nearest ancestor that has one ("" when none).
std::string inherited_location(const Tx& tx, const ArmPath& p, const ResourceKind& kind) {
  auto chain = ancestors(p, kind);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    if (const json* r = tx.find(it->first); r && r->contains("location") && (*r)["location"].is_string())
      return (*r)["location"].get<std::string>();
  return "";
}

std::string operation_location(const json& r, const std::string& inherited) {
  std::string loc = r.contains("location") && r["location"].is_string() ? r["location"].get<std::string>() : inherited;
  loc = normalize_location(loc);
  return loc.empty() ? "global" : loc;
}

std::optional<Response> missing_parent(const Tx& tx, const ArmPath& p, const ResourceKind& kind,
                                       bool allow_missing_last = false) {
  auto chain = ancestors(p, kind);
  for (size_t i = 0; i < chain.size(); ++i) {
    if (allow_missing_last && i + 1 == chain.size()) break;
    if (!tx.exists(chain[i].first)) {
      const std::string& id = chain[i].first;
      return arm_error(404, "ParentResourceNotFound",
                       "Can not perform requested operation on nested resource. Parent resource '" +
                           id.substr(id.rfind('/') + 1) + "' (" + id + ") not found.");
    }
  }
  return std::nullopt;
}

Response not_found(const ArmPath& p, const ResourceKind& kind) {
  return arm_error(404, "ResourceNotFound",
                   "The Resource '" + kind.arm_type() + "/" + p.names.back() + "' under resource group '" +
                       p.resource_group + "' was not found.");
}

// ---- LIST ------------------------------------------------------------------------------------------

Response list_collection(Context& ctx, const Request& req, const ArmPath& p, const ResourceKind& kind) {
  if (req.method != "GET")
    return arm_error(405, "MethodNotAllowed", "The collection does not support the HTTP method '" + req.method + "'.");
  if (kind.types.size() > 1 && p.resource_group.empty())
    return arm_error(404, "NotFound", "No ARM collection at '" + req.path + "'.");
  // $skipToken: "<offset>:<key of the last item served>". The key makes each page O(log n + page) at
  // any collection size; the offset alone (tokens of older emulators) still works.
  size_t skip = 0;
  std::string after;
  if (const std::string* token = req.query_param("$skipToken")) {
    try {
      size_t used = 0;
      skip = std::stoul(*token, &used);
      if (used < token->size() && (*token)[used] == ':') after = token->substr(used + 1);
    } catch (const std::exception&) {
      return arm_error(400, "InvalidSkipToken", "The $skipToken '" + *token + "' is not one this service issued.");
    }
  }
  const size_t page = static_cast<size_t>(ctx.options.page_size);
  std::vector<json> items;
  std::string last_key;
  bool more = false;
  std::optional<Response> parent_error;
  ctx.store.read([&](const Tx& tx) {
    std::string collection;
    if (kind.types.size() == 1) {
      collection = ResourceStore::top_level_key(p.scope(), provider_namespace(kind.provider), kind.types[0]);
    } else {
      parent_error = missing_parent(tx, p, kind);
      if (parent_error) return 0;
      collection = ResourceStore::children_key(p.parent_id(kind), kind.types.back());
    }
    auto result = tx.page(collection, after, skip, page);
    for (const json* r : result.items) items.push_back(*r);
    last_key = result.last_key;
    more = result.more;
    return 0;
  });
  if (parent_error) return *parent_error;
  json body = {{"value", json::array()}};
  for (auto& r : items) body["value"].push_back(redact_secrets(kind.id, std::move(r)));
  if (more)
    body["nextLink"] = req.base_url + url_encode(req.path) + "?api-version=" + api_version(kind.provider) +
                       "&$skipToken=" + std::to_string(skip + items.size()) + url_encode(":" + last_key);
  return json_response(200, body.dump());
}

// ---- PUT -------------------------------------------------------------------------------------------

std::optional<Response> compute_name_taken(const Tx& tx, const std::string& key, const std::string& name,
                                           const std::string& location) {
  for (const json* r : tx.computes_named(location, name)) {
    if (id_key((*r)["id"].get<std::string>()) == key) continue;
    return arm_error(409, "Conflict",
                     "Compute name '" + name + "' is already in use in region '" + location + "' by " +
                         (*r)["id"].get<std::string>() + "; compute names are unique per region.");
  }
  return std::nullopt;
}

Response put_item(Context& ctx, const Request& req, const ArmPath& p, const ResourceKind& kind) {
  const std::string& name = p.names.back();
  if (auto e = validate_name(kind.id, name)) return error_response(*e);
  json body;
  if (auto e = parse_body(req.body, body, kind.id == KindId::BatchAIExperiment)) return error_response(*e);
  if (auto e = validate_put(kind.id, body)) return error_response(*e);
  const std::string id = p.item_id(kind);

  return ctx.store.write([&](Tx& tx) -> Response {
    // AML creates an environment container implicitly with its first version.
    const bool implicit_container = kind.id == KindId::AmlEnvironmentVersion;
    if (auto e = missing_parent(tx, p, kind, implicit_container)) return *e;
    const std::string parent_location = inherited_location(tx, p, kind);
    json* existing = tx.get(id);
    if (existing && kind.long_running && (provisioning_state_of(*existing) == "Deleting" ||
                                         provisioning_state_of(*existing) == "deleting"))
      return arm_error(409, "Conflict", "The resource '" + name + "' is being deleted; retry when the delete has finished.");
    if (existing)
      if (auto e = validate_replace(kind.id, *existing, body)) return error_response(*e);
    // AML keeps a compute whose provisioning failed, as it is, until it is deleted: a PUT over it
    // answers 200 with the Failed compute and provisions nothing (README: "Failed computes").
    if (existing && kind.id == KindId::AmlCompute && provisioning_state_of(*existing) == "Failed")
      return resource_response(200, kind.id, *existing);
    json stored = build_stored_resource(kind, body, existing, id, name, parent_location);
    if (kind.id == KindId::AmlCompute)
      if (auto e = compute_name_taken(tx, id_key(id), name, normalize_location(string_or(stored, "location", ""))))
        return *e;
    // Quotas as AML enforces them on creation and submission (aml_quota.hpp).
    if (kind.id == KindId::AmlCompute && !existing)
      if (auto e = refuse_compute_for_quota(ctx.quotas, tx, p.subscription, stored)) return *e;
    if (kind.id == KindId::AmlJob && !existing)
      if (auto e = refuse_job_for_quota(ctx.quotas, tx, stored)) return *e;
    if (implicit_container) {
      const std::string container_id = p.parent_id(kind);
      json* container = tx.get(container_id);
      if (!container) {
        json c = build_stored_resource(kind_info(KindId::AmlEnvironmentContainer), {{"properties", json::object()}},
                                       nullptr, container_id, p.names[p.names.size() - 2], "");
        tx.put(c);
        container = tx.get(container_id);
      }
      (*container)["properties"]["latestVersion"] = name;
    }
    const bool created = existing == nullptr;
    tx.put(stored);
    if (!kind.long_running) return resource_response(created ? 201 : 200, kind.id, stored);

    const std::string location = operation_location(stored, parent_location);
    const std::string op = start_operation(ctx, stored["id"].get<std::string>(), kind.id,
                                           created ? Operation::Action::Create : Operation::Action::Update, location);
    Response resp;
    if (kind.id == KindId::AmlCompute) {
      resp = resource_response(created ? 201 : 200, kind.id, stored);
      add_operation_headers(ctx, req, resp, op, kind.provider, location, false);
    } else {
      // AML workspaces and every Batch AI type: 202 Accepted, result via the operation URLs.
      resp.status = 202;
      add_operation_headers(ctx, req, resp, op, kind.provider, location, true);
    }
    return resp;
  });
}

// ---- PATCH -----------------------------------------------------------------------------------------

void merge_tags_and_properties(json& stored, const json& body) {
  if (body.contains("tags")) stored["tags"] = body["tags"];
  if (body.contains("properties") && body["properties"].is_object())
    for (const auto& [k, v] : body["properties"].items()) stored["properties"][k] = v;
}

Response patch_item(Context& ctx, const Request& req, const ArmPath& p, const ResourceKind& kind) {
  if (!kind.patchable)
    return arm_error(405, "MethodNotAllowed",
                     "The resource type '" + kind.arm_type() + "' does not support the HTTP method 'PATCH'.");
  json body;
  if (auto e = parse_body(req.body, body)) return error_response(*e);
  if (auto e = validate_patch(kind.id, body)) return error_response(*e);
  const std::string id = p.item_id(kind);
  return ctx.store.write([&](Tx& tx) -> Response {
    json* existing = tx.get(id);
    if (!existing) return not_found(p, kind);
    switch (kind.id) {
      case KindId::AmlCompute: {
        // Through put(): the region's core usage counts minNodeCount.
        json updated = *existing;
        updated["properties"]["properties"]["scaleSettings"] = body["properties"]["properties"]["scaleSettings"];
        updated["properties"]["properties"]["targetNodeCount"] =
            int_or(body["properties"]["properties"]["scaleSettings"], "minNodeCount", 0);
        updated["properties"]["modifiedOn"] = rfc3339_now();
        set_provisioning_state(kind.id, updated, "Updating");
        tx.put(updated);
        const std::string location = operation_location(updated, inherited_location(tx, p, kind));
        const std::string op =
            start_operation(ctx, updated["id"].get<std::string>(), kind.id, Operation::Action::Update, location);
        Response resp = resource_response(200, kind.id, updated);
        add_operation_headers(ctx, req, resp, op, kind.provider, location, false);
        return resp;
      }
      case KindId::BatchAICluster:
        (*existing)["properties"]["scaleSettings"] = body["properties"]["scaleSettings"];
        break;
      default:
        merge_tags_and_properties(*existing, body);
        break;
    }
    return resource_response(200, kind.id, *existing);
  });
}

// ---- DELETE ----------------------------------------------------------------------------------------

Response delete_item(Context& ctx, const Request& req, const ArmPath& p, const ResourceKind& kind) {
  const std::string id = p.item_id(kind);
  return ctx.store.write([&](Tx& tx) -> Response {
    json* existing = tx.get(id);
    if (!existing) {
      Response r;
      r.status = 204;
      return r;
    }
    if (!kind.long_running) {
      tx.erase_tree(id);
      Response r;
      r.status = 200;
      return r;
    }
    const std::string location = operation_location(*existing, inherited_location(tx, p, kind));
    set_provisioning_state(kind.id, *existing, "Deleting");
    const std::string op =
        start_operation(ctx, (*existing)["id"].get<std::string>(), kind.id, Operation::Action::Delete, location);
    Response resp;
    resp.status = 202;
    add_operation_headers(ctx, req, resp, op, kind.provider, location, true);
    return resp;
  });
}

// ---- GET -------------------------------------------------------------------------------------------

Response get_item(Context& ctx, const ArmPath& p, const ResourceKind& kind) {
  auto r = ctx.store.get(p.item_id(kind));
  if (!r) return not_found(p, kind);
  return resource_response(200, kind.id, *r);
}

// ---- POST actions ----------------------------------------------------------------------------------

Response post_action(Context& ctx, const Request& req, const ArmPath& p, const ResourceKind& kind,
                     const std::string& action) {
  if (req.method != "POST")
    return arm_error(405, "MethodNotAllowed", "The action '" + action + "' only supports POST.");
  const std::string id = p.item_id(kind);
  return ctx.store.write([&](Tx& tx) -> Response {
    json* job = tx.get(id);
    if (!job) return not_found(p, kind);
    auto& props = (*job)["properties"];
    Operation::Action op_action;
    if (kind.id == KindId::AmlJob) {
      const std::string status = string_or(props, "status", "");
      if (status == "Completed" || status == "Failed" || status == "Canceled" || status == "CancelRequested") {
        Response r;
        r.status = 200;
        return r;
      }
      props["status"] = "CancelRequested";
      op_action = Operation::Action::Cancel;
    } else {
      const std::string state = string_or(props, "executionState", "");
      if (state == "succeeded" || state == "failed" || state == "terminating") {
        Response r;
        r.status = 200;
        return r;
      }
      props["executionState"] = "terminating";
      props["executionStateTransitionTime"] = rfc3339_now();
      op_action = Operation::Action::Terminate;
    }
    const std::string location = operation_location(*job, inherited_location(tx, p, kind));
    const std::string op = start_operation(ctx, (*job)["id"].get<std::string>(), kind.id, op_action, location);
    Response resp;
    resp.status = 202;
    add_operation_headers(ctx, req, resp, op, kind.provider, location, true);
    return resp;
  });
}

}  // namespace

Response handle_resource_request(Context& ctx, const Request& req, const ArmPath& p) {
  Provider provider;
  provider_from_namespace(p.provider_ns, provider);
  if (p.types.size() > 1 && p.resource_group.empty())
    return arm_error(404, "NotFound", "No ARM resource or collection at '" + req.path + "'.");
  if (const ResourceKind* kind = find_kind(provider, p.types)) {
    if (!p.is_item()) return list_collection(ctx, req, p, *kind);
    if (p.resource_group.empty()) return arm_error(404, "NotFound", "No ARM resource at '" + req.path + "'.");
    if (req.method == "GET") return get_item(ctx, p, *kind);
    if (req.method == "PUT") return put_item(ctx, req, p, *kind);
    if (req.method == "PATCH") return patch_item(ctx, req, p, *kind);
    if (req.method == "DELETE") return delete_item(ctx, req, p, *kind);
    return arm_error(405, "MethodNotAllowed", "The HTTP method '" + req.method + "' is not supported here.");
  }
  // An action on an item: .../{type}/{name}/{action}
  if (!p.is_item() && p.types.size() >= 2) {
    std::vector<std::string> item_types(p.types.begin(), p.types.end() - 1);
    const ResourceKind* kind = find_kind(provider, item_types);
    if (kind && iequals(kind->action, p.types.back())) {
      ArmPath item = p;
      item.types = item_types;
      return post_action(ctx, req, item, *kind, kind->action);
    }
  }
  return arm_error(400, "InvalidResourceType",
                   "The resource type '" + p.types.back() + "' of namespace '" + p.provider_ns +
                       "' is not served by the emulator at '" + req.path + "'.");
}

}  // namespace bai2aml::emulator
