// The only translation unit that includes cpprestsdk: an HTTPS transport whose completions are
// posted back onto the io_context (cpprestsdk runs its own thread pool underneath).
#include <condition_variable>
#include <map>
#include <mutex>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <cpprest/http_client.h>

#include "azure/transport.hpp"

namespace bai2aml::azure {

namespace {

namespace http = web::http;

ArmError transport_error(const char* code, const std::string& message, bool retryable) {
  ArmError e;
  e.code = code;
  e.message = message;
  e.retryable = retryable;
  return e;
}

bool mentions_tls(const std::string& what) {
  for (const char* word : {"handshake", "certificate", "SSL", "ssl", "verify failed", "TLS"}) {
    if (what.find(word) != std::string::npos) return true;
  }
  return false;
}

// In-flight bookkeeping shared with the cpprestsdk continuations, which may outlive a send() call.
struct InFlight {
  std::mutex mutex;
  std::condition_variable idle;
  int count = 0;
};

class CpprestTransport : public Transport {
 public:
  CpprestTransport(boost::asio::io_context& io, TransportOptions options)
      : io_(io), options_(std::move(options)), in_flight_(std::make_shared<InFlight>()) {}

  ~CpprestTransport() override { cancel_and_wait(); }

  // The owner goes away (ArmClient's destructor): what is still in flight is cancelled, and each
  // request's continuation has handed its completion to the io_context before this returns. A
  // request left out would keep its completion, and through it the whole pipeline (this transport
  // included: a cycle), inside cpprestsdk past the end of the process, and its answer would be
  // posted to an io_context that no longer exists (a drain cut short by a second SIGTERM: a leak
  // under LeakSanitizer, an abort without it).
  void shutdown() override { cancel_and_wait(); }

  void send(Request request, Next, ResponseCallback done) override {
    const auto url = parse_url(request.url);
    if (!url) {
      fail(std::move(done), transport_error(errc::kInvalidUrl, "not an absolute http(s) URL: " + request.url, false));
      return;
    }
    if (!insecure_url_allowed(*url, options_)) {
      fail(std::move(done),
           transport_error(errc::kInsecureTransport,
                           "refusing plain http to " + url->host +
                               " (only https, or loopback with azure.allow_insecure_loopback)",
                           false));
      return;
    }
    const std::string where = request.method + " " + url->origin();
    std::unique_ptr<http::http_request> req;
    http::client::http_client* client = nullptr;
    try {
      client = &client_for(*url);
      req = std::make_unique<http::http_request>(request.method);
      req->set_request_uri(url->path_and_query);
      std::string content_type;
      for (const auto& [name, value] : request.headers) {
        if (CaseInsensitiveLess{}(name, "Content-Type") || CaseInsensitiveLess{}("Content-Type", name)) {
          req->headers().add(name, value);
        } else {
          content_type = value;
        }
      }
      if (!request.body.empty()) {
        req->set_body(std::vector<unsigned char>(request.body.begin(), request.body.end()));
        req->headers().set_content_type(content_type.empty() ? "application/json" : content_type);
      }
    } catch (const std::exception& e) {
      fail(std::move(done), transport_error(errc::kInvalidUrl, where + ": cannot build the request: " + e.what(), false));
      return;
    }

    {
      std::lock_guard<std::mutex> lock(in_flight_->mutex);
      ++in_flight_->count;
    }
    auto work = std::make_shared<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
        io_.get_executor());
    auto in_flight = in_flight_;
    auto* io = &io_;
    auto callback = std::make_shared<ResponseCallback>(std::move(done));
    client->request(*req, cancel_.get_token())
        .then([](http::http_response response) {
          return response.extract_vector().then([response](std::vector<unsigned char> body) {
            Response out;
            out.status = response.status_code();
            for (const auto& [name, value] : response.headers()) out.headers[name] = value;
            out.body.assign(body.begin(), body.end());
            return out;
          });
        })
        .then([work, in_flight, io, callback, where](pplx::task<Response> task) mutable {
          std::optional<Result<Response>> result;
          try {
            result.emplace(task.get());
          } catch (const http::http_exception& e) {
            const std::string what = e.what();
            if (e.error_code() == std::errc::timed_out) {
              result.emplace(transport_error(errc::kTimeout, where + ": timed out: " + what, true));
            } else if (e.error_code() == std::errc::operation_canceled) {
              result.emplace(transport_error(errc::kCanceled, where + ": canceled", false));
            } else if (mentions_tls(what)) {
              result.emplace(transport_error(errc::kTlsError, where + ": TLS failure: " + what, false));
            } else {
              result.emplace(transport_error(errc::kConnectionError, where + ": " + what, true));
            }
          } catch (const pplx::task_canceled&) {
            result.emplace(transport_error(errc::kCanceled, where + ": canceled", false));
          } catch (const std::exception& e) {
            const std::string what = e.what();
            result.emplace(mentions_tls(what) ? transport_error(errc::kTlsError, where + ": TLS failure: " + what, false)
                                              : transport_error(errc::kConnectionError, where + ": " + what, true));
          }
          // The handler takes the work guard and the callback along, moved: this continuation keeps
          // no copy whose release, later on this pool thread, could reach an io_context that the
          // owner destroys as soon as the count below reaches zero (a drain cut short by a second
          // SIGTERM never runs the handler: the io_context destroys it, and with it the last
          // reference). After the post, this thread touches nothing of the io_context.
          boost::asio::post(*io, [callback = std::move(callback), work = std::move(work), r = std::move(*result)]() mutable {
            work->reset();
            (*callback)(std::move(r));
          });
          std::lock_guard<std::mutex> lock(in_flight->mutex);
          if (--in_flight->count == 0) in_flight->idle.notify_all();
        });
  }

 private:
  void cancel_and_wait() {
    cancel_.cancel();
    std::unique_lock<std::mutex> lock(in_flight_->mutex);
    in_flight_->idle.wait_for(lock, options_.timeout + std::chrono::seconds(5),
                              [this] { return in_flight_->count == 0; });
  }

  void fail(ResponseCallback done, ArmError error) {
    boost::asio::post(io_, [done = std::move(done), error = std::move(error)]() { done(error); });
  }

  http::client::http_client& client_for(const Url& url) {
    const auto key = url.origin();
    auto it = clients_.find(key);
    if (it != clients_.end()) return *it->second;
    http::client::http_client_config config;
    config.set_timeout(options_.timeout);
    config.set_validate_certificates(true);
    if (!options_.ca_file.empty()) {
      const auto ca_file = options_.ca_file;
      config.set_ssl_context_callback([ca_file](boost::asio::ssl::context& ctx) { ctx.load_verify_file(ca_file); });
    }
    const std::string base = url.scheme + "://" + (url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host) +
                             ":" + std::to_string(url.port);
    auto client = std::make_unique<http::client::http_client>(base, config);
    auto& ref = *client;
    clients_.emplace(key, std::move(client));
    return ref;
  }

  boost::asio::io_context& io_;
  TransportOptions options_;
  std::shared_ptr<InFlight> in_flight_;
  pplx::cancellation_token_source cancel_;
  std::map<std::string, std::unique_ptr<http::client::http_client>> clients_;  // io thread only
};

}  // namespace

std::unique_ptr<Transport> make_cpprest_transport(boost::asio::io_context& io, const TransportOptions& options) {
  return std::make_unique<CpprestTransport>(io, options);
}

}  // namespace bai2aml::azure
