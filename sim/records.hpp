// Rows of the recording (see recording-schema.md): what the run log hands
// to the recorder in batches, and what sim/recording.hpp writes to SQLite.
#pragma once

#include "sim/virtual_time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace execsim {

struct run_header {
  std::string scenario;      // the scenario's name
  std::string file;          // path it was loaded from
  std::string scenario_text; // the file's full text
  std::uint64_t seed = 0;
  std::string started_at;    // wall clock, ISO 8601 (the one wall read)
  std::string kind = "run";  // run | explore | backtest | replay
};

/// A run's `runs` row: its header as begun, then its result as finished.
struct run_row {
  std::int64_t run_id = 0;
  /// scenario, file, scenario_text, seed, started_at, kind.
  run_header header;
  std::string verdict = "running"; // pass | fail | running
  std::string digest;              // "" = none recorded
  ns_t virtual_end_ns = 0;
  double wall_ms = 0;
  /// What stopped the run before it could finish (a broken executor
  /// program, an executor's invalid call, a run limit); nullopt = nothing.
  std::optional<std::string> error;
};

/// An `explorations` row (version 4): one `explore` process, i.e. one shard
/// of a seed range, and its totals. Failing seeds are runs; passing seeds
/// are only counted here, so shards merged into one recording
/// (`execsim merge`) still give exact totals.
struct exploration_row {
  std::int64_t exploration_id = 0;
  std::string scenario;          // the scenario's name
  std::string file;              // path it was loaded from
  std::int64_t seed_from = 0;    // the range's first seed
  std::int64_t seeds = 0;        // the range's size, over every shard
  std::int64_t shard_index = 0;  // this process's shard: I of I/N
  std::int64_t shard_count = 1;  // N
  std::int64_t seeds_run = 0;    // seeds this shard ran (--stop-after: fewer)
  std::int64_t failing_seeds = 0;
  std::string digest;            // XOR of per-seed words: shards combine
  double wall_ms = 0;
  std::string started_at;        // wall clock, ISO 8601
  /// Seeds that reached each probe, as a JSON object; nullopt = none kept.
  std::optional<std::string> probes;
};

struct order_row {
  std::string order_id;
  std::string idem_key;
  std::string trader;
  std::string symbol;
  std::string side;
  std::int64_t quantity = 0;
  std::optional<std::string> price; // nullopt = market
  std::optional<bool> success;      // nullopt = no result (terminal broken)
  std::optional<std::string> exchange_order_id;
  std::optional<std::string> fill_price;
  std::optional<std::string> error;
  std::optional<std::string> error_code;
  int retry_count = 0;
  ns_t started_at_ns = 0;
  std::optional<ns_t> finished_at_ns;
};

struct attempt_row {
  std::string order_id;
  int attempt = 0;
  ns_t sent_at_ns = 0;
  std::optional<ns_t> answered_at_ns;
  std::string outcome; // ack | timeout | network_error | rejected
  std::optional<std::string> error_code;
  /// When the executor gave up waiting; nullopt = it never did.
  std::optional<ns_t> timed_out_at_ns;
  /// The answer that came after the timeout (ack | rejected |
  /// network_error; its time is answered_at_ns); nullopt = none came late.
  std::optional<std::string> late_answer;
  /// The order finished while the executor still waited for this
  /// attempt's answer; nullopt = not recorded (files before version 3).
  std::optional<bool> abandoned;
};

struct check_row {
  std::string order_id;
  int after_attempt = 0;
  ns_t sent_at_ns = 0;
  std::optional<ns_t> answered_at_ns;
  std::string outcome; // found | not_found | failed | timeout
  std::optional<std::string> exchange_order_id;
};

struct fill_row {
  std::string exchange_order_id;
  std::string idem_key;
  std::string order_id;
  std::int64_t quantity = 0;
  std::string price;
  ns_t filled_at_ns = 0;
};

struct event_row {
  std::int64_t seq = 0;
  ns_t at_ns = 0;
  std::string channel;
  std::string order_id;
  std::string payload; // JSON
};

struct fault_row {
  ns_t at_ns = 0;
  std::string kind;
  std::optional<std::string> order_id;
  std::optional<int> attempt;
  std::string detail; // e.g. "delay=3s", "code=RATE_LIMITED"
};

struct violation_row {
  std::string invariant;
  std::optional<std::string> order_id;
  std::string detail;
};

/// Backtest: the market when an order was sent (for slippage in SQL).
struct arrival_row {
  std::string order_id;
  std::string symbol;
  std::string side;
  ns_t at_ns = 0;
  std::optional<double> arrival_mid; // nullopt: no quote for the symbol yet
};

/// A `reconciliations` row (version 5): one order that ended
/// STATUS_UNKNOWN while a [reconciler] ran (sim/reconciliation.hpp).
struct reconciliation_row {
  std::string order_id;
  int queries = 0;
  /// found | not_found | gave_up; nullopt = not over when the run ended.
  std::optional<std::string> outcome;
  std::optional<std::string> exchange_order_id; // found
  std::optional<std::string> fill_price;        // found and filled
  ns_t unknown_at_ns = 0;                       // the STATUS_UNKNOWN result
  std::optional<ns_t> ended_at_ns;              // when the outcome was known
  ns_t deadline_ns = 0; // unknown_resolved: resolved by then
};

struct trace_row {
  std::int64_t seq = 0;
  ns_t at_ns = 0;
  std::string line;
};

/// Rows collected since the last flush; the recorder writes one batch at a
/// time inside the run's transaction.
struct row_batch {
  std::vector<order_row> orders;
  std::vector<attempt_row> attempts;
  std::vector<check_row> checks;
  std::vector<fill_row> fills;
  std::vector<event_row> events;
  std::vector<fault_row> faults;
  std::vector<violation_row> violations;
  std::vector<trace_row> trace;
  std::vector<arrival_row> arrivals;
  std::vector<reconciliation_row> reconciliations;

  std::size_t size() const noexcept {
    return orders.size() + attempts.size() + checks.size() + fills.size()
           + events.size() + faults.size() + violations.size() + trace.size()
           + arrivals.size() + reconciliations.size();
  }
  bool empty() const noexcept {
    return size() == 0;
  }
};

} // namespace execsim
