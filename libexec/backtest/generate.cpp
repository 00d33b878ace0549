#include "libexec/backtest/generate.hpp"

#include "sim/rng.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <system_error>

namespace execsim::backtest {

namespace {

constexpr std::int64_t nano_per_cent = 10'000'000;

/// Buffered CSV output: rows are formatted into one buffer, written in
/// blocks of 64 KiB.
class csv_out {
public:
  explicit csv_out(std::FILE* f) : file_(f) {
  }
  fmt::memory_buffer& buffer() noexcept {
    return buf_;
  }
  bool maybe_flush(std::string& error) {
    return buf_.size() < (64u << 10) || flush(error);
  }
  bool flush(std::string& error) {
    if (buf_.size() > 0
        && std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size()) {
      error = fmt::format("write failed ({})",
                          std::generic_category().message(errno));
      return false;
    }
    buf_.clear();
    if (std::fflush(file_) != 0) {
      error = fmt::format("write failed ({})",
                          std::generic_category().message(errno));
      return false;
    }
    return true;
  }

private:
  std::FILE* file_;
  fmt::memory_buffer buf_;
};

/// A price `cents_offset` cents from `touch`, written with at least two
/// decimals (more if the touch has them); nullopt if not above 0.
std::optional<decimal> price_from(const decimal& touch,
                                  std::int64_t cents_offset) {
  auto scale = std::max(2, touch.scale());
  auto nano = touch.nano() + cents_offset * nano_per_cent;
  if (nano <= 0)
    return std::nullopt;
  std::int64_t unit = 1;
  for (int i = scale; i < decimal::scale_max; ++i)
    unit *= 10;
  return decimal{nano / unit, scale};
}

struct time_span {
  epoch_ns first = 0;
  epoch_ns last = 0;
  bool any = false;
};

time_span span_of(quote_stream& quotes) {
  time_span s;
  quote q;
  while (quotes.next(q)) {
    if (!s.any)
      s.first = q.ts;
    s.last = q.ts;
    s.any = true;
  }
  return s;
}

} // namespace

market_generator::market_generator(market_params p)
  : p_(std::move(p)), rng_(draw(p_.seed, rng_stream::market, 0)) {
  for (std::size_t i = 0; i < p_.symbols.size(); ++i)
    bid_cents_.push_back(between(rng_.next(), 5'000, 50'000));
}

bool market_generator::next(quote& q) {
  if (row_ >= p_.rows || p_.symbols.empty())
    return false;
  auto n = p_.symbols.size();
  auto sym = static_cast<std::size_t>(row_ % n);
  auto tick = row_ / n;
  auto& r = rng_;
  auto& bid = bid_cents_[sym];
  bid = std::max<std::int64_t>(100, bid + between(r.next(), -3, 3));
  auto spread = between(r.next(), 1, 3);
  q.ts = p_.start + static_cast<epoch_ns>(tick) * p_.interval;
  q.symbol = p_.symbols[sym];
  q.bid = decimal{bid, 2};
  q.ask = decimal{bid + spread, 2};
  q.bid_size = between(r.next(), 1, 10) * 100;
  q.ask_size = between(r.next(), 1, 10) * 100;
  ++row_;
  return true;
}

bool write_market_csv(quote_stream& quotes, std::FILE* out,
                      std::string& error) {
  csv_out w{out};
  fmt::format_to(std::back_inserter(w.buffer()),
                 "ts,symbol,bid,ask,bid_size,ask_size\n");
  quote q;
  while (quotes.next(q)) {
    fmt::format_to(std::back_inserter(w.buffer()), "{},{},{},{},{},{}\n",
                   format_timestamp(q.ts), q.symbol, q.bid.to_string(),
                   q.ask.to_string(), q.bid_size, q.ask_size);
    if (!w.maybe_flush(error))
      return false;
  }
  return w.flush(error);
}

bool write_orders_csv(const quote_source& source, const order_params& p,
                      std::FILE* out, std::string& error) {
  auto span = span_of(*source());
  csv_out w{out};
  fmt::format_to(std::back_inserter(w.buffer()),
                 "ts,order_id,trader,symbol,side,quantity,price\n");
  if (!span.any || p.orders == 0)
    return w.flush(error);

  auto quotes = source();
  std::map<std::string, quote> current; // sorted: a deterministic pick
  quote ahead;
  bool has_ahead = quotes->next(ahead);
  rng_sequence r{draw(p.seed, rng_stream::orders, 0)};
  auto width = static_cast<uint128_t>(span.last - span.first);
  for (std::uint64_t i = 0; i < p.orders; ++i) {
    // Slot i of `orders` equal slots, at a random point inside it: times
    // never go back and never bunch up.
    auto slot = (static_cast<uint128_t>(i) << 32) + (r.next() >> 32);
    auto ts = span.first
              + static_cast<epoch_ns>(width * slot
                                      / (static_cast<uint128_t>(p.orders) << 32));
    if (width / p.orders >= static_cast<uint128_t>(ns_per_ms))
      ts -= (ts - span.first) % ns_per_ms; // readable times when there is room
    while (has_ahead && ahead.ts <= ts) {
      current[ahead.symbol] = ahead;
      has_ahead = quotes->next(ahead);
    }
    auto pick = below(r.next(), current.size());
    auto it = std::next(current.begin(), static_cast<std::ptrdiff_t>(pick));
    const auto& q = it->second;
    bool buy = (r.next() & 1) == 0;
    auto quantity = between(r.next(), 1, 20) * 100;
    bool limit = (r.next() & 1) == 0;
    auto offset = between(r.next(), -5, 2);
    auto trader = 1 + below(r.next(), 3);
    std::optional<decimal> price;
    if (limit)
      price = buy ? price_from(q.ask, offset) : price_from(q.bid, -offset);
    fmt::format_to(std::back_inserter(w.buffer()), "{},o{},T{},{},{},{},{}\n",
                   format_timestamp(ts), i + 1, trader, it->first,
                   buy ? "buy" : "sell", quantity,
                   price ? price->to_string() : "");
    if (!w.maybe_flush(error))
      return false;
  }
  return w.flush(error);
}

} // namespace execsim::backtest
