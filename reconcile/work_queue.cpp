#include "reconcile/work_queue.hpp"

#include <deque>
#include <map>
#include <queue>
#include <set>
#include <stdexcept>
#include <tuple>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

namespace bai2aml::reconcile {

using Clock = std::chrono::steady_clock;

struct WorkQueue::State : std::enable_shared_from_this<WorkQueue::State> {
  State(boost::asio::io_context& io_, std::size_t slots_, std::shared_ptr<RateLimiter> limiter_)
      : io(io_), slots(slots_), limiter(std::move(limiter_)), delay_timer(io_), drain_timer(io_) {}

  boost::asio::io_context& io;
  std::size_t slots;
  std::shared_ptr<RateLimiter> limiter;
  Handler handler;

  // Ready keys, FIFO each; `due` (keys whose add_after delay elapsed) is served first, because
  // those keys carry work already started (an LRO to poll, a retry) that must not wait behind a
  // backlog of fresh keys holding every slot while they wait for ARM's write budget.
  std::deque<std::string> due;
  std::deque<std::string> queue;
  std::set<std::string> dirty;    // keys that need processing (queued, or re-added while processing)
  std::set<std::string> processing;

  // Delay heap with lazy deletion: an entry is live when waiting[key] still equals its time.
  using Entry = std::tuple<Clock::time_point, std::uint64_t, std::string>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
  std::map<std::string, Clock::time_point> waiting;
  std::uint64_t seq = 0;
  boost::asio::steady_timer delay_timer;
  Clock::time_point timer_at = Clock::time_point::max();

  bool shutting = false;
  bool pump_posted = false;
  boost::asio::steady_timer drain_timer;
  std::function<void(bool)> on_drained;

  void add(const std::string& key, bool from_delay = false) {
    if (shutting || dirty.count(key)) return;
    dirty.insert(key);
    if (processing.count(key)) return;  // queued again when its processing ends
    (from_delay ? due : queue).push_back(key);
    schedule_pump();
  }

  void add_after(const std::string& key, std::chrono::milliseconds delay) {
    if (shutting) return;
    if (delay.count() <= 0) {
      add(key);
      return;
    }
    const auto at = Clock::now() + delay;
    const auto it = waiting.find(key);
    if (it != waiting.end() && it->second <= at) return;  // keep the earlier time
    waiting[key] = at;
    heap.emplace(at, seq++, key);
    arm_timer();
  }

  void arm_timer() {
    while (!heap.empty()) {
      const auto& [at, s, key] = heap.top();
      const auto it = waiting.find(key);
      if (it != waiting.end() && it->second == at) break;
      heap.pop();  // stale entry
    }
    if (heap.empty() || shutting) return;
    const auto at = std::get<0>(heap.top());
    if (at >= timer_at) return;  // an earlier wake-up is already set
    timer_at = at;
    delay_timer.expires_at(at);
    std::weak_ptr<State> weak = shared_from_this();
    delay_timer.async_wait([weak](const boost::system::error_code& ec) {
      if (ec) return;  // cancelled
      if (auto self = weak.lock()) self->on_timer();
    });
  }

  void on_timer() {
    timer_at = Clock::time_point::max();
    const auto now = Clock::now();
    while (!heap.empty()) {
      const auto [at, s, key] = heap.top();
      const auto it = waiting.find(key);
      if (it == waiting.end() || it->second != at) {
        heap.pop();
        continue;
      }
      if (at > now) break;
      heap.pop();
      waiting.erase(it);
      add(key, true);
    }
    arm_timer();
  }

  void schedule_pump() {
    if (pump_posted || !handler) return;
    pump_posted = true;
    std::weak_ptr<State> weak = shared_from_this();
    boost::asio::post(io, [weak] {
      if (auto self = weak.lock()) {
        self->pump_posted = false;
        self->pump();
      }
    });
  }

  void pump() {
    while (!shutting && handler && processing.size() < slots && (!due.empty() || !queue.empty())) {
      auto& from = due.empty() ? queue : due;
      const std::string key = from.front();
      from.pop_front();
      dirty.erase(key);
      processing.insert(key);
      auto called = std::make_shared<bool>(false);
      std::weak_ptr<State> weak = shared_from_this();
      Done done = [weak, key, called] {
        if (*called) return;
        *called = true;
        if (auto self = weak.lock()) self->finish(key);
      };
      try {
        handler(key, done);
      } catch (const std::exception& e) {
        spdlog::error("work queue: handler for {} threw: {}", key, e.what());
        done();
      } catch (...) {
        spdlog::error("work queue: handler for {} threw a non-exception", key);
        done();
      }
    }
  }

  void finish(const std::string& key) {
    processing.erase(key);
    if (dirty.count(key) && !shutting) {
      queue.push_back(key);
    }
    if (shutting && processing.empty() && on_drained) {
      drain_timer.cancel();
      auto cb = std::move(on_drained);
      on_drained = nullptr;
      cb(true);
      return;
    }
    schedule_pump();
  }

  void shut_down() {
    shutting = true;
    due.clear();
    queue.clear();
    dirty.clear();
    waiting.clear();
    heap = {};
    delay_timer.cancel();
  }
};

WorkQueue::WorkQueue(boost::asio::io_context& io, std::size_t slots, std::shared_ptr<RateLimiter> limiter) {
  if (slots == 0) throw std::invalid_argument("WorkQueue: needs at least one slot");
  if (!limiter) throw std::invalid_argument("WorkQueue: limiter is null");
  state_ = std::make_shared<State>(io, slots, std::move(limiter));
}

WorkQueue::~WorkQueue() {
  state_->delay_timer.cancel();
  state_->drain_timer.cancel();
}

void WorkQueue::start(Handler handler) {
  state_->handler = std::move(handler);
  state_->schedule_pump();
}

void WorkQueue::add(const std::string& key) { state_->add(key); }
void WorkQueue::add_after(const std::string& key, std::chrono::milliseconds delay) { state_->add_after(key, delay); }
void WorkQueue::add_rate_limited(const std::string& key) { state_->add_after(key, state_->limiter->when(key)); }
void WorkQueue::forget(const std::string& key) { state_->limiter->forget(key); }
int WorkQueue::num_requeues(const std::string& key) const { return state_->limiter->num_requeues(key); }
std::size_t WorkQueue::len() const { return state_->due.size() + state_->queue.size(); }
std::size_t WorkQueue::in_flight() const { return state_->processing.size(); }
std::size_t WorkQueue::delayed() const { return state_->waiting.size(); }
bool WorkQueue::shutting_down() const { return state_->shutting; }
bool WorkQueue::holds(const std::string& key) const {
  return state_->dirty.count(key) > 0 || state_->processing.count(key) > 0 || state_->waiting.count(key) > 0;
}

void WorkQueue::shut_down() { state_->shut_down(); }

void WorkQueue::shut_down_with_drain(std::chrono::milliseconds deadline, std::function<void(bool)> on_drained) {
  auto& s = *state_;
  s.shut_down();
  if (s.processing.empty()) {
    if (on_drained) boost::asio::post(s.io, [cb = std::move(on_drained)] { cb(true); });
    return;
  }
  s.on_drained = std::move(on_drained);
  s.drain_timer.expires_after(deadline);
  std::weak_ptr<State> weak = state_;
  s.drain_timer.async_wait([weak](const boost::system::error_code& ec) {
    if (ec) return;
    auto self = weak.lock();
    if (!self || !self->on_drained) return;
    auto cb = std::move(self->on_drained);
    self->on_drained = nullptr;
    spdlog::warn("work queue: drain deadline passed with {} key(s) in flight", self->processing.size());
    cb(false);
  });
}

}  // namespace bai2aml::reconcile
