// What a run observed, as it happens: faults that fired, fills, events,
// violations, and each order's rows when the order is released. Rows are
// handed on in bounded batches (to the recorder), so memory does not grow
// with the length of the run.
#pragma once

#include "sim/invariants.hpp"
#include "sim/messages.hpp"
#include "sim/order_safety.hpp"
#include "sim/records.hpp"
#include "sim/scenario.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace execsim {

class order_table;
class exchange_ledger;
class probe_tracker;
struct order_state;

class run_log {
public:
  using batch_sink = std::function<void(row_batch&&)>;

  /// `sink` == nullptr: rows are not kept (exploration counts, not stores).
  run_log(order_table& orders, batch_sink sink, std::size_t batch_rows = 8192);

  void set_ledger(const exchange_ledger* ledger) noexcept {
    ledger_ = ledger;
  }
  /// Where finished orders' probes go (sim/probes.hpp); nullptr = none.
  void set_probes(probe_tracker* probes) noexcept {
    probes_ = probes;
  }

  /// `attempt` of `o` failed at send in an outage (for the probes).
  void submit_outage(const order_state& o, int attempt);

  void fault(ns_t at, fault_kind kind, const order_state* o,
             std::optional<int> attempt, std::string detail);
  void fill(const fill_row& row);
  void event(const event_msg& e);
  void violation(violation_row row);
  /// Backtest: the market an order met when it was sent.
  void arrival(arrival_row row);
  /// An order the reconciler worked on (at the end of the run).
  void reconciliation(reconciliation_row row);

  /// The order's executor chose its idempotency key (at its first
  /// submit): checks `distinct_keys`.
  void key_chosen(const order_state& o);

  /// The order is done: writes its rows, checks its invariants, frees it.
  void release(order_ix ix);

  /// The reconciler's hook: exchange order `exchange_order` (N of X-N) is
  /// accounted for, so no_orphan_fill does not count it as an orphan.
  /// Must come before the release of the order whose key it has.
  void mark_reconciled(std::uint64_t exchange_order) {
    reconciled_.insert(exchange_order);
  }

  /// Hands every pending row to the sink.
  void flush();

  /// A kept trace line, recorded with the next batch.
  void trace_line(std::int64_t seq, ns_t at, const std::string& line);

  const std::vector<violation_row>& violations() const noexcept {
    return violations_;
  }
  /// Violations per invariant name (all of them, even past the kept ones).
  const std::map<std::string, std::uint64_t>& violation_counts() const
    noexcept {
    return violation_counts_;
  }
  std::uint64_t faults_fired() const noexcept {
    return faults_fired_;
  }
  const std::map<std::string, std::uint64_t>& faults_by_kind() const
    noexcept {
    return faults_by_kind_;
  }
  std::uint64_t fills() const noexcept {
    return fills_;
  }
  std::uint64_t successes() const noexcept {
    return successes_;
  }

  /// Each key's text and first order (the exchange's ledger shares them).
  const key_owners& key_texts() const noexcept {
    return key_owners_;
  }

  /// The order's row as recorded (also used by the report of a failure).
  static order_row make_order_row(const order_state& o);

private:
  void maybe_flush();

  order_table& orders_;
  batch_sink sink_;
  std::size_t batch_rows_;
  const exchange_ledger* ledger_ = nullptr;
  probe_tracker* probes_ = nullptr;
  /// Each key's first order, for `distinct_keys`.
  key_owners key_owners_;
  reconciled_orders reconciled_; // empty until a reconciler marks some
  row_batch pending_;
  std::vector<violation_row> violations_;
  std::map<std::string, std::uint64_t> violation_counts_;
  std::map<std::string, std::uint64_t> faults_by_kind_;
  std::uint64_t faults_fired_ = 0;
  std::uint64_t fills_ = 0;
  std::uint64_t successes_ = 0;
};

/// Violations kept with their detail; beyond this they are only counted.
constexpr std::size_t violations_kept_max = 10'000;

} // namespace execsim
