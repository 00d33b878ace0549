// A validated scenario: what a scenario file says, with every default
// filled in. The loader (scenario_loader.hpp) is the only producer.
#pragma once

#include "sim/decimal.hpp"
#include "sim/virtual_time.hpp"

#include <cstdint>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace execsim {

enum class jitter_mode { none, full, equal, decorrelated };

enum class duplicate_policy { return_existing, reject, accept };

enum class order_side { buy, sell };

/// How one-way latencies are drawn.
enum class latency_dist { uniform, lognormal };

/// What an order for a symbol not in [exchange] symbols gets: a run-time
/// INVALID_SYMBOL reject (the contract's rule) or a load error.
enum class symbol_policy { reject, error };

enum class fault_kind {
  drop_request,
  drop_ack,
  delay_ack,
  network_error,
  reject,
  check_fail,
  check_drop,
  outage,
  /// Last so no earlier kind's value (a draw coordinate) changes.
  delay_check,
};

/// The last fault kind (for loops over every kind).
constexpr fault_kind last_fault_kind = fault_kind::delay_check;
constexpr std::size_t fault_kind_count =
  static_cast<std::size_t>(last_fault_kind) + 1;

constexpr const char* to_string(jitter_mode x) noexcept {
  switch (x) {
    case jitter_mode::none: return "none";
    case jitter_mode::full: return "full";
    case jitter_mode::equal: return "equal";
    case jitter_mode::decorrelated: return "decorrelated";
  }
  return "?";
}

constexpr const char* to_string(duplicate_policy x) noexcept {
  switch (x) {
    case duplicate_policy::return_existing: return "return_existing";
    case duplicate_policy::reject: return "reject";
    case duplicate_policy::accept: return "accept";
  }
  return "?";
}

constexpr const char* to_string(latency_dist x) noexcept {
  return x == latency_dist::uniform ? "uniform" : "lognormal";
}

constexpr const char* to_string(symbol_policy x) noexcept {
  return x == symbol_policy::reject ? "reject" : "error";
}

constexpr const char* to_string(order_side x) noexcept {
  return x == order_side::buy ? "buy" : "sell";
}

constexpr const char* to_string(fault_kind x) noexcept {
  switch (x) {
    case fault_kind::drop_request: return "drop_request";
    case fault_kind::drop_ack: return "drop_ack";
    case fault_kind::delay_ack: return "delay_ack";
    case fault_kind::network_error: return "network_error";
    case fault_kind::reject: return "reject";
    case fault_kind::check_fail: return "check_fail";
    case fault_kind::check_drop: return "check_drop";
    case fault_kind::outage: return "outage";
    case fault_kind::delay_check: return "delay_check";
  }
  return "?";
}

/// Where something was written in the scenario file (1-based; 0 = nowhere).
struct source_pos {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

struct executor_config {
  /// Which executor the runtime spawns: "builtin", "process" or a name
  /// registered through the plug-in API.
  std::string kind = "builtin";
  /// For kind = "process": argv of the program.
  std::vector<std::string> command;
  /// For kind = "asyncio": the user's "module:callable" factory and the
  /// interpreter to start.
  std::string factory;
  std::string python = "python3";
  int max_attempts = 3;
  ns_t initial_backoff = 1 * ns_per_s;
  double backoff_multiplier = 2.0;
  /// Upper bound for one backoff wait (0 = none); caps decorrelated jitter.
  ns_t max_backoff = 0;
  jitter_mode jitter = jitter_mode::none;
  ns_t submit_timeout = 2 * ns_per_s;
  ns_t check_timeout = 1 * ns_per_s;
  std::vector<std::string> fatal_codes = {"INVALID_SYMBOL", "UNAUTHORIZED",
                                          "INSUFFICIENT_FUNDS",
                                          "RISK_VIOLATION"};
  bool final_check = true;
  /// Wait at least the `retry_after` an answer carries (rate_limit) before
  /// the next submit.
  bool honour_retry_after = false;
};

/// One-way latency: uniform in [min, max] (min == max: fixed), or
/// lognormal with the given median and 99th percentile.
struct latency_range {
  latency_dist dist = latency_dist::uniform;
  ns_t min = 10 * ns_per_ms;
  ns_t max = 10 * ns_per_ms;
  ns_t median = 0;
  ns_t p99 = 0;
};

/// Each message, with chance `p`, takes `extra` longer (p = 0: never).
struct latency_spike_config {
  double p = 0;
  ns_t extra = 0;
};

/// At most `max` submits and checks reach the exchange in any window of
/// `per` (sliding, over arrival times); the rest are rejected with `code`.
struct rate_limit_config {
  std::int64_t max = 1;
  ns_t per = ns_per_s;
  std::string code = "RATE_LIMITED";
  /// What the reject says to wait; nullopt = until the window has room.
  std::optional<ns_t> retry_after;
};

struct exchange_config {
  latency_range latency;
  latency_spike_config latency_spikes;
  duplicate_policy on_duplicate_key = duplicate_policy::return_existing;
  /// Set: a resubmit of a key the exchange knows (as its status queries
  /// see it: lookup_lag and key_ttl apply) is rejected with this code
  /// (on_duplicate_key is then "reject").
  std::optional<std::string> reject_after_accept;
  /// Known symbols; empty = any.
  std::vector<std::string> symbols;
  /// Orders for a symbol not in `symbols` (when it is not empty).
  symbol_policy unknown_symbols = symbol_policy::reject;
  /// Market price per symbol; a symbol without one has no market.
  std::map<std::string, decimal> prices;
  /// An order becomes visible to duplicate checks this long after the
  /// exchange creates it (eventually consistent status queries). 0 = at once.
  ns_t lookup_lag = 0;
  /// How long the exchange remembers an idempotency key, for its own
  /// duplicate detection and for checks; nullopt = for the whole run.
  std::optional<ns_t> key_ttl;
  /// nullopt = no limit.
  std::optional<rate_limit_config> rate_limit;
};

struct order_spec {
  std::string id;
  ns_t at = 0;
  std::string trader = "T1";
  std::string symbol = "AAPL";
  order_side side = order_side::buy;
  std::int64_t quantity = 1;
  /// nullopt = market order.
  std::optional<decimal> price;
  /// The order's own timestamp (part of the idempotency key).
  std::string timestamp;
  source_pos pos;
  /// Where `symbol` was given (0 = the default).
  source_pos symbol_pos;
};

struct fault_spec {
  fault_kind kind = fault_kind::drop_ack;
  /// nullopt = every order.
  std::optional<std::string> order;
  /// nullopt = every attempt.
  std::optional<int> attempt;
  /// delay_ack, delay_check: how much later the answer arrives.
  ns_t delay = 0;
  /// reject: the exchange's error code.
  std::string code;
  /// outage: the window [from, until) of virtual time.
  ns_t from = 0;
  ns_t until = 0;
  source_pos pos;
};

struct expectation {
  std::string order;
  std::optional<bool> success;
  std::optional<int> retry_count;
  std::optional<std::string> error_code;
  std::optional<decimal> fill_price;
  std::optional<std::int64_t> submits;
  std::optional<std::int64_t> fills;
  std::optional<ns_t> finished_at;
  std::optional<std::vector<std::string>> events;
  source_pos pos;
};

using sql_value = std::variant<std::int64_t, std::string, double>;

struct sql_check {
  std::string sql;
  sql_value equals;
  /// Also checked under `execsim explore` (random faults).
  bool always = false;
  source_pos pos;
};

/// Chance per message of each fault kind, for `execsim explore`.
struct explore_config {
  double drop_request = 0;
  double drop_ack = 0;
  double delay_ack = 0;
  ns_t delay_ack_max = 0;
  double network_error = 0;
  double reject = 0;
  std::vector<std::string> reject_codes;
  double check_fail = 0;
  double check_drop = 0;
  double outage = 0;
  ns_t outage_max = 0;
  /// Chance per duplicate check's answer that it is delayed, by up to max.
  double delay_check = 0;
  ns_t delay_check_max = 0;
  /// Timing-boundary targeting (sim/boundary_target.hpp): the chance that
  /// a drawn delay_ack, delay_check or outage is placed at one of the
  /// executor's edges (an ack 1 ns before, at or 1 ns after submit_timeout;
  /// a check answer likewise at check_timeout; an outage that ends as an
  /// order starts) instead of drawn from its range. 0 = off.
  double boundary = 0;
  /// Swarm testing: each seed first draws which fault kinds it uses
  /// (sim/swarm.hpp), then draws faults of those kinds only.
  bool swarm = false;
  /// Probes (sim/probes.hpp) some seed must reach, else the exploration
  /// fails. Valid names (the loader checks them).
  std::vector<std::string> must_reach;
  /// Whether the file has an [explore] table at all.
  bool present = false;
};

/// [reconciler]: after an order ends STATUS_UNKNOWN, ask the venue about
/// it until it is found or ruled out (actors/reconciler.hpp). Off unless
/// the file has the table.
struct reconciler_config {
  /// Whether the file has a [reconciler] table at all.
  bool present = false;
  /// From the STATUS_UNKNOWN result to the first query.
  ns_t after = 1 * ns_per_s;
  /// From a query's inconclusive answer to the next query.
  ns_t interval = 1 * ns_per_s;
  /// Queries before the reconciler gives up (gave_up: unknown_resolved).
  int max_queries = 10;
  /// unknown_resolved: each order is resolved this long after faults stop.
  ns_t resolve_within = 60 * ns_per_s;
};

struct scenario {
  std::string name;
  std::string description;
  /// Path it was loaded from ("" for scenarios built in code).
  std::string file;
  /// The file's full text, recorded so a run can be replayed exactly.
  std::string text;
  std::uint64_t seed = 0;
  executor_config executor;
  exchange_config exchange;
  std::vector<order_spec> orders;
  std::vector<fault_spec> faults;
  std::vector<expectation> expects;
  std::vector<sql_check> checks;
  /// Invariants the file says must be violated (e.g. "one_fill_per_key").
  std::vector<std::string> expect_violations;
  explore_config explore;
  reconciler_config reconciler;
};

/// The invariant names the runner checks on every run.
inline const std::vector<std::string>& invariant_names() {
  static const std::vector<std::string> names = {
    "one_fill_per_key", "terminal", "result_matches_exchange",
    "distinct_keys", "no_orphan_fill", "no_duplicate_exposure",
    "unknown_resolved"};
  return names;
}

} // namespace execsim
