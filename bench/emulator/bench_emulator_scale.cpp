// bench_emulator_scale (issue 13): what one request costs the emulator at 1,000 and at 100,000
// resources, in process (Emulator::handle, no sockets): the first and the last page of a LIST, a GET,
// a compute PUT (its name is unique per region) and the usages query. CPU time per request (the
// thread's own clock; the machine is shared). Prints figures; asserts nothing.
//
//   bench_emulator_scale [--sizes N,N,...] [--repeat R]
#include <chrono>
#include <cstdio>
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

#include "emulator/emulator.hpp"

using namespace bai2aml::emulator;
using nlohmann::json;

namespace {

const std::string kRg = "/subscriptions/00000000-0000-0000-0000-0000000000b1/resourceGroups/bench";
const std::string kAml = kRg + "/providers/Microsoft.MachineLearningServices";
const int kComputesPerWorkspace = 100;

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

Seed seed_of(int resources) {
  Seed seed;
  const int workspaces = std::max(1, resources / (kComputesPerWorkspace + 1));
  for (int w = 0; w < workspaces; ++w) {
    const std::string ws = kAml + "/workspaces/ws" + std::to_string(w);
    seed.resources.push_back({{"id", ws}, {"name", "ws" + std::to_string(w)},
                              {"type", "Microsoft.MachineLearningServices/workspaces"}, {"location", "eastus"},
                              {"properties", {{"provisioningState", "Succeeded"}}}});
    for (int c = 0; c < kComputesPerWorkspace; ++c) {
      const std::string name = "c" + std::to_string(w * kComputesPerWorkspace + c);
      seed.resources.push_back(
          {{"id", ws + "/computes/" + name}, {"name", name}, {"type", "Microsoft.MachineLearningServices/workspaces/computes"},
           {"location", "eastus"},
           {"properties", {{"computeType", "AmlCompute"}, {"provisioningState", "Succeeded"},
                           {"properties", {{"vmSize", "STANDARD_D1_V2"}, {"vmPriority", "Dedicated"},
                                           {"scaleSettings", {{"minNodeCount", 0}, {"maxNodeCount", 1}}}}}}}});
    }
  }
  seed.quotas.by_location["eastus"] = {{"standardDv2Family", 100000000}, {"totalDedicated", 100000000}, {"clusters", 10000000}};
  return seed;
}

Request request(const std::string& method, const std::string& path_and_query, const std::string& token,
                const std::string& body = "") {
  Request r;
  r.method = method;
  const auto q = path_and_query.find('?');
  r.path = url_decode(path_and_query.substr(0, q));
  if (q != std::string::npos) r.query = parse_query(path_and_query.substr(q + 1));
  if (!token.empty()) r.headers["Authorization"] = "Bearer " + token;
  r.body = body;
  if (!body.empty()) r.headers["Content-Type"] = "application/json";
  r.base_url = "http://127.0.0.1:1";
  return r;
}

struct Cost {
  double cpu_ms = 0;
  int status = 0;
};

template <class F>
Cost measure(int repeat, F&& f) {
  Cost c;
  const double t0 = thread_cpu_s();
  for (int i = 0; i < repeat; ++i) c.status = f(i);
  c.cpu_ms = 1000 * (thread_cpu_s() - t0) / repeat;
  return c;
}

void figures(int resources, int repeat) {
  Options options;
  options.lro_ms = 0;
  Emulator emu(options, seed_of(resources));
  const auto token_response =
      emu.handle(request("POST", "/tenant-1/oauth2/v2.0/token", "",
                         "grant_type=client_credentials&client_id=app&client_secret=s&scope=https%3A%2F%2Fmanagement.azure.com%2F.default"));
  const std::string token = json::parse(token_response.body)["access_token"];
  const std::string v = "?api-version=2024-04-01";
  const std::string ws_list = kAml + "/workspaces" + v;
  // The last page of the workspaces: follow the nextLinks once, then time that page.
  std::string last = ws_list;
  for (;;) {
    auto body = json::parse(emu.handle(request("GET", last, token)).body);
    if (!body.contains("nextLink")) break;
    last = body["nextLink"].get<std::string>().substr(std::string("http://127.0.0.1:1").size());
  }
  const Cost first_page = measure(repeat, [&](int) { return emu.handle(request("GET", ws_list, token)).status; });
  const Cost last_page = measure(repeat, [&](int) { return emu.handle(request("GET", last, token)).status; });
  const Cost computes = measure(repeat, [&](int) {
    return emu.handle(request("GET", kAml + "/workspaces/ws0/computes" + v, token)).status;
  });
  const Cost get = measure(repeat, [&](int i) {
    return emu.handle(request("GET", kAml + "/workspaces/ws0/computes/c" + std::to_string(i % kComputesPerWorkspace) + v, token)).status;
  });
  const std::string body =
      R"({"location":"eastus","properties":{"computeType":"AmlCompute","properties":{"vmSize":"STANDARD_D1_V2","vmPriority":"Dedicated","scaleSettings":{"minNodeCount":0,"maxNodeCount":1}}}})";
  const Cost put = measure(repeat, [&](int i) {
    return emu.handle(request("PUT", kAml + "/workspaces/ws0/computes/new" + std::to_string(i) + v, token, body)).status;
  });
  const Cost usages = measure(repeat, [&](int) {
    return emu.handle(request("GET", "/subscriptions/00000000-0000-0000-0000-0000000000b1/providers/"
                                     "Microsoft.MachineLearningServices/locations/eastus/usages" + v, token)).status;
  });
  std::printf("%7d resources: LIST workspaces first page %.3f ms (%d), last page %.3f ms (%d), LIST 100 computes %.3f ms (%d), "
              "GET %.3f ms (%d), compute PUT %.3f ms (%d), usages %.3f ms (%d)\n",
              resources, first_page.cpu_ms, first_page.status, last_page.cpu_ms, last_page.status, computes.cpu_ms,
              computes.status, get.cpu_ms, get.status, put.cpu_ms, put.status, usages.cpu_ms, usages.status);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes = {1000, 100000};
  int repeat = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string f = argv[i];
    if (f == "--sizes") {
      sizes.clear();
      std::stringstream list(argv[i + 1]);
      for (std::string item; std::getline(list, item, ',');) sizes.push_back(std::stoi(item));
    } else if (f == "--repeat") {
      repeat = std::stoi(argv[i + 1]);
    }
  }
  std::printf("CPU time per request (this thread's clock), in process; status codes in parentheses.\n");
  for (int n : sizes) figures(n, repeat);
  return 0;
}
