#include <catch2/catch.hpp>

#include <map>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "reconcile/work_queue.hpp"

using namespace bai2aml::reconcile;
using std::chrono::milliseconds;

namespace {

std::shared_ptr<RateLimiter> limiter() {
  return std::make_shared<ItemExponentialLimiter>(milliseconds(1), milliseconds(50));
}

// Runs the io_context until pred holds (or nothing is left to run). A safety bound stops a
// broken queue from hanging the test; it is not a timing assertion.
template <class Pred>
void run_until(boost::asio::io_context& io, Pred pred) {
  io.restart();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!pred() && std::chrono::steady_clock::now() < give_up) {
    if (io.run_one_for(milliseconds(100)) == 0 && io.stopped()) io.restart();
  }
}

}  // namespace

TEST_CASE("work queue: FIFO - and a queued key is not added twice") {
  boost::asio::io_context io;
  WorkQueue q(io, 1, limiter());
  for (const char* k : {"a", "b", "a", "c", "b"}) q.add(k);
  CHECK(q.len() == 3);
  std::vector<std::string> seen;
  q.start([&](const std::string& key, WorkQueue::Done done) {
    seen.push_back(key);
    done();
  });
  run_until(io, [&] { return q.idle(); });
  CHECK(seen == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("work queue: a key added while processing is processed again afterwards - never concurrently") {
  boost::asio::io_context io;
  WorkQueue q(io, 4, limiter());
  std::map<std::string, int> running, max_running, count;
  std::vector<WorkQueue::Done> pending;
  q.start([&](const std::string& key, WorkQueue::Done done) {
    max_running[key] = std::max(max_running[key], ++running[key]);
    ++count[key];
    pending.push_back([&, key, done] {
      --running[key];
      done();
    });
  });
  q.add("a");
  run_until(io, [&] { return count["a"] == 1; });
  q.add("a");  // dirty while processing
  q.add("a");
  io.restart();
  io.poll();
  CHECK(count["a"] == 1);
  CHECK(q.len() == 0);
  auto first = pending.front();
  pending.clear();
  first();
  first();  // a second Done is ignored
  run_until(io, [&] { return count["a"] == 2; });
  CHECK(count["a"] == 2);
  CHECK(max_running["a"] == 1);
  pending.front()();
  run_until(io, [&] { return q.idle(); });
  CHECK(count["a"] == 2);
}

TEST_CASE("work queue: at most N keys in flight") {
  boost::asio::io_context io;
  WorkQueue q(io, 2, limiter());
  std::vector<WorkQueue::Done> pending;
  std::size_t max_in_flight = 0;
  int processed = 0;
  q.start([&](const std::string&, WorkQueue::Done done) {
    ++processed;
    pending.push_back(done);
    max_in_flight = std::max(max_in_flight, q.in_flight());
  });
  for (int i = 0; i < 5; ++i) q.add("k" + std::to_string(i));
  run_until(io, [&] { return processed == 2; });
  io.restart();
  io.poll();
  CHECK(q.in_flight() == 2);
  CHECK(q.len() == 3);
  while (processed < 5 || !pending.empty()) {
    if (!pending.empty()) {
      auto d = pending.front();
      pending.erase(pending.begin());
      d();
    }
    io.restart();
    io.poll();
  }
  CHECK(processed == 5);
  CHECK(max_in_flight == 2);
  CHECK(q.idle());
}

TEST_CASE("work queue: delayed keys come out in time order - a waiting key keeps its earlier time") {
  boost::asio::io_context io;
  WorkQueue q(io, 1, limiter());
  std::vector<std::string> seen;
  q.start([&](const std::string& key, WorkQueue::Done done) {
    seen.push_back(key);
    done();
  });
  q.add_after("late", milliseconds(80));
  q.add_after("early", milliseconds(10));
  q.add_after("moved-up", milliseconds(5000));
  q.add_after("moved-up", milliseconds(30));   // earlier: wins
  q.add_after("moved-up", milliseconds(9000));  // later: ignored
  CHECK(q.delayed() == 3);
  CHECK(q.len() == 0);
  run_until(io, [&] { return seen.size() == 3; });
  CHECK(seen == std::vector<std::string>{"early", "moved-up", "late"});
  CHECK(q.delayed() == 0);

  q.add_after("now", milliseconds(0));  // no delay: ready at once
  CHECK(q.len() == 1);
  q.add_after("negative", milliseconds(-5));
  CHECK(q.len() == 2);
}

TEST_CASE("work queue: a key back from its delay goes before keys added fresh - each kind stays FIFO") {
  // An LRO poll or a retry (started work) must not wait behind new keys that hold the slots.
  boost::asio::io_context io;
  WorkQueue q(io, 1, limiter());
  std::vector<std::string> seen;
  WorkQueue::Done hold;
  q.start([&](const std::string& key, WorkQueue::Done done) {
    seen.push_back(key);
    if (key == "busy") hold = done;
    else done();
  });
  q.add("busy");
  run_until(io, [&] { return hold != nullptr; });
  q.add("new-1");
  q.add("new-2");
  q.add_after("poll-1", milliseconds(1));
  q.add_after("poll-2", milliseconds(2));
  run_until(io, [&] { return q.delayed() == 0; });
  CHECK(q.len() == 4);
  hold();
  run_until(io, [&] { return q.idle(); });
  CHECK(seen == std::vector<std::string>{"busy", "poll-1", "poll-2", "new-1", "new-2"});
}

TEST_CASE("work queue: add_rate_limited backs off through the limiter - forget resets it") {
  boost::asio::io_context io;
  WorkQueue q(io, 1, limiter());
  int processed = 0;
  q.start([&](const std::string& key, WorkQueue::Done done) {
    ++processed;
    if (processed < 4) q.add_rate_limited(key);  // fail three times
    done();
  });
  q.add("k");
  run_until(io, [&] { return processed == 4; });
  CHECK(processed == 4);
  CHECK(q.num_requeues("k") == 3);
  q.forget("k");
  CHECK(q.num_requeues("k") == 0);
}

TEST_CASE("work queue: a throwing handler ends that key's processing and the queue goes on") {
  boost::asio::io_context io;
  WorkQueue q(io, 1, limiter());
  std::vector<std::string> seen;
  q.start([&](const std::string& key, WorkQueue::Done done) {
    seen.push_back(key);
    if (key == "bad") throw std::runtime_error("boom");
    done();
  });
  q.add("bad");
  q.add("good");
  run_until(io, [&] { return seen.size() == 2 && q.idle(); });
  CHECK(seen == std::vector<std::string>{"bad", "good"});
  CHECK(q.in_flight() == 0);
}

TEST_CASE("work queue: shutdown drains in-flight keys - drops waiting ones - honours the deadline") {
  boost::asio::io_context io;

  SECTION("drained") {
    WorkQueue q(io, 2, limiter());
    WorkQueue::Done held;
    int processed = 0;
    q.start([&](const std::string&, WorkQueue::Done done) {
      ++processed;
      held = done;
    });
    q.add("a");
    run_until(io, [&] { return processed == 1; });
    q.add_after("later", milliseconds(10));
    std::optional<bool> result;
    q.shut_down_with_drain(milliseconds(10000), [&](bool drained) { result = drained; });
    CHECK(q.shutting_down());
    CHECK(q.delayed() == 0);
    q.add("ignored");
    CHECK(q.len() == 0);
    boost::asio::steady_timer finish(io, milliseconds(5));
    finish.async_wait([&](const boost::system::error_code&) { held(); });
    run_until(io, [&] { return result.has_value(); });
    REQUIRE(result.has_value());
    CHECK(*result);
    CHECK(processed == 1);
  }
  SECTION("deadline") {
    WorkQueue q(io, 1, limiter());
    WorkQueue::Done held;
    q.start([&](const std::string&, WorkQueue::Done done) { held = done; });
    q.add("stuck");
    run_until(io, [&] { return q.in_flight() == 1; });
    std::optional<bool> result;
    q.shut_down_with_drain(milliseconds(20), [&](bool drained) { result = drained; });
    run_until(io, [&] { return result.has_value(); });
    REQUIRE(result.has_value());
    CHECK_FALSE(*result);
    held();  // completing after the deadline is harmless
  }
  SECTION("nothing in flight: drained at once") {
    WorkQueue q(io, 1, limiter());
    std::optional<bool> result;
    q.shut_down_with_drain(milliseconds(20), [&](bool drained) { result = drained; });
    run_until(io, [&] { return result.has_value(); });
    CHECK(result == std::optional<bool>(true));
  }
}

TEST_CASE("work queue: a Done that outlives the queue is harmless") {
  boost::asio::io_context io;
  WorkQueue::Done held;
  {
    WorkQueue q(io, 1, limiter());
    q.start([&](const std::string&, WorkQueue::Done done) { held = done; });
    q.add("k");
    q.add_after("t", milliseconds(1000));
    run_until(io, [&] { return static_cast<bool>(held); });
  }
  held();
  io.restart();
  io.poll();
  SUCCEED("no crash, no leak under ASan");
}

TEST_CASE("work queue: holds a key while it is queued - processed - or delayed - not once it is done") {
  boost::asio::io_context io;
  WorkQueue q(io, 1, limiter());
  std::optional<WorkQueue::Done> pending;
  q.start([&](const std::string&, WorkQueue::Done done) { pending = done; });
  CHECK_FALSE(q.holds("a"));
  q.add("a");
  CHECK(q.holds("a"));  // queued
  run_until(io, [&] { return pending.has_value(); });
  CHECK(q.holds("a"));  // being processed
  q.add_after("a", milliseconds(5));
  (*pending)();
  pending.reset();
  CHECK(q.holds("a"));  // waiting for its time
  run_until(io, [&] { return pending.has_value(); });
  (*pending)();
  run_until(io, [&] { return q.idle(); });
  CHECK_FALSE(q.holds("a"));
}
