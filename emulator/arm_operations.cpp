// Long-running operations as ARM exposes them: the Azure-AsyncOperation status URL
// (.../locations/{loc}/operationsStatus/{id}) answers {"status": ...}; the Location result URL
// (.../locations/{loc}/operationResults/{id}) answers 202 while in progress, then 200 (or 204 after a delete).
#include <cmath>

#include "emulator/arm_path.hpp"
#include "emulator/context.hpp"
#include "emulator/resource_lifecycle.hpp"
#include "emulator/secret_redaction.hpp"

namespace bai2aml::emulator {

namespace {

int retry_after_seconds(const Context& ctx) {
  // ARM sends whole seconds; below one second of simulated work, 0 lets clients poll promptly.
  return ctx.options.lro_ms < 1000 ? 0 : static_cast<int>(std::ceil(ctx.options.lro_ms / 1000.0));
}

std::string operation_url(const Request& req, const std::string& subscription, Provider provider,
                          const std::string& location, const char* collection, const std::string& op_id) {
  return req.base_url + "/subscriptions/" + subscription + "/providers/" + provider_namespace(provider) +
         "/locations/" + location + "/" + collection + "/" + op_id + "?api-version=" + api_version(provider);
}

}  // namespace

std::string start_operation(Context& ctx, const std::string& resource_id, KindId kind, Operation::Action action,
                            const std::string& location) {
  Operation op;
  op.resource_id = resource_id;
  op.kind = kind;
  op.action = action;
  op.location = location;
  op.due = Operation::Clock::now() + std::chrono::milliseconds(ctx.options.lro_ms);
  op.will_fail = (action == Operation::Action::Create || action == Operation::Action::Update) &&
                 ctx.faults.fail_operation();
  return ctx.operations.start(op);
}

void add_operation_headers(const Context& ctx, const Request& req, Response& resp, const std::string& op_id,
                           Provider provider, const std::string& location, bool with_location) {
  auto path = parse_arm_path(req.path);
  const std::string subscription = path ? path->subscription : "";
  resp.set_header("Azure-AsyncOperation", operation_url(req, subscription, provider, location, "operationsStatus", op_id));
  if (with_location)
    resp.set_header("Location", operation_url(req, subscription, provider, location, "operationResults", op_id));
  resp.set_header("Retry-After", std::to_string(retry_after_seconds(ctx)));
}

void settle_operations(Context& ctx) {
  const auto now = Operation::Clock::now();
  if (!ctx.operations.any_due(now)) return;
  std::vector<Operation> due = ctx.operations.take_due(now);
  if (due.empty()) return;
  std::vector<Operation::Status> outcome(due.size(), Operation::Status::Succeeded);
  ctx.store.write([&](ResourceStore::Tx& tx) {
    for (size_t i = 0; i < due.size(); ++i) {
      const Operation& op = due[i];
      // A later write on the same resource owns its state now; this one simply ended.
      if (!ctx.operations.is_latest(op)) continue;
      nlohmann::json* r = tx.get(op.resource_id);
      if (op.action == Operation::Action::Delete) {
        if (r) tx.erase_tree(op.resource_id);
        continue;
      }
      if (!r) {
        outcome[i] = Operation::Status::Failed;  // deleted under the operation's feet
        continue;
      }
      complete_operation(op, op.will_fail, *r);
      if (op.will_fail) outcome[i] = Operation::Status::Failed;
    }
    return 0;
  });
  for (size_t i = 0; i < due.size(); ++i) ctx.operations.finish(due[i].id, outcome[i]);
}

Response handle_operation_request(Context& ctx, const Request& req, const ArmPath& p) {
  if (req.method != "GET")
    return arm_error(405, "MethodNotAllowed", "Operation URLs only support GET.");
  const bool result_url = iequals(p.types[1], "operationResults");
  auto op = ctx.operations.get(p.names[1]);
  auto op_path = op ? parse_arm_path(op->resource_id) : std::nullopt;
  if (!op || !op_path || !iequals(op_path->subscription, p.subscription) || !iequals(op->location, p.names[0]))
    return arm_error(404, "OperationNotFound", "The operation '" + p.names[1] + "' was not found.");
  Provider provider;
  provider_from_namespace(p.provider_ns, provider);

  if (!result_url) {
    nlohmann::json body = {{"id", req.path}, {"name", op->id}, {"status", to_string(op->status)},
                           {"startTime", op->start_time}};
    if (!op->end_time.empty()) body["endTime"] = op->end_time;
    if (op->status == Operation::Status::Failed)
      body["error"] = {{"code", "InternalServerError"},
                       {"message", "The long-running operation on " + op->resource_id + " failed. (injected fault)"}};
    Response r = json_response(200, body.dump());
    if (op->status == Operation::Status::InProgress) r.set_header("Retry-After", std::to_string(retry_after_seconds(ctx)));
    return r;
  }
  if (op->status == Operation::Status::InProgress) {
    Response r;
    r.status = 202;
    r.set_header("Location", req.base_url + req.path + "?api-version=" + api_version(provider));
    r.set_header("Retry-After", std::to_string(retry_after_seconds(ctx)));
    return r;
  }
  if (op->status == Operation::Status::Failed)
    return arm_error(500, "InternalServerError",
                     "The long-running operation on " + op->resource_id + " failed. (injected fault)");
  if (op->action != Operation::Action::Delete) {
    auto r = ctx.store.get(op->resource_id);
    if (r) return json_response(200, redact_secrets(op->kind, *r).dump());
  }
  Response r;
  r.status = 204;
  return r;
}

}  // namespace bai2aml::emulator
