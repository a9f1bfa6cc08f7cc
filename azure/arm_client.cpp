#include "azure/arm_client.hpp"

#include <algorithm>
#include <cctype>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "azure/api_versions.hpp"
#include "azure/arm_pipeline.hpp"
#include "azure/credentials/credentials.hpp"
#include "config/untrusted_json.hpp"

#include "config/redaction.hpp"

namespace bai2aml::azure {

namespace {

using nlohmann::json;

ArmError client_error(const char* code, std::string message, const std::string& request_id = "",
                      int status = 0) {
  ArmError e;
  e.code = code;
  e.message = std::move(message);
  e.request_id = request_id;
  e.http_status = status;
  e.retryable = code == std::string(errc::kInvalidResponse);  // a garbled answer may be transient
  return e;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Parses a JSON body; empty bodies give null. Malformed JSON is an error naming the call.
Result<json> parse_body(const Response& r, const std::string& what) {
  if (r.body.empty()) return json(nullptr);
  auto parsed = config::parse_untrusted_json(r.body);
  if (!parsed.ok()) {
    return client_error(errc::kInvalidResponse, what + ": response body is not JSON (" + parsed.error + ")",
                        r.arm_request_id(), r.status);
  }
  return std::move(parsed.value);
}

std::string provisioning_state(const json& resource) {
  if (resource.is_object() && resource.contains("properties") && resource["properties"].is_object()) {
    const auto& p = resource["properties"];
    if (p.contains("provisioningState") && p["provisioningState"].is_string()) {
      return p["provisioningState"].get<std::string>();
    }
  }
  return "";
}

bool is_terminal_success(const std::string& state) { return state.empty() || lower(state) == "succeeded"; }
bool is_terminal_failure(const std::string& state) {
  const auto s = lower(state);
  return s == "failed" || s == "canceled" || s == "cancelled";
}

ArmError operation_error(const json& body, const std::string& state, const std::string& what, const Response& r) {
  ArmError e;
  e.http_status = r.status;
  e.request_id = r.arm_request_id();
  const bool canceled = lower(state) != "failed";
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const auto& err = body["error"];
    if (err.contains("code") && err["code"].is_string()) e.code = err["code"].get<std::string>();
    if (err.contains("message") && err["message"].is_string()) e.message = err["message"].get<std::string>();
  }
  if (e.code.empty()) e.code = canceled ? errc::kOperationCanceled : errc::kOperationFailed;
  // The error text is the service's free text: it may echo what was sent.
  e.message = config::redact_secrets(what + " ended " + state + (e.message.empty() ? "" : ": " + e.message));
  e.retryable = is_retryable_arm_code(e.code, r.status);
  return e;
}

}  // namespace

class ArmClient::Impl : public std::enable_shared_from_this<ArmClient::Impl> {
 public:
  Impl(boost::asio::io_context& io, std::string endpoint, Pipeline pipeline, ArmClientOptions options)
      : io_(io), endpoint_(std::move(endpoint)), pipeline_(std::move(pipeline)), options_(std::move(options)) {
    while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
    endpoint_url_ = parse_url(endpoint_);
  }

  boost::asio::io_context& io_;
  std::string endpoint_;
  std::optional<Url> endpoint_url_;
  Pipeline pipeline_;
  ArmClientOptions options_;
  std::shared_ptr<TokenCredential> credential_;  // kept alive with the pipeline that uses it

  std::string url_for(const std::string& path_or_url) const {
    if (path_or_url.rfind("http://", 0) == 0 || path_or_url.rfind("https://", 0) == 0) return path_or_url;
    std::string url = endpoint_ + (path_or_url.empty() || path_or_url[0] != '/' ? "/" : "") + path_or_url;
    const auto query = path_or_url.find('?');
    const std::string path = path_or_url.substr(0, query);
    if (query == std::string::npos || path_or_url.find("api-version=", query) == std::string::npos) {
      const auto version = api_version_for(path);
      if (!version.empty()) url += std::string(query == std::string::npos ? "?" : "&") + "api-version=" + version;
    }
    return url;
  }

  // A URL the service gave us (nextLink, Azure-AsyncOperation, Location) must stay on the ARM
  // endpoint: our bearer token goes wherever it points.
  bool on_arm_endpoint(const std::string& url) const {
    const auto u = parse_url(url);
    return u && endpoint_url_ && u->origin() == endpoint_url_->origin();
  }

  void call(const std::string& method, const std::string& url, const json* body, ResponseCallback done) {
    if (!on_arm_endpoint(url)) {
      // Completed from the io_context like every other answer, never inside the caller's call.
      boost::asio::post(io_, [done = std::move(done),
                               e = client_error(errc::kInvalidUrl, method + " " + url + ": not on the ARM endpoint " +
                                                                        endpoint_)]() { done(e); });
      return;
    }
    Request request;
    request.method = method;
    request.url = url;
    request.headers["Accept"] = "application/json";
    if (body && !body->is_null()) {
      request.headers["Content-Type"] = "application/json";
      request.body = body->dump();
    }
    pipeline_.send(std::move(request), std::move(done));
  }

  std::chrono::milliseconds poll_delay(const Response& r) const {
    const auto server = retry_after(r.headers);
    const auto wanted = server ? *server : options_.default_poll_interval;
    return std::clamp(wanted, options_.min_poll_interval, std::max(options_.min_poll_interval, options_.max_poll_interval));
  }

  // A GET answered 200 with a JSON body (null when empty); any other answer is the caller's error.
  struct JsonAnswer {
    Response response;
    json body;
  };
  void get_json(const std::string& url, Callback<JsonAnswer> done) {
    call("GET", url, nullptr, [url, done = std::move(done)](Result<Response> result) {
      if (!result) return done(result.error());
      auto& r = result.value();
      if (r.status != 200) return done(error_from_response(r));
      auto body = parse_body(r, "GET " + url);
      if (!body) return done(body.error());
      done(JsonAnswer{std::move(r), std::move(body.value())});
    });
  }

  void get(const std::string& id, Callback<json> done) {
    get_json(url_for(id), [done = std::move(done)](Result<JsonAnswer> answer) {
      if (!answer) return done(answer.error());
      done(std::move(answer.value().body));
    });
  }

  void list_page(std::string url, std::shared_ptr<std::vector<json>> items, int page, Callback<std::vector<json>> done) {
    auto self = shared_from_this();
    get_json(url, [self, url, items, page, done = std::move(done)](Result<JsonAnswer> answer) mutable {
      if (!answer) return done(answer.error());
      const auto& r = answer.value().response;
      const auto& j = answer.value().body;
      if (!j.is_object() || !j.contains("value") || !j["value"].is_array()) {
        return done(client_error(errc::kInvalidResponse, "GET " + url + ": a list response needs a \"value\" array",
                                 r.arm_request_id(), r.status));
      }
      for (const auto& item : j["value"]) items->push_back(item);
      std::string next;
      if (j.contains("nextLink") && !j["nextLink"].is_null()) {
        if (!j["nextLink"].is_string()) {
          return done(client_error(errc::kInvalidResponse, "GET " + url + ": \"nextLink\" is not a string",
                                   r.arm_request_id(), r.status));
        }
        next = j["nextLink"].get<std::string>();
      }
      if (next.empty()) return done(std::move(*items));
      if (page + 1 >= self->options_.max_pages) {
        return done(client_error(errc::kInvalidResponse,
                                 "GET " + url + ": more than " + std::to_string(self->options_.max_pages) + " pages",
                                 r.arm_request_id(), r.status));
      }
      self->list_page(next, items, page + 1, std::move(done));
    });
  }

  void begin(OperationKind kind, const std::string& path, const json* body, Callback<WriteOutcome> done) {
    const auto url = url_for(path);
    const std::string method = to_string(kind);
    const std::string resource_id = path.substr(0, path.find('?'));
    auto self = shared_from_this();
    call(method, url, body, [self, kind, url, method, resource_id, done = std::move(done)](Result<Response> result) {
      if (!result) return done(result.error());
      const auto& r = result.value();
      const std::string what = method + " " + url;
      if (kind == OperationKind::Delete && (r.status == 404 || r.status == 204)) {
        WriteOutcome out;
        out.done = true;
        out.http_status = r.status;
        out.request_id = r.arm_request_id();
        return done(std::move(out));
      }
      if (r.status < 200 || r.status > 299) return done(error_from_response(r));
      auto parsed = parse_body(r, what);
      if (!parsed) return done(parsed.error());
      OperationToken token;
      token.kind = kind;
      token.resource_id = resource_id;
      token.poll_url = r.header("Azure-AsyncOperation").value_or("");
      token.location_url = r.header("Location").value_or("");
      token.request_id = r.arm_request_id();
      for (const auto* u : {&token.poll_url, &token.location_url}) {
        if (!u->empty() && !self->on_arm_endpoint(*u)) {
          return done(client_error(errc::kInvalidResponse, what + ": operation URL " + *u + " is not on the ARM endpoint",
                                   r.arm_request_id(), r.status));
        }
      }
      const bool async_headers = !token.poll_url.empty() || !token.location_url.empty();
      const std::string state = provisioning_state(parsed.value());
      WriteOutcome out;
      out.http_status = r.status;
      out.request_id = token.request_id;
      if ((r.status == 201 || r.status == 202) && async_headers) {
        out.operation = token;
        out.retry_after = self->poll_delay(r);
      } else if (r.status == 202 || (r.status == 201 && !is_terminal_success(state))) {
        // Accepted without a URL to follow: poll the resource itself.
        if (is_terminal_failure(state)) return done(operation_error(parsed.value(), state, what, r));
        out.operation = token;
        out.retry_after = self->poll_delay(r);
      } else {
        if (is_terminal_failure(state)) return done(operation_error(parsed.value(), state, what, r));
        out.done = true;
        out.resource = std::move(parsed.value());
      }
      done(std::move(out));
    });
  }

  // Tokens journalled before they carried the write's id fall back on the poll's own.
  static std::string write_request_id(const OperationToken& token, const Response& r) {
    return token.request_id.empty() ? r.arm_request_id() : token.request_id;
  }

  // The operation reached Succeeded (`last` is the response that said so): read back what it produced.
  void finish(const OperationToken& token, const Response& last, ReadBack read_back, Callback<WriteOutcome> done) {
    auto ok = [status = last.status, request_id = write_request_id(token, last)](json resource) {
      WriteOutcome out;
      out.done = true;
      out.http_status = status;
      out.request_id = request_id;
      out.resource = std::move(resource);
      return out;
    };
    if (token.kind == OperationKind::Delete || read_back == ReadBack::None) return done(ok(nullptr));
    if (token.kind == OperationKind::Post) {
      if (token.location_url.empty()) return done(ok(nullptr));
      const auto url = token.location_url;
      call("GET", url, nullptr, [url, ok, done = std::move(done)](Result<Response> result) {
        if (!result) return done(result.error());
        const auto& r = result.value();
        if (r.status < 200 || r.status > 299) return done(error_from_response(r));
        auto body = parse_body(r, "GET " + url);
        if (!body) return done(body.error());
        done(ok(std::move(body.value())));
      });
      return;
    }
    get(token.resource_id, [ok, done = std::move(done)](Result<json> resource) {
      if (!resource) return done(resource.error());
      done(ok(std::move(resource.value())));
    });
  }

  void poll(const OperationToken& token, ReadBack read_back, Callback<WriteOutcome> done) {
    auto self = shared_from_this();
    const auto in_progress = [self, token](const Response& r) {
      WriteOutcome out;
      out.http_status = r.status;
      out.request_id = write_request_id(token, r);
      out.operation = token;
      out.retry_after = self->poll_delay(r);
      return out;
    };
    if (!token.poll_url.empty()) {
      const auto url = token.poll_url;
      get_json(url, [self, token, read_back, url, in_progress, done = std::move(done)](Result<JsonAnswer> answer) {
        if (!answer) return done(answer.error());
        const auto& r = answer.value().response;
        const auto& j = answer.value().body;
        if (!j.is_object() || !j.contains("status") || !j["status"].is_string()) {
          return done(client_error(errc::kInvalidResponse, "GET " + url + ": operation status has no \"status\" string",
                                   r.arm_request_id(), r.status));
        }
        const auto status = j["status"].get<std::string>();
        if (lower(status) == "succeeded") return self->finish(token, r, read_back, std::move(done));
        if (is_terminal_failure(status)) {
          return done(operation_error(j, status, std::string(to_string(token.kind)) + " " + token.resource_id, r));
        }
        done(in_progress(r));  // InProgress, Accepted, Running, or any state ARM invents
      });
      return;
    }
    if (!token.location_url.empty()) {
      const auto url = token.location_url;
      call("GET", url, nullptr,
           [self, token, read_back, url, in_progress, done = std::move(done)](Result<Response> result) {
        if (!result) return done(result.error());
        const auto& r = result.value();
        if (r.status == 202) return done(in_progress(r));
        if (token.kind == OperationKind::Delete && r.status == 404) return self->finish(token, r, read_back, std::move(done));
        if (r.status < 200 || r.status > 299) return done(error_from_response(r));
        self->finish(token, r, read_back, std::move(done));
      });
      return;
    }
    // No operation URL: the resource's provisioningState (or, for DELETE, its disappearance) tells.
    const auto url = url_for(token.resource_id);
    call("GET", url, nullptr, [self, token, read_back, url, in_progress, done = std::move(done)](Result<Response> result) {
      if (!result) return done(result.error());
      const auto& r = result.value();
      if (token.kind == OperationKind::Delete) {
        if (r.status == 404) return self->finish(token, r, read_back, std::move(done));
        if (r.status == 200) return done(in_progress(r));
        return done(error_from_response(r));
      }
      if (r.status != 200) return done(error_from_response(r));
      auto body = parse_body(r, "GET " + url);
      if (!body) return done(body.error());
      const auto state = provisioning_state(body.value());
      if (is_terminal_success(state)) {
        WriteOutcome out;
        out.done = true;
        out.http_status = r.status;
        out.request_id = write_request_id(token, r);
        out.resource = std::move(body.value());
        return done(std::move(out));
      }
      if (is_terminal_failure(state)) {
        return done(operation_error(body.value(), state, std::string(to_string(token.kind)) + " " + token.resource_id, r));
      }
      done(in_progress(r));
    });
  }

  void wait(const OperationToken& token, ReadBack read_back, Callback<WriteOutcome> done) {
    auto self = shared_from_this();
    poll(token, read_back, [self, read_back, done = std::move(done)](Result<WriteOutcome> result) mutable {
      if (!result || result.value().done) return done(std::move(result));
      self->wait_after(*result.value().operation, result.value().retry_after, read_back, std::move(done));
    });
  }

  void wait_after(const OperationToken& token, std::chrono::milliseconds delay, ReadBack read_back,
                  Callback<WriteOutcome> done) {
    auto self = shared_from_this();
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, delay);
    timer->async_wait([self, timer, token, read_back, done = std::move(done)](const boost::system::error_code&) mutable {
      self->wait(token, read_back, std::move(done));
    });
  }

  void begin_and_wait(OperationKind kind, const std::string& id, const json* body, Callback<WriteOutcome> done,
                      AcceptedHook on_accepted) {
    auto self = shared_from_this();
    begin(kind, id, body, [self, done = std::move(done), on_accepted = std::move(on_accepted)](
                              Result<WriteOutcome> result) mutable {
      if (!result || result.value().done) return done(std::move(result));
      const auto token = *result.value().operation;
      if (on_accepted) on_accepted(token);
      self->wait_after(token, result.value().retry_after, ReadBack::Resource, std::move(done));
    });
  }
};

ArmClient::ArmClient(boost::asio::io_context& io, const config::Azure& azure, ArmClientOptions options,
                     std::shared_ptr<RequestCounters> counters) {
  const auto transport = transport_options_for(azure, options.timeout);
  // The counters are ARM's (bai2aml_arm_requests_total, the writes of a pass): a token request to
  // the identity endpoint is neither.
  auto credential = make_credential(azure, make_token_pipeline(io, transport, options.retry, nullptr));
  auto pipeline = make_arm_pipeline(io, transport, options.retry, options.throttle, credential, counters);
  impl_ = std::make_shared<Impl>(io, azure.arm_endpoint, std::move(pipeline), std::move(options));
  impl_->credential_ = std::move(credential);
}

ArmClient::ArmClient(boost::asio::io_context& io, std::string arm_endpoint, Pipeline pipeline, ArmClientOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(arm_endpoint), std::move(pipeline), std::move(options))) {}

ArmClient::~ArmClient() { impl_->pipeline_.shutdown(); }

const std::string& ArmClient::arm_endpoint() const { return impl_->endpoint_; }
std::string ArmClient::url_for(const std::string& path_or_url) const { return impl_->url_for(path_or_url); }

void ArmClient::get(const std::string& id, Callback<nlohmann::json> done) { impl_->get(id, std::move(done)); }

void ArmClient::list(const std::string& collection, Callback<std::vector<nlohmann::json>> done) {
  impl_->list_page(impl_->url_for(collection), std::make_shared<std::vector<json>>(), 0, std::move(done));
}

void ArmClient::begin_put(const std::string& id, const nlohmann::json& body, Callback<WriteOutcome> done) {
  impl_->begin(OperationKind::Put, id, &body, std::move(done));
}
void ArmClient::begin_patch(const std::string& id, const nlohmann::json& body, Callback<WriteOutcome> done) {
  impl_->begin(OperationKind::Patch, id, &body, std::move(done));
}
void ArmClient::begin_delete(const std::string& id, Callback<WriteOutcome> done) {
  impl_->begin(OperationKind::Delete, id, nullptr, std::move(done));
}
void ArmClient::begin_post(const std::string& path, const nlohmann::json& body, Callback<WriteOutcome> done) {
  impl_->begin(OperationKind::Post, path, &body, std::move(done));
}
void ArmClient::poll(const OperationToken& token, Callback<WriteOutcome> done, ReadBack read_back) {
  impl_->poll(token, read_back, std::move(done));
}
void ArmClient::wait(const OperationToken& token, Callback<WriteOutcome> done, ReadBack read_back) {
  impl_->wait(token, read_back, std::move(done));
}

void ArmClient::put(const std::string& id, const nlohmann::json& body, Callback<WriteOutcome> done,
                    AcceptedHook on_accepted) {
  impl_->begin_and_wait(OperationKind::Put, id, &body, std::move(done), std::move(on_accepted));
}
void ArmClient::remove(const std::string& id, Callback<WriteOutcome> done, AcceptedHook on_accepted) {
  impl_->begin_and_wait(OperationKind::Delete, id, nullptr, std::move(done), std::move(on_accepted));
}

}  // namespace bai2aml::azure
