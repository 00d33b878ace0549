// The executor plug-in API. An executor is a state machine that reacts to
// four inputs and acts only through its port; the runtime wraps it in a CAF
// actor (one per order in flight), routes its messages through the faulty
// network, records what it does and traces every message. The built-in
// executor (builtin_executor.hpp) is written against this API too.
//
// Inputs (executor_logic):           Actions (executor_port):
//   on_execute()     the order         submit(attempt, key)   to the exchange
//   on_submit_answer(answer)           check(after_attempt, key)
//   on_check_answer(answer)            set_timer(id, after_ns)
//   on_timer(id)                       cancel_timer(id)
//                                      publish(channel, json)
//                                      finish(result)          exactly once
//
// The port refuses an action that breaks its rules (attempts 1, 2, 3, ...
// without gaps; a check only after a failed attempt, a poll after any sent
// one; timers of 0..365 days;
// one result; nothing submitted, checked or published after it): the run
// stops with an error naming the executor, the order and the call, and
// `execsim run` exits 2. docs/process-protocol.md lists every rule.
#pragma once

#include "actors/executor/port_action.hpp"
#include "sim/messages.hpp"
#include "sim/scenario.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace execsim {

class executor_port {
public:
  virtual ~executor_port() = default;

  /// Virtual time now (ns since the run started). Never read a real clock.
  virtual ns_t now() const noexcept = 0;
  /// The order this executor runs.
  virtual const order_spec& order() const noexcept = 0;
  /// The scenario's [executor] settings.
  virtual const executor_config& config() const noexcept = 0;
  /// A seeded random word for coordinates (a, b) of this order: the same on
  /// every run with the same seed.
  virtual std::uint64_t random(std::uint64_t a, std::uint64_t b) const
    noexcept = 0;

  /// The run's seed (the file's, or --seed): for executors that seed
  /// their own randomness (the asyncio harness seeds Python's `random`).
  virtual std::uint64_t seed() const noexcept {
    return 0;
  }

  /// Sends attempt `attempt` (1-based) of the order with this key.
  virtual void submit(int attempt, const std::string& idem_key) = 0;
  /// Asks the exchange for an order with this key; `after_attempt` names
  /// the attempt whose failure led to the check.
  virtual void check(int after_attempt, const std::string& idem_key) = 0;
  /// The same question as a poll: allowed after any attempt sent (acked or
  /// still in flight), not only after a failed one; it goes to the exchange
  /// and is recorded exactly as a check. For executors that confirm an
  /// order they already have (the asyncio harness polls for its user's
  /// code). A port that does not override it treats it as check().
  virtual void poll(int after_attempt, const std::string& idem_key) {
    check(after_attempt, idem_key);
  }
  /// Delivers on_timer(id) after `after_ns` of virtual time.
  virtual void set_timer(std::uint64_t id, ns_t after_ns) = 0;
  /// Every timer with this id that has not fired yet never fires. An id
  /// with no such timer (never set, fired, cancelled) is a no-op.
  virtual void cancel_timer(std::uint64_t id) = 0;
  /// For the recording: the executor stopped waiting for this answer (a
  /// later answer is then recorded as late, with outcome "timeout").
  virtual void attempt_timed_out(int attempt) = 0;
  virtual void check_timed_out(int after_attempt) = 0;
  /// Publishes an event on the bus.
  virtual void publish(event_channel channel, std::string payload_json) = 0;
  /// Delivers the order's result. Call exactly once.
  virtual void finish(execution_result result) = 0;

  /// The scenario file of this run ("" when built in code), to resolve a
  /// plug-in's own relative paths.
  virtual const std::string& scenario_file() const noexcept = 0;
  /// A slot shared by every executor of this run (e.g. one child process
  /// serving all orders); empty until someone fills it, freed with the run.
  virtual std::shared_ptr<void>& run_slot(const std::string& key) = 0;
  /// Stops the run with this error: the executor itself is broken. The run
  /// fails and `execsim run` exits 2.
  virtual void abort_run(std::string why) = 0;
  /// Why the port would refuse `action` now, "" when it would carry it out
  /// (port_rules.hpp). Every call is checked anyway; a plug-in that wants
  /// to name its own cause in the error (the process executor names its
  /// program and line) asks first.
  virtual std::string refusal(const port_action& action) const {
    (void)action;
    return {};
  }
};

/// A port that passes every call on to an inner port: derive from it to
/// wrap the port execsim gives you (to audit, log or adapt some calls) and
/// override only what you change; everything else, including what later
/// versions add to executor_port, keeps reaching execsim.
class forwarding_port : public executor_port {
public:
  explicit forwarding_port(executor_port& inner) noexcept : inner_(inner) {
  }

  ns_t now() const noexcept override {
    return inner_.now();
  }
  const order_spec& order() const noexcept override {
    return inner_.order();
  }
  const executor_config& config() const noexcept override {
    return inner_.config();
  }
  std::uint64_t random(std::uint64_t a, std::uint64_t b) const
    noexcept override {
    return inner_.random(a, b);
  }
  std::uint64_t seed() const noexcept override {
    return inner_.seed();
  }
  void submit(int attempt, const std::string& idem_key) override {
    inner_.submit(attempt, idem_key);
  }
  void check(int after_attempt, const std::string& idem_key) override {
    inner_.check(after_attempt, idem_key);
  }
  void poll(int after_attempt, const std::string& idem_key) override {
    inner_.poll(after_attempt, idem_key);
  }
  void set_timer(std::uint64_t id, ns_t after_ns) override {
    inner_.set_timer(id, after_ns);
  }
  void cancel_timer(std::uint64_t id) override {
    inner_.cancel_timer(id);
  }
  void attempt_timed_out(int attempt) override {
    inner_.attempt_timed_out(attempt);
  }
  void check_timed_out(int after_attempt) override {
    inner_.check_timed_out(after_attempt);
  }
  void publish(event_channel channel, std::string payload_json) override {
    inner_.publish(channel, std::move(payload_json));
  }
  void finish(execution_result result) override {
    inner_.finish(std::move(result));
  }
  const std::string& scenario_file() const noexcept override {
    return inner_.scenario_file();
  }
  std::shared_ptr<void>& run_slot(const std::string& key) override {
    return inner_.run_slot(key);
  }
  void abort_run(std::string why) override {
    inner_.abort_run(std::move(why));
  }
  std::string refusal(const port_action& action) const override {
    return inner_.refusal(action);
  }

protected:
  /// The port this one passes calls on to.
  executor_port& inner() const noexcept {
    return inner_;
  }

private:
  executor_port& inner_;
};

class executor_logic {
public:
  virtual ~executor_logic() = default;
  virtual void on_execute() = 0;
  virtual void on_submit_answer(const submit_answer& answer) = 0;
  virtual void on_check_answer(const check_answer& answer) = 0;
  virtual void on_timer(std::uint64_t id) = 0;
};

using executor_factory =
  std::function<std::unique_ptr<executor_logic>(executor_port&)>;

/// Registers an executor under `name` ([executor] kind = "name").
/// Returns false if the name is taken.
bool register_executor(const std::string& name, executor_factory factory);

/// The factory for `name`, or nullptr.
const executor_factory* find_executor(const std::string& name);

/// Registered names, sorted.
std::vector<std::string> executor_names();

} // namespace execsim
