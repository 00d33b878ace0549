// An out-of-tree executor plug-in: the built-in retry rule behind an audit
// that checks, on every action, the rules a production executor must keep
// (attempts numbered 1, 2, 3..., one result, never a submit after it).
// It shows both halves of the API: an executor_logic execsim drives, and an
// executor_port it acts through.
#include "actors/executor/builtin_executor.hpp"
#include "actors/executor/executor_api.hpp"
#include "libexec/cli/execsim_main.hpp"

#include <cstdlib>
#include <iostream>
#include <memory>

namespace {

using namespace execsim;

/// Passes every action on to execsim's port, checking it first.
class audit_port final : public executor_port {
public:
  explicit audit_port(executor_port& real) : real_(real) {
  }

  ns_t now() const noexcept override {
    return real_.now();
  }
  const order_spec& order() const noexcept override {
    return real_.order();
  }
  const executor_config& config() const noexcept override {
    return real_.config();
  }
  std::uint64_t random(std::uint64_t a, std::uint64_t b) const
    noexcept override {
    return real_.random(a, b);
  }
  void submit(int attempt, const std::string& key) override {
    if (finished_ || attempt != last_attempt_ + 1)
      violated("submit of attempt " + std::to_string(attempt));
    last_attempt_ = attempt;
    real_.submit(attempt, key);
  }
  void check(int after_attempt, const std::string& key) override {
    real_.check(after_attempt, key);
  }
  void set_timer(std::uint64_t id, ns_t after) override {
    real_.set_timer(id, after);
  }
  void cancel_timer(std::uint64_t id) override {
    real_.cancel_timer(id);
  }
  void attempt_timed_out(int attempt) override {
    real_.attempt_timed_out(attempt);
  }
  void check_timed_out(int after_attempt) override {
    real_.check_timed_out(after_attempt);
  }
  void publish(event_channel channel, std::string payload) override {
    real_.publish(channel, std::move(payload));
  }
  void finish(execution_result result) override {
    if (finished_)
      violated("second result");
    finished_ = true;
    real_.finish(std::move(result));
  }
  const std::string& scenario_file() const noexcept override {
    return real_.scenario_file();
  }
  std::shared_ptr<void>& run_slot(const std::string& key) override {
    return real_.run_slot(key);
  }
  void abort_run(std::string why) override {
    real_.abort_run(std::move(why));
  }

private:
  void violated(const std::string& what) {
    real_.abort_run("audited executor broke its rules: " + what + " of "
                    + real_.order().id);
  }

  executor_port& real_;
  int last_attempt_ = 0;
  bool finished_ = false;
};

class audited_executor final : public executor_logic {
public:
  explicit audited_executor(executor_port& port)
    : audit_(port), inner_(audit_) {
  }
  void on_execute() override {
    inner_.on_execute();
  }
  void on_submit_answer(const submit_answer& a) override {
    inner_.on_submit_answer(a);
  }
  void on_check_answer(const check_answer& a) override {
    inner_.on_check_answer(a);
  }
  void on_timer(std::uint64_t id) override {
    inner_.on_timer(id);
  }

private:
  audit_port audit_;
  builtin_executor inner_;
};

} // namespace

int main(int argc, char** argv) {
  execsim::register_executor("audited", [](execsim::executor_port& port) {
    return std::make_unique<audited_executor>(port);
  });
  return execsim::execsim_main(argc, argv);
}
