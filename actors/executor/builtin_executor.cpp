#include "actors/executor/builtin_executor.hpp"

#include "sim/idempotency_key.hpp"
#include "sim/json_text.hpp"
#include "sim/rng.hpp"

#include <fmt/format.h>

#include <algorithm>
#include "sim/assert.hpp"
#include <cmath>

namespace execsim {

namespace {

// A backoff never exceeds a day of virtual time, whatever the multiplier.
constexpr double backoff_ns_max = 24.0 * 3600 * ns_per_s;

std::string price_json(const std::optional<decimal>& px) {
  return px ? "\"" + px->to_string() + "\"" : std::string{"null"};
}

} // namespace

ns_t builtin_executor::backoff(const executor_config& cfg, int failed_attempt,
                               ns_t previous, std::uint64_t w) noexcept {
  EXECSIM_ASSERT(failed_attempt >= 1);
  // Repeated multiplication, not std::pow: bit-identical on every libm.
  double base = static_cast<double>(cfg.initial_backoff);
  for (int i = 1; i < failed_attempt && base < backoff_ns_max; ++i)
    base *= cfg.backoff_multiplier;
  auto b = static_cast<ns_t>(std::min(base, backoff_ns_max));
  if (cfg.max_backoff > 0)
    b = std::min(b, cfg.max_backoff);
  switch (cfg.jitter) {
    case jitter_mode::none:
      return b;
    case jitter_mode::full:
      return between(w, 0, b);
    case jitter_mode::equal:
      return b / 2 + between(w, 0, b - b / 2);
    case jitter_mode::decorrelated: {
      // AWS: sleep = min(cap, random_between(base, previous * 3)).
      auto lo = cfg.initial_backoff;
      auto hi = std::max(lo, (previous > 0 ? previous : lo) * 3);
      auto d = between(w, lo, hi);
      return cfg.max_backoff > 0 ? std::min(d, cfg.max_backoff) : d;
    }
  }
  return b;
}

void builtin_executor::on_execute() {
  EXECSIM_ASSERT(phase_ == phase::idle);
  const auto& o = port_.order();
  key_ = idempotency_key(o);
  std::string payload = "{\"order_id\":";
  append_json_string(payload, o.id);
  payload += ",\"idem_key\":";
  append_json_string(payload, key_);
  payload += ",\"trader\":";
  append_json_string(payload, o.trader);
  payload += ",\"symbol\":";
  append_json_string(payload, o.symbol);
  payload += fmt::format(",\"side\":\"{}\",\"quantity\":{},\"price\":{}}}",
                         to_string(o.side), o.quantity, price_json(o.price));
  port_.publish(event_channel::execution_started, std::move(payload));
  send_attempt(1);
}

void builtin_executor::send_attempt(int n) {
  EXECSIM_ASSERT(n >= 1 && n <= port_.config().max_attempts);
  attempt_ = n;
  phase_ = phase::submitting;
  port_.submit(n, key_);
  port_.set_timer(timer_id(timer_kind::submit_timeout, n),
                  port_.config().submit_timeout);
}

void builtin_executor::on_submit_answer(const submit_answer& a) {
  if (phase_ == phase::done)
    return; // only recorded
  bool current = phase_ == phase::submitting && a.attempt == attempt_;
  if (!current) {
    // A late answer to an earlier attempt: a success still ends the order.
    if (a.status == submit_status::ack)
      succeed(a.exchange_order, a.fill_price);
    return;
  }
  switch (a.status) {
    case submit_status::ack:
      succeed(a.exchange_order, a.fill_price);
      return;
    case submit_status::network_error:
      attempt_failed("NETWORK_ERROR", "network error");
      return;
    case submit_status::rejected:
      break;
  }
  note_retry_after(a.retry_after);
  auto error = fmt::format("exchange rejected the order: {}", a.error_code);
  if (is_fatal(a.error_code)) {
    any_failure_ = true;
    last_code_ = a.error_code;
    last_error_ = std::move(error);
    end_failed();
    return;
  }
  if (a.error_code == "DUPLICATE_CLIENT_ORDER_ID") {
    // The exchange says it holds the key: ask which order it is.
    any_failure_ = true;
    last_code_ = a.error_code;
    last_error_ = std::move(error);
    start_check(check_purpose::duplicate_reject);
    return;
  }
  attempt_failed(a.error_code, std::move(error));
}

void builtin_executor::attempt_failed(std::string code, std::string error) {
  any_failure_ = true;
  last_code_ = std::move(code);
  last_error_ = std::move(error);
  if (attempt_ < port_.config().max_attempts)
    start_check(check_purpose::before_retry);
  else
    end_failed();
}

void builtin_executor::end_failed() {
  // Any timed-out attempt may have created the order: ask once more.
  if (any_timeout_ && port_.config().final_check)
    start_check(check_purpose::final);
  else
    fail(last_code_, last_error_);
}

void builtin_executor::start_check(check_purpose purpose) {
  phase_ = phase::checking;
  purpose_ = purpose;
  port_.check(attempt_, key_);
  port_.set_timer(timer_id(timer_kind::check_timeout, attempt_),
                  port_.config().check_timeout);
}

void builtin_executor::on_check_answer(const check_answer& a) {
  if (phase_ != phase::checking || a.after_attempt != attempt_)
    return; // late or stale: only recorded
  switch (a.status) {
    case check_status::found:
      succeed(a.exchange_order, a.fill_price);
      return;
    case check_status::not_found:
      check_not_found();
      return;
    case check_status::failed:
    case check_status::network_error:
      note_retry_after(a.retry_after);
      check_unanswered();
      return;
  }
}

void builtin_executor::check_not_found() {
  switch (purpose_) {
    case check_purpose::before_retry:
      start_backoff();
      return;
    case check_purpose::final:
      fail(last_code_, last_error_);
      return;
    case check_purpose::duplicate_reject:
      // The check was this attempt's check before retry.
      if (attempt_ < port_.config().max_attempts)
        start_backoff();
      else
        fail(last_code_, last_error_);
      return;
  }
}

void builtin_executor::check_unanswered() {
  switch (purpose_) {
    case check_purpose::before_retry:
      // The original service's rule: a failed check counts as "none found".
      start_backoff();
      return;
    case check_purpose::final:
    case check_purpose::duplicate_reject:
      fail("STATUS_UNKNOWN",
           fmt::format("execution status unknown: the exchange may hold the "
                       "order ({}) and did not answer the check",
                       last_code_));
      return;
  }
}

void builtin_executor::start_backoff() {
  EXECSIM_ASSERT(attempt_ < port_.config().max_attempts);
  phase_ = phase::backing_off;
  auto w = port_.random(static_cast<std::uint64_t>(attempt_), 0);
  last_backoff_ = backoff(port_.config(), attempt_, last_backoff_, w);
  auto wait = last_backoff_;
  // The venue said when to come back: not before (a lower bound only).
  if (not_before_ > port_.now())
    wait = std::max(wait, not_before_ - port_.now());
  port_.set_timer(timer_id(timer_kind::backoff, attempt_), wait);
}

void builtin_executor::note_retry_after(ns_t retry_after) {
  if (retry_after > 0 && port_.config().honour_retry_after)
    not_before_ = std::max(not_before_, port_.now() + retry_after);
}

void builtin_executor::on_timer(std::uint64_t id) {
  auto kind = static_cast<timer_kind>(id >> 32);
  auto n = static_cast<int>(id & 0xFFFFFFFFu);
  switch (kind) {
    case timer_kind::submit_timeout:
      if (phase_ != phase::submitting || n != attempt_)
        return;
      port_.attempt_timed_out(n);
      any_timeout_ = true;
      attempt_failed("TIMEOUT",
                     fmt::format("no answer from the exchange within {}",
                                 format_duration(port_.config().submit_timeout)));
      return;
    case timer_kind::check_timeout:
      if (phase_ != phase::checking || n != attempt_)
        return;
      port_.check_timed_out(n);
      check_unanswered();
      return;
    case timer_kind::backoff:
      if (phase_ != phase::backing_off || n != attempt_)
        return;
      send_attempt(n + 1);
      return;
  }
}

void builtin_executor::succeed(std::uint64_t exchange_order,
                               const std::optional<decimal>& fill_price) {
  EXECSIM_ASSERT(phase_ != phase::done);
  phase_ = phase::done;
  execution_result r;
  r.success = true;
  r.exchange_order = exchange_order;
  r.fill_price = fill_price;
  r.retry_count = attempt_ - 1;
  const auto& id = port_.order().id;
  auto xid = exchange_order_name(exchange_order);
  std::string head = "{\"order_id\":";
  append_json_string(head, id);
  port_.publish(event_channel::executed,
                fmt::format("{},\"exchange_order_id\":\"{}\",\"fill_price\":{},"
                            "\"retry_count\":{}}}",
                            head, xid, price_json(fill_price), r.retry_count));
  if (any_failure_)
    port_.publish(event_channel::recovered,
                  fmt::format("{},\"exchange_order_id\":\"{}\","
                              "\"retry_count\":{}}}",
                              head, xid, r.retry_count));
  port_.finish(std::move(r));
}

void builtin_executor::fail(std::string code, std::string error) {
  EXECSIM_ASSERT(phase_ != phase::done);
  phase_ = phase::done;
  execution_result r;
  r.success = false;
  r.error = std::move(error);
  r.error_code = std::move(code);
  r.retry_count = attempt_ - 1;
  std::string payload = "{\"order_id\":";
  append_json_string(payload, port_.order().id);
  payload += ",\"error\":";
  append_json_string(payload, r.error);
  payload += ",\"error_code\":";
  append_json_string(payload, r.error_code);
  payload += fmt::format(",\"retry_count\":{}}}", r.retry_count);
  port_.publish(event_channel::execution_failed, std::move(payload));
  port_.finish(std::move(r));
}

bool builtin_executor::is_fatal(const std::string& code) const {
  const auto& fatal = port_.config().fatal_codes;
  return std::find(fatal.begin(), fatal.end(), code) != fatal.end();
}

} // namespace execsim
