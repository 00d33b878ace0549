// forwarding_port (actors/executor/executor_api.hpp): a plug-in that wraps
// the port execsim gives it and overrides only what it changes still sees
// everything else of the run: its seed (a hand-written wrapper that forgot
// seed() saw 0), the port's refusals, and polls.
#include "actors/executor/executor_api.hpp"
#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include <memory>

using namespace execsim;

namespace {

/// What the wrapped port told the executor, per run.
struct seen {
  std::uint64_t seed = 0;
  std::string refusal_of_check_3;
  int submits = 0;
};
seen last;

/// Counts submits and forwards everything else.
class counting_port final : public forwarding_port {
public:
  using forwarding_port::forwarding_port;
  void submit(int attempt, const std::string& key) override {
    ++last.submits;
    forwarding_port::submit(attempt, key);
  }
};

/// Submits once through the wrapped port, polls after the ack, finishes on
/// the poll's answer.
class wrapped_logic final : public executor_logic {
public:
  explicit wrapped_logic(executor_port& real) : port_(real) {
  }
  void on_execute() override {
    last.seed = port_.seed();
    port_action check;
    check.what = port_action::kind::check;
    check.attempt = 3;
    check.idem_key = "k";
    last.refusal_of_check_3 = port_.refusal(check);
    port_.submit(1, "k");
  }
  void on_submit_answer(const submit_answer&) override {
    port_.poll(1, "k");
  }
  void on_check_answer(const check_answer& a) override {
    execution_result r;
    r.success = a.status == check_status::found;
    r.exchange_order = a.exchange_order;
    r.fill_price = a.fill_price;
    port_.finish(r);
  }
  void on_timer(std::uint64_t) override {
  }

private:
  counting_port port_;
};

run_outcome run_wrapped(std::optional<std::uint64_t> seed) {
  register_executor("forwarding-test", [](executor_port& port) {
    return std::make_unique<wrapped_logic>(port);
  });
  auto r = load_scenario_text(R"(name = "wrapped port"
seed = 42
[executor]
kind = "forwarding-test"
[exchange]
latency = "10ms"
[exchange.prices]
AAPL = "150.25"
[[orders]]
id = "o1"
[[expect]]
order = "o1"
success = true
finished_at = "40ms"
)",
                              "wrapped.toml");
  REQUIRE(r.errors.empty());
  run_options opt;
  opt.seed = seed;
  return run_scenario(*r.value, opt);
}

} // namespace

TEST_CASE("a port wrapped in a forwarding_port passes on the run's seed, "
          "the port's refusals and polls",
          "[executor][plugin]") {
  last = {};
  auto out = run_wrapped(std::nullopt);
  INFO(out.error);
  CHECK(out.pass);
  CHECK(last.seed == 42);
  CHECK(last.refusal_of_check_3 == "attempt 3 was never sent (0 sent so far)");
  CHECK(last.submits == 1);

  last = {};
  out = run_wrapped(7);
  CHECK(out.pass);
  CHECK(last.seed == 7);
}
