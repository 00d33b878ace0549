// Probes: "sometimes" assertions (Antithesis's term). Each probe is a named
// condition a run may reach, such as "an ack arrived after its attempt timed
// out"; an invariant must hold on every run, a probe only has to happen on
// some. Exploration counts the seeds that reached each probe, so a fault
// configuration that never reaches the interesting corners shows up, and
// `[explore] must_reach` makes such a gap fail the exploration.
//
// Probes are derived from what the run recorded (each order's attempts and
// checks, the exchange's orders for its key, the outages submits met), when
// the order is released: no actor is instrumented, and they are the same
// for the builtin executor and a process executor. docs/exploring.md
// defines each one precisely.
#pragma once

#include "sim/scenario.hpp"

#include <bitset>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace execsim {

struct order_state;
class exchange_ledger;

/// In the order they are listed and printed.
enum class probe : std::uint8_t {
  ack_after_timeout,
  late_ack_during_backoff,
  check_while_in_flight,
  duplicate_key_reject,
  final_check_found,
  final_check_unknown,
  outage_across_retry,
  check_found,
  check_not_found_but_filled,
  ack_at_timeout,
  check_answer_at_timeout,
};

constexpr std::size_t probe_count = 11;

const char* to_string(probe p) noexcept;
/// One sentence: what reaching it means.
const char* probe_meaning(probe p) noexcept;
/// Every probe, in order.
const std::vector<probe>& all_probes();
std::optional<probe> probe_named(std::string_view name);
/// "ack_after_timeout, late_ack_during_backoff, ..." (for error messages).
std::string probe_name_list();

/// The probes one run reached (bit i: probe i).
using probe_hits = std::bitset<probe_count>;

/// The probes one finished order reached, from its recorded attempts and
/// checks and the exchange's orders with its key (`ledger` may be null:
/// then the probes that need the exchange are not reached).
probe_hits order_probes(const order_state& o, const exchange_ledger* ledger,
                        const executor_config& cfg);

/// Collects the probes of one run as its orders finish.
class probe_tracker {
public:
  explicit probe_tracker(const executor_config& cfg) : cfg_(cfg) {
  }

  /// `attempt` of `o` failed at send in an outage.
  void submit_outage(const order_state& o, int attempt);

  /// `o` is finished (nothing of it travels any more).
  void order_done(const order_state& o, const exchange_ledger* ledger);

  const probe_hits& hits() const noexcept {
    return hits_;
  }

private:
  const executor_config& cfg_;
  probe_hits hits_;
  /// Per live order: the last attempt an outage failed at send. Looked up
  /// and erased only, never iterated.
  std::map<std::string, int> last_outage_attempt_;
};

} // namespace execsim
