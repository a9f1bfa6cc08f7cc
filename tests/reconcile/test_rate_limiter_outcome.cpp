#include <catch2/catch.hpp>

#include "reconcile/outcome.hpp"
#include "reconcile/rate_limiter.hpp"

using namespace bai2aml::reconcile;
using std::chrono::milliseconds;

TEST_CASE("item exponential limiter doubles per failure - per key - up to the cap") {
  ItemExponentialLimiter limiter(milliseconds(5), milliseconds(100));
  std::vector<long> got;
  for (int i = 0; i < 7; ++i) got.push_back(static_cast<long>(limiter.when("a").count()));
  CHECK(got == std::vector<long>{5, 10, 20, 40, 80, 100, 100});
  CHECK(limiter.num_requeues("a") == 7);
  CHECK(limiter.when("b").count() == 5);  // keys are independent
  limiter.forget("a");
  CHECK(limiter.num_requeues("a") == 0);
  CHECK(limiter.when("a").count() == 5);

  // A very long failure streak saturates instead of overflowing.
  ItemExponentialLimiter defaults;
  milliseconds last{0};
  for (int i = 0; i < 5000; ++i) last = defaults.when("k");
  CHECK(last == std::chrono::seconds(1000));

  CHECK_THROWS_AS(ItemExponentialLimiter(milliseconds(10), milliseconds(5)), std::invalid_argument);
}

TEST_CASE("MaxOf takes the largest delay and forgets in every member") {
  auto fast = std::make_shared<ItemExponentialLimiter>(milliseconds(1), milliseconds(1000));
  auto slow = std::make_shared<ItemExponentialLimiter>(milliseconds(50), milliseconds(60));
  MaxOfLimiter both({fast, slow});
  CHECK(both.when("k").count() == 50);
  CHECK(both.when("k").count() == 60);
  for (int i = 0; i < 8; ++i) both.when("k");
  CHECK(both.when("k").count() == 1000);  // fast's 2^10 overtakes slow's cap
  CHECK(both.num_requeues("k") == 11);
  both.forget("k");
  CHECK(fast->num_requeues("k") == 0);
  CHECK(slow->num_requeues("k") == 0);
  CHECK_THROWS_AS(MaxOfLimiter({}), std::invalid_argument);
  CHECK_THROWS_AS(MaxOfLimiter({fast, nullptr}), std::invalid_argument);
}

TEST_CASE("the next-attempt calculator: one decision per outcome") {
  NextAttemptOptions options;
  options.resync = milliseconds(60000);
  options.default_poll = milliseconds(5000);
  options.max_poll = milliseconds(300000);
  options.fast_cap = milliseconds(40);
  options.slow_cap = milliseconds(1000);
  double random_value = 0.0;
  auto limiter = std::make_shared<ItemExponentialLimiter>(milliseconds(10), milliseconds(100000));
  NextAttemptCalculator calc(options, limiter, [&] { return random_value; });

  SECTION("RetryBackoff grows per key and stops at the speed's ceiling") {
    std::vector<long> fast;
    for (int i = 0; i < 5; ++i) fast.push_back(static_cast<long>(calc.next("k", Outcome::retry("Conflict")).after->count()));
    CHECK(fast == std::vector<long>{10, 20, 40, 40, 40});
    CHECK(calc.next("k", Outcome::retry("Conflict")).failures == 6);
    const auto slow = calc.next("k", Outcome::retry("ScopeLocked", RetrySpeed::Slow));
    CHECK(slow.after->count() == 640);  // 10 * 2^6, under the slow ceiling
    CHECK_FALSE(slow.forget);
    // A server-named delay (429 Retry-After) is a floor.
    CHECK(calc.next("other", Outcome::retry("TooManyRequests", RetrySpeed::Fast, milliseconds(7000))).after->count() == 7000);
  }
  SECTION("PollAfter uses exactly the delay and forgets the failures") {
    calc.next("k", Outcome::retry("Conflict"));
    calc.next("k", Outcome::retry("Conflict"));
    const auto poll = calc.next("k", Outcome::poll_after(milliseconds(1500)));
    CHECK(poll.after->count() == 1500);
    CHECK(poll.forget);
    CHECK(limiter->num_requeues("k") == 0);
    CHECK(calc.next("k", Outcome::poll_after(milliseconds(0))).after->count() == 5000);
    CHECK(calc.next("k", Outcome::poll_after(std::chrono::hours(10))).after->count() == 300000);
  }
  SECTION("Done forgets and comes back after the jittered resync period") {
    calc.next("k", Outcome::retry("Conflict"));
    random_value = 0.0;
    auto done = calc.next("k", Outcome::done());
    CHECK(done.forget);
    CHECK(limiter->num_requeues("k") == 0);
    CHECK(done.after->count() == 45000);  // -25 %
    random_value = 0.5;
    CHECK(calc.next("k", Outcome::done()).after->count() == 60000);
    random_value = 0.999999;
    CHECK(calc.next("k", Outcome::done()).after->count() == Approx(75000).margin(1));

    NextAttemptCalculator no_resync(NextAttemptOptions{}, limiter, [] { return 0.5; });
    CHECK_FALSE(no_resync.next("k", Outcome::done()).after.has_value());
  }
  SECTION("Terminal forgets and never requeues") {
    calc.next("k", Outcome::retry("Conflict"));
    const auto t = calc.next("k", Outcome::terminal("InvalidParameter"));
    CHECK_FALSE(t.after.has_value());
    CHECK(t.forget);
    CHECK(limiter->num_requeues("k") == 0);
  }
  CHECK(std::string(to_string(Outcome::Kind::RetryBackoff)) == "retry_backoff");
  CHECK_THROWS_AS(NextAttemptCalculator(options, nullptr), std::invalid_argument);
}
