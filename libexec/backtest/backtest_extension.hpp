// What a backtest adds to a run (sim/run_extension.hpp): the exchange fills
// against the replayed quotes (actors/quote_book.hpp), a market feed wakes
// resting orders at each later quote (actors/market_feed.hpp), and a
// listener on the bus hands each order's result to the statistics.
#pragma once

#include "actors/exchange/quote_book.hpp"
#include "libexec/backtest/execution_stats.hpp"
#include "sim/quote.hpp"
#include "libexec/run/run_extension.hpp"

#include <caf/actor.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace execsim::backtest {

/// Where a long backtest is (for a progress line).
struct progress_info {
  std::uint64_t quotes = 0;        // quotes applied
  std::uint64_t orders_sent = 0;   // orders the driver started
  std::uint64_t orders_done = 0;   // orders with a result
  ns_t virtual_now = 0;
};

class backtest_extension final : public run_extension {
public:
  using progress_fn = std::function<void(const progress_info&)>;

  /// `quotes` and `stats` must outlive the run. `progress` (may be empty)
  /// is called every `progress_every` quotes.
  backtest_extension(quote_stream& quotes, epoch_ns origin,
                     execution_stats& stats, progress_fn progress = {},
                     std::uint64_t progress_every = 1u << 16);
  ~backtest_extension() override;

  void attach(run_context& ctx) override;
  bool busy() const override;
  void detach() override;

  /// The mid of `spec`'s symbol at its `at` (quotes applied up to then),
  /// recorded in the statistics as the order's arrival. Call when the
  /// order is sent (virtual now == spec.at).
  void note_arrival(const order_spec& spec);

  progress_info progress() const;

private:
  quote_stream& quotes_;
  epoch_ns origin_;
  execution_stats& stats_;
  progress_fn progress_;
  std::uint64_t progress_every_;
  run_context* ctx_ = nullptr; // while attached
  ns_t detached_at_ = 0;
  std::unique_ptr<quote_book> book_;
  caf::actor feed_;
  caf::actor listener_;
};

} // namespace execsim::backtest
