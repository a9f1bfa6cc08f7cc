// The only test-support file that includes cpprestsdk (its headers are slow to compile).
#include "tests/support/http_client.hpp"

#include <cpprest/http_client.h>

#include <algorithm>
#include <cctype>

namespace bai2aml::testing {

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
}  // namespace

std::string HttpResult::header(const std::string& name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

nlohmann::json HttpResult::json() const { return nlohmann::json::parse(body); }

HttpResult http_request(const std::string& method, const std::string& url, const std::string& body,
                        const std::map<std::string, std::string>& headers, const HttpOptions& options) {
  HttpResult result;
  try {
    const web::uri uri(url);
    web::uri_builder base;
    base.set_scheme(uri.scheme()).set_host(uri.host()).set_port(uri.port());
    web::http::client::http_client_config config;
    config.set_timeout(std::chrono::duration_cast<std::chrono::microseconds>(options.timeout));
    if (!options.ca_file.empty()) {
      const std::string ca = options.ca_file;
      config.set_ssl_context_callback([ca](boost::asio::ssl::context& ctx) { ctx.load_verify_file(ca); });
    }
    web::http::client::http_client client(base.to_uri(), config);
    web::http::http_request request(method);
    request.set_request_uri(uri.resource());
    std::string content_type = "application/json";
    for (const auto& [name, value] : headers) {
      if (lower(name) == "content-type")
        content_type = value;
      else
        request.headers().add(name, value);
    }
    if (!body.empty()) request.set_body(body, content_type);
    web::http::http_response response = client.request(request).get();
    result.status = response.status_code();
    for (const auto& [name, value] : response.headers()) result.headers[lower(name)] = value;
    result.body = response.extract_string(true).get();
  } catch (const std::exception& e) {
    result = HttpResult{};
    result.error = e.what();
  }
  return result;
}

}  // namespace bai2aml::testing
