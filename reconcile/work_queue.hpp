// controller-runtime's work queue (client-go workqueue, STYLE.md §2.3-2.6), single-threaded on
// a Boost.Asio io_context: every member function must be called from the io_context's thread.
//   - a key is never processed twice at once: add() of a queued key is a no-op; add() of a key in
//     processing only marks it dirty, and it is queued again when its processing ends;
//   - add_after() parks a key in a delay heap; a key already waiting keeps the *earlier* time;
//     a delay <= 0 adds at once; a key whose delay elapsed is dispatched before keys added with
//     add() (it carries started work - an LRO poll, a retry - that must not queue behind new work);
//   - add_rate_limited() is add_after(key, limiter.when(key)); forget() drops the failure history;
//   - concurrency is N in-flight slots, not threads: the handler is started for up to N keys and
//     signals the end of each with the Done callback (which may be called later, from another
//     completion on the same io_context; extra calls are ignored);
//   - shut_down() stops dispatching and drops waiting keys; shut_down_with_drain() also waits for
//     in-flight keys to finish, up to a deadline.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "reconcile/rate_limiter.hpp"

namespace bai2aml::reconcile {

class WorkQueue {
 public:
  using Done = std::function<void()>;
  // Processes one key; must call `done` exactly once (now or later). An exception thrown by the
  // handler counts as the end of the key's processing (it is logged, and `done` is implied).
  using Handler = std::function<void(const std::string& key, Done done)>;

  WorkQueue(boost::asio::io_context& io, std::size_t slots, std::shared_ptr<RateLimiter> limiter);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Starts dispatching to `handler`. Keys added before start() wait in order.
  void start(Handler handler);

  void add(const std::string& key);
  void add_after(const std::string& key, std::chrono::milliseconds delay);
  void add_rate_limited(const std::string& key);
  void forget(const std::string& key);
  int num_requeues(const std::string& key) const;

  std::size_t len() const;        // keys ready and waiting for a slot
  std::size_t in_flight() const;  // keys being processed
  std::size_t delayed() const;    // keys waiting for their time in the delay heap
  bool idle() const { return len() == 0 && in_flight() == 0 && delayed() == 0; }
  // Whether the key is queued, being processed or waiting for its time: something will (still) run it.
  bool holds(const std::string& key) const;
  bool shutting_down() const;

  void shut_down();
  // Calls on_drained(true) once no key is in flight, or on_drained(false) at the deadline.
  void shut_down_with_drain(std::chrono::milliseconds deadline, std::function<void(bool drained)> on_drained);

  struct State;  // shared with pending completions, so a late Done after destruction is harmless

 private:
  std::shared_ptr<State> state_;
};

}  // namespace bai2aml::reconcile
