#include "sim/runtime.hpp"

#include <caf/atom.hpp>
#include <caf/actor_cast.hpp>
#include <caf/detail/simple_actor_clock.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/type_erased_tuple.hpp>

#include <fmt/format.h>

#include "sim/assert.hpp"

namespace execsim {

namespace {

std::unique_ptr<caf::actor_system_config> make_config() {
  auto cfg = std::make_unique<caf::actor_system_config>();
  cfg->set("scheduler.policy", caf::atom("testing"));
  cfg->set("logger.verbosity", caf::atom("quiet"));
  cfg->set("logger.console", caf::atom("none"));
  return cfg;
}

std::int64_t clock_ns(caf::scheduler::test_coordinator& sched) noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           sched.clock().now().time_since_epoch())
    .count();
}

} // namespace

runtime::runtime()
  : config_(make_config()),
    system_(std::make_unique<caf::actor_system>(*config_)),
    sched_(dynamic_cast<caf::scheduler::test_coordinator*>(
      &system_->scheduler())) {
  EXECSIM_ASSERT(sched_ != nullptr);
  // Actors still alive at the end are ours to stop; never block on them.
  system_->await_actors_before_shutdown(false);
  begin_run();
}

runtime::~runtime() = default;

ns_t runtime::now() const noexcept {
  return clock_ns(*sched_) - origin_ns_;
}

void runtime::begin_run() noexcept {
  origin_ns_ = clock_ns(*sched_);
  steps_ = 0;
}

run_stop runtime::run(const run_limits& limits,
                      const std::function<bool()>& done) {
  // Bounded batches so a message storm cannot run past the step limit.
  constexpr std::size_t batch = 4096;
  for (;;) {
    for (;;) {
      auto handled = sched_->run(batch);
      steps_ += handled;
      if (steps_ >= limits.steps_max)
        return run_stop::step_limit;
      if (handled < batch)
        break;
    }
    if (done() || !sched_->has_pending_timeout())
      break;
    sched_->trigger_timeout();
    if (now() > limits.virtual_ns_max)
      return run_stop::virtual_limit;
  }
  drain();
  return run_stop::quiescent;
}

void runtime::drain() {
  while (sched_->has_pending_timeout()) {
    sched_->trigger_timeouts();
    sched_->run();
  }
  sched_->run();
}

std::size_t runtime::withdraw_delayed(
  ns_t due, const caf::actor& receiver,
  const std::function<bool(const caf::type_erased_tuple&)>& match) {
  using clock_type = caf::detail::simple_actor_clock;
  auto& clock = sched_->clock();
  // schedule() is the clock's own map, handed out const; the test
  // scheduler's single thread is the only one touching it.
  auto& schedule = const_cast<clock_type::schedule_map&>(clock.schedule());
  auto at = caf::actor_clock::time_point{
    std::chrono::duration_cast<caf::actor_clock::duration_type>(
      std::chrono::nanoseconds{origin_ns_ + due})};
  auto target = caf::actor_cast<caf::strong_actor_ptr>(receiver);
  std::size_t taken = 0;
  auto [i, end] = schedule.equal_range(at);
  while (i != end) {
    auto* event = i->second.get();
    if (event->subtype == clock_type::actor_msg_type) {
      auto& msg = static_cast<clock_type::actor_msg&>(*event);
      if (msg.receiver == target && msg.content
          && match(msg.content->content())) {
        // actor_msg entries have no backlink into the actor lookup map.
        i = schedule.erase(i);
        ++taken;
        continue;
      }
    }
    ++i;
  }
  return taken;
}

std::string runtime::describe(run_stop stop, const run_limits& limits) {
  switch (stop) {
    case run_stop::quiescent:
      return "finished";
    case run_stop::virtual_limit:
      return fmt::format("stopped: still busy after the virtual time limit "
                         "of {}",
                         format_duration(limits.virtual_ns_max));
    case run_stop::step_limit:
      return fmt::format("stopped: more than {} messages (step limit)",
                         limits.steps_max);
  }
  return "?";
}

} // namespace execsim
