#include "libexec/bench/baselines.hpp"

#include "libexec/bench/stopwatch.hpp"
#include "sim/runtime.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include <memory>

namespace execsim::bench {

namespace {

// The unused argument sidesteps a CAF 0.17.6 defect: spawning a function
// actor without arguments binds a reference to a null tuple (UBSan).
caf::behavior echo_server(caf::event_based_actor* self, int /* unused */) {
  return {
    [=](std::uint64_t x) {
      self->send(caf::actor_cast<caf::actor>(self->current_sender()), x);
    },
  };
}

caf::behavior client(caf::event_based_actor* self, caf::actor server,
                     std::shared_ptr<std::uint64_t> answered) {
  self->send(server, std::uint64_t{1});
  return {
    [=](std::uint64_t) {
      ++*answered;
      self->quit();
    },
  };
}

} // namespace

caf_baseline measure_caf(std::uint64_t n) {
  runtime rt;
  auto answered = std::make_shared<std::uint64_t>(0);
  auto server = rt.system().spawn(echo_server, 0);
  rt.run({}, [] { return true; }); // the server's start is not measured
  rt.begin_run();

  stopwatch sw;
  // Spawning is part of the cost: the simulator spawns an actor per order.
  for (std::uint64_t i = 0; i < n; ++i)
    rt.system().spawn(client, server, answered);
  rt.run({}, [&] { return *answered == n; });
  caf_baseline out;
  out.seconds = sw.seconds();
  out.cpu_seconds = sw.cpu_seconds();
  out.round_trips = *answered;
  out.steps = rt.steps();

  caf::anon_send_exit(server, caf::exit_reason::user_shutdown);
  rt.drain();
  return out;
}

} // namespace execsim::bench
