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

/// Passes every action on to execsim's port (forwarding_port), checking
/// submit and finish first.
class audit_port final : public forwarding_port {
public:
  explicit audit_port(executor_port& real) : forwarding_port(real) {
  }

  void submit(int attempt, const std::string& key) override {
    if (finished_ || attempt != last_attempt_ + 1)
      violated("submit of attempt " + std::to_string(attempt));
    last_attempt_ = attempt;
    forwarding_port::submit(attempt, key);
  }
  void finish(execution_result result) override {
    if (finished_)
      violated("second result");
    finished_ = true;
    forwarding_port::finish(std::move(result));
  }

private:
  void violated(const std::string& what) {
    abort_run("audited executor broke its rules: " + what + " of "
              + order().id);
  }

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
