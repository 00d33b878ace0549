#include "actors/executor/executor_actor.hpp"

#include "actors/executor/executor_api.hpp"
#include "actors/executor/port_rules.hpp"
#include "actors/executor/timer_service.hpp"
#include "sim/network.hpp"
#include "sim/reconciliation.hpp"
#include "sim/rng.hpp"
#include "sim/run_context.hpp"
#include "sim/run_log.hpp"
#include "sim/trace.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <fmt/format.h>

#include "sim/assert.hpp"
#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

namespace execsim {

namespace {

/// " retry_after=1s" when an answer says how long to wait, else "".
std::string retry_after_text(ns_t retry_after) {
  return retry_after > 0 ? " retry_after=" + format_duration(retry_after)
                         : std::string{};
}

class executor_actor final : public caf::event_based_actor,
                             private executor_port {
public:
  executor_actor(caf::actor_config& cfg, run_context* ctx, order_ix order)
    : caf::event_based_actor(cfg),
      ctx_(*ctx),
      order_(order),
      name_("executor/" + ctx->orders->at(order).spec.id) {
    const auto* factory = find_executor(ctx_.sc->executor.kind);
    EXECSIM_ASSERT(factory != nullptr); // the runner checks the kind before spawning
    logic_ = (*factory)(*this);
  }

  caf::behavior make_behavior() override {
    return {
      [this](const execute_msg&) {
        trace("driver", "execute");
        auto& st = state();
        // Executed once, before anything else happened to the order.
        EXECSIM_ASSERT(!executed_ && st.attempts.empty() && !st.result);
        executed_ = true;
        st.started_at = now();
        logic_->on_execute();
        maybe_release();
      },
      [this](const submit_answer& a) {
        ctx_.net->delivered(order_);
        trace_answer(a);
        auto& st = state();
        // Only a sent attempt is answered, and only once.
        EXECSIM_ASSERT(a.attempt >= 1
               && static_cast<std::size_t>(a.attempt) <= st.attempts.size());
        auto& obs = st.attempts[static_cast<std::size_t>(a.attempt) - 1];
        EXECSIM_ASSERT(!obs.answer);
        obs.answered_at = now();
        obs.answered_after_result = st.result.has_value();
        obs.answer = a.status;
        obs.error_code = a.error_code;
        logic_->on_submit_answer(a);
        maybe_release();
      },
      [this](const check_answer& a) {
        ctx_.net->delivered(order_);
        trace_check_answer(a);
        auto& st = state();
        // The newest check after this attempt is the one answered.
        for (auto i = st.checks.rbegin(); i != st.checks.rend(); ++i)
          if (i->after_attempt == a.after_attempt && !i->answered_at) {
            i->answered_at = now();
            i->answer = a.status;
            i->exchange_order = a.exchange_order;
            break;
          }
        logic_->on_check_answer(a);
        maybe_release();
      },
      [this](const timer_msg& t) {
        auto live = take_timer(t.serial);
        if (released_)
          return; // a timer outliving the order: nothing to do
        if (!live)
          return; // cancelled
        trace(name_, fmt::format("timer {:#x}", t.id));
        logic_->on_timer(t.id);
        maybe_release();
      },
      [this](const reconcile_done_msg&) {
        EXECSIM_ASSERT(!state().held); // the reconciler let go first
        maybe_release();
      },
    };
  }

private:
  order_state& state() noexcept {
    return ctx_.orders->at(order_);
  }
  const order_state& state() const noexcept {
    return ctx_.orders->at(order_);
  }

  /// Refuses an action that breaks the port's rules: the run stops with an
  /// error naming the executor, the order and the call.
  bool refused(const port_action& a) {
    auto why = port_refusal(state(), a);
    if (why.empty())
      return false;
    abort_run(fmt::format("executor \"{}\" made an invalid call for order "
                          "{}: {}: {}",
                          ctx_.sc->executor.kind, state().spec.id,
                          describe_call(a), why));
    return true;
  }

  void trace(std::string_view from, std::string_view what) {
    ctx_.tr->add(now(), from, name_, what);
  }

  void trace_answer(const submit_answer& a) {
    auto from = a.status == submit_status::network_error ? "network"
                                                         : "exchange";
    if (a.status == submit_status::ack)
      trace(from, fmt::format("submit_answer attempt={} ack {} filled={}{}",
                              a.attempt, exchange_order_name(a.exchange_order),
                              a.filled_quantity,
                              a.fill_price ? " @" + a.fill_price->to_string()
                                           : std::string{}));
    else
      trace(from, fmt::format("submit_answer attempt={} {} {}{}", a.attempt,
                              to_string(a.status), a.error_code,
                              retry_after_text(a.retry_after)));
  }

  void trace_check_answer(const check_answer& a) {
    auto from = a.status == check_status::network_error ? "network"
                                                        : "exchange";
    if (a.status == check_status::found)
      trace(from, fmt::format("check_answer after_attempt={} found {}",
                              a.after_attempt,
                              exchange_order_name(a.exchange_order)));
    else
      trace(from, fmt::format("check_answer after_attempt={} {}{}",
                              a.after_attempt, to_string(a.status),
                              retry_after_text(a.retry_after)));
  }

  /// Released once the result is in and nothing of the order travels.
  void maybe_release() {
    auto& st = state();
    if (released_ || !st.result || st.in_flight > 0 || st.held)
      return;
    EXECSIM_ASSERT(st.results >= 1 && st.in_flight == 0);
    released_ = true;
    ctx_.log->release(order_);
    // A finished order's timers (its last submit timeout, most often)
    // would stay in the clock until due, and at a million orders that is
    // most of the memory; they are dropped on arrival, so take them out.
    for (const auto& t : timers_)
      withdraw_timer(ctx_, t.due, order_, t.serial);
    timers_.clear();
    quit();
  }

  // -- executor_port ---------------------------------------------------------

  ns_t now() const noexcept override {
    return ctx_.now();
  }

  const order_spec& order() const noexcept override {
    return ctx_.orders->at(order_).spec;
  }

  const executor_config& config() const noexcept override {
    return ctx_.sc->executor;
  }

  std::uint64_t random(std::uint64_t a, std::uint64_t b) const
    noexcept override {
    return draw(ctx_.seed, rng_stream::jitter,
                ctx_.orders->at(order_).id_hash, a, b);
  }

  std::uint64_t seed() const noexcept override {
    return ctx_.seed;
  }

  void submit(int attempt, const std::string& idem_key) override {
    port_action a;
    a.what = port_action::kind::submit;
    a.attempt = attempt;
    a.idem_key = idem_key;
    if (refused(a))
      return;
    auto& st = state();
    // The rules allow only the next attempt, before the result.
    EXECSIM_ASSERT(static_cast<std::size_t>(attempt) == st.attempts.size() + 1
                   && !st.result);
    if (st.idem_key.empty()) {
      st.idem_key = idem_key;
      ctx_.log->key_chosen(st);
    }
    st.attempts.emplace_back();
    st.attempts.back().sent_at = now();
    ctx_.net->send_submit(this, submit_msg{order_, attempt, idem_key});
  }

  void check(int after_attempt, const std::string& idem_key) override {
    send_check(after_attempt, idem_key, false);
  }

  void poll(int after_attempt, const std::string& idem_key) override {
    send_check(after_attempt, idem_key, true);
  }

  void send_check(int after_attempt, const std::string& idem_key, bool poll) {
    port_action a;
    a.what = port_action::kind::check;
    a.attempt = after_attempt;
    a.idem_key = idem_key;
    a.poll = poll;
    if (refused(a))
      return;
    auto& st = state();
    EXECSIM_ASSERT(after_attempt >= (poll ? 0 : 1)
                   && static_cast<std::size_t>(after_attempt)
                        <= st.attempts.size());
    check_obs c;
    c.after_attempt = after_attempt;
    c.sent_at = now();
    st.checks.push_back(c);
    ctx_.net->send_check(this, check_msg{order_, after_attempt, idem_key});
  }

  void set_timer(std::uint64_t id, ns_t after_ns) override {
    port_action a;
    a.what = port_action::kind::set_timer;
    a.timer_id = id;
    a.after_ns = after_ns;
    if (refused(a))
      return;
    EXECSIM_ASSERT(after_ns >= 0 && after_ns <= port_timer_ns_max);
    auto serial = ++timer_serial_;
    timers_.push_back({serial, id, now() + after_ns, false});
    // Anonymous: a delayed message holds its sender alive until it fires.
    caf::delayed_anon_send(ctx_.timers, std::chrono::nanoseconds{after_ns},
                           timer_request{order_, id, serial});
  }

  void cancel_timer(std::uint64_t id) override {
    port_action a;
    a.what = port_action::kind::cancel_timer;
    a.timer_id = id;
    if (refused(a))
      return;
    // Still in the clock: withdrawn with the others if the order is
    // released first, ignored when it fires.
    for (auto& t : timers_)
      if (t.id == id)
        t.cancelled = true;
  }

  /// The timer set as `serial` has left the clock: forgotten, and whether
  /// it is still to be acted on (false once cancelled, or if unknown).
  bool take_timer(std::uint64_t serial) {
    auto& ts = timers_;
    auto i = std::find_if(ts.begin(), ts.end(),
                          [serial](const auto& t) { return t.serial == serial; });
    if (i == ts.end())
      return false;
    bool live = !i->cancelled;
    ts.erase(i);
    return live;
  }

  void attempt_timed_out(int attempt) override {
    port_action a;
    a.what = port_action::kind::timed_out;
    a.attempt = attempt;
    if (refused(a))
      return;
    auto& st = state();
    EXECSIM_ASSERT(attempt >= 1
           && static_cast<std::size_t>(attempt) <= st.attempts.size());
    auto& obs = st.attempts[static_cast<std::size_t>(attempt) - 1];
    // A sent attempt without an answer times out once.
    EXECSIM_ASSERT(!obs.answer && !obs.timed_out);
    obs.timed_out = true;
    obs.timed_out_at = now();
  }

  void check_timed_out(int after_attempt) override {
    port_action a;
    a.what = port_action::kind::check_timed_out;
    a.attempt = after_attempt;
    if (refused(a))
      return;
    auto& st = state();
    for (auto i = st.checks.rbegin(); i != st.checks.rend(); ++i)
      if (i->after_attempt == after_attempt) {
        EXECSIM_ASSERT(!i->answered_at && !i->timed_out);
        i->timed_out = true;
        i->timed_out_at = now();
        return;
      }
  }

  void publish(event_channel channel, std::string payload_json) override {
    port_action a;
    a.what = port_action::kind::publish;
    a.channel = channel; // the payload is not judged: no copy
    if (refused(a))
      return;
    auto& st = state();
    if (st.result) {
      // Not delivered: the tracker's statuses and the events table stay as
      // the result left them; the violation names the event.
      ctx_.log->violation({"terminal", st.spec.id,
                           fmt::format("event {} published after the result",
                                       to_string(channel))});
      return;
    }
    auto seq = ctx_.next_seq++;
    st.events.push_back(channel);
    send(ctx_.bus, event_msg{seq, now(), channel, order_, st.spec.id,
                             std::move(payload_json)});
  }

  void finish(execution_result result) override {
    port_action a;
    a.what = port_action::kind::finish;
    a.result.success = result.success;
    a.result.retry_count = result.retry_count;
    if (refused(a))
      return;
    auto& st = state();
    ++st.results;
    if (st.results > 1)
      return; // the first result stands; `terminal` reports the count
    EXECSIM_ASSERT(!st.result);
    st.result_seq = ctx_.next_seq++;
    st.finished_at = now();
    st.result = result;
    if (ctx_.reconciliations != nullptr && !result.success
        && result.error_code == "STATUS_UNKNOWN") {
      st.held = true;
      ctx_.reconciliations->open(order_, st, now(), *ctx_.sc);
    }
    send(ctx_.driver, result_msg{order_, st.spec.id, std::move(result)});
  }

  const std::string& scenario_file() const noexcept override {
    return ctx_.sc->file;
  }

  std::shared_ptr<void>& run_slot(const std::string& key) override {
    return ctx_.slots[key];
  }

  void abort_run(std::string why) override {
    if (ctx_.fatal_error.empty())
      ctx_.fatal_error = std::move(why);
  }

  std::string refusal(const port_action& a) const override {
    return port_refusal(state(), a);
  }

  run_context& ctx_;
  order_ix order_;
  std::string name_;
  std::unique_ptr<executor_logic> logic_;
  bool executed_ = false;
  bool released_ = false;
  /// A timer set and not fired yet, so still in the clock.
  struct timer_entry {
    std::uint64_t serial = 0; // counts this executor's set_timer calls
    std::uint64_t id = 0;     // the executor logic's name for it
    ns_t due = 0;             // virtual time it fires at
    bool cancelled = false;   // by cancel_timer: ignored when it fires
  };
  /// Timers still in the clock (cancelled ones too), in the order set.
  std::vector<timer_entry> timers_;
  std::uint64_t timer_serial_ = 0;
};

} // namespace

caf::actor spawn_executor(run_context& ctx, order_ix order) {
  return ctx.rt->system().spawn<executor_actor>(&ctx, order);
}

} // namespace execsim
