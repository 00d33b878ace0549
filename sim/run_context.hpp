// What the actors of one run share. Every actor of a run runs on the one
// scheduler thread, so plain references are safe and deterministic.
#pragma once

#include "sim/order_table.hpp"
#include "sim/runtime.hpp"
#include "sim/scenario.hpp"

#include <caf/actor.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace execsim {

class trace;
class fault_plan;
class network;
class run_log;
class exchange_book;
class reconciliation_book;

struct run_context {
  const scenario* sc = nullptr;
  std::uint64_t seed = 0;
  runtime* rt = nullptr;
  order_table* orders = nullptr;
  trace* tr = nullptr;
  fault_plan* faults = nullptr;
  network* net = nullptr;
  run_log* log = nullptr;
  exchange_book* book = nullptr;
  /// Set when the scenario has a [reconciler] (sim/reconciliation.hpp).
  reconciliation_book* reconciliations = nullptr;

  caf::actor exchange;
  caf::actor bus;
  caf::actor driver;
  caf::actor timers;

  /// Set when an executor aborted the run (a broken plug-in).
  std::string fatal_error;
  /// Executors' run-wide shared state (executor_port::run_slot).
  std::map<std::string, std::shared_ptr<void>> slots;

  /// Publish sequence counter shared by events and results (see
  /// order_state::result_seq).
  std::int64_t next_seq = 1;

  ns_t now() const noexcept {
    return rt->now();
  }
};

} // namespace execsim
