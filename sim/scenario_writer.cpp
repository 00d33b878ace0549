#include "sim/scenario_writer.hpp"

#include "sim/scenario_paths.hpp"
#include "sim/toml_text.hpp"

#include <fmt/format.h>

#include <utility>

namespace execsim {

namespace {

/// key = value pairs, the values already TOML text, in writing order.
using pairs = std::vector<std::pair<std::string, std::string>>;

std::string dur(ns_t ns) {
  return toml_string(format_duration(ns));
}

std::string integer(std::int64_t x) {
  return fmt::format("{}", x);
}

std::string boolean(bool x) {
  return x ? "true" : "false";
}

/// An enum value by its name in scenario files, as a TOML string.
const auto named = [](auto x) { return toml_string(to_string(x)); };

/// Adds `key = text(value)` when `value` is not the loader's default `def`.
template <class T, class Text>
void unless_default(pairs& p, const char* key, const T& value, const T& def,
                    Text text) {
  if (value != def)
    p.emplace_back(key, text(value));
}

/// The executor's settings that differ from the loader's defaults.
pairs executor_pairs(const executor_config& e, const std::string& file,
                     const std::string& written_in) {
  const executor_config d;
  pairs p;
  unless_default(p, "kind", e.kind, d.kind, toml_string);
  if (!e.command.empty())
    p.emplace_back("command", toml_strings(portable_command(e.command, file,
                                                            written_in)));
  if (!e.factory.empty()) {
    p.emplace_back("factory", toml_string(portable_factory(e.factory, file,
                                                           written_in)));
    // The interpreter is the first word of the harness's command; written
    // always, since the file may run on a machine whose default differs.
    p.emplace_back("python", toml_string(portable_command({e.python}, file,
                                                          written_in)[0]));
  }
  unless_default(p, "max_attempts", e.max_attempts, d.max_attempts, integer);
  unless_default(p, "initial_backoff", e.initial_backoff, d.initial_backoff,
                 dur);
  unless_default(p, "backoff_multiplier", e.backoff_multiplier,
                 d.backoff_multiplier, toml_float);
  unless_default(p, "max_backoff", e.max_backoff, d.max_backoff, dur);
  unless_default(p, "jitter", e.jitter, d.jitter, named);
  unless_default(p, "submit_timeout", e.submit_timeout, d.submit_timeout, dur);
  unless_default(p, "check_timeout", e.check_timeout, d.check_timeout, dur);
  unless_default(p, "fatal_codes", e.fatal_codes, d.fatal_codes, toml_strings);
  unless_default(p, "final_check", e.final_check, d.final_check, boolean);
  unless_default(p, "honour_retry_after", e.honour_retry_after,
                 d.honour_retry_after, boolean);
  return p;
}

std::string latency_text(const latency_range& l) {
  if (l.dist == latency_dist::lognormal)
    return toml_inline({{"dist", named(l.dist)},
                        {"median", dur(l.median)},
                        {"p99", dur(l.p99)}});
  if (l.min == l.max)
    return dur(l.min);
  return toml_inline({{"min", dur(l.min)}, {"max", dur(l.max)}});
}

std::string rate_limit_text(const rate_limit_config& r) {
  pairs p{{"max", integer(r.max)}, {"per", dur(r.per)}};
  unless_default(p, "code", r.code, rate_limit_config{}.code, toml_string);
  if (r.retry_after)
    p.emplace_back("retry_after", dur(*r.retry_after));
  return toml_inline(p);
}

/// The exchange's settings that differ from the loader's defaults; each
/// price is a key of its own (exchange.prices.AAPL = "150.25").
pairs exchange_pairs(const exchange_config& x) {
  const exchange_config d;
  const auto& l = x.latency;
  pairs p;
  if (l.dist != d.latency.dist || l.min != d.latency.min
      || l.max != d.latency.max)
    p.emplace_back("latency", latency_text(l));
  if (x.latency_spikes.p > 0)
    p.emplace_back("latency_spikes",
                   toml_inline({{"p", toml_float(x.latency_spikes.p)},
                                {"extra", dur(x.latency_spikes.extra)}}));
  unless_default(p, "on_duplicate_key", x.on_duplicate_key,
                 d.on_duplicate_key, named);
  if (x.reject_after_accept)
    p.emplace_back("reject_after_accept", toml_string(*x.reject_after_accept));
  if (!x.symbols.empty())
    p.emplace_back("symbols", toml_strings(x.symbols));
  unless_default(p, "unknown_symbols", x.unknown_symbols, d.unknown_symbols,
                 named);
  for (const auto& [sym, px] : x.prices)
    p.emplace_back("prices." + toml_key(sym), toml_string(px.to_string()));
  unless_default(p, "lookup_lag", x.lookup_lag, d.lookup_lag, dur);
  if (x.key_ttl)
    p.emplace_back("key_ttl", dur(*x.key_ttl));
  if (x.rate_limit)
    p.emplace_back("rate_limit", rate_limit_text(*x.rate_limit));
  return p;
}

std::string order_text(const order_spec& o) {
  const order_spec d;
  pairs p{{"id", toml_string(o.id)}};
  unless_default(p, "at", o.at, d.at, dur);
  unless_default(p, "trader", o.trader, d.trader, toml_string);
  unless_default(p, "symbol", o.symbol, d.symbol, toml_string);
  unless_default(p, "side", o.side, d.side, named);
  unless_default(p, "quantity", o.quantity, d.quantity, integer);
  if (o.price)
    p.emplace_back("price", toml_string(o.price->to_string()));
  if (o.timestamp != default_timestamp(o.at))
    p.emplace_back("timestamp", toml_string(o.timestamp));
  return toml_inline(p);
}

std::string fault_text(const fault_spec& f) {
  pairs p{{"kind", named(f.kind)}};
  if (f.order)
    p.emplace_back("order", toml_string(*f.order));
  if (f.attempt)
    p.emplace_back("attempt", integer(*f.attempt));
  switch (f.kind) {
    case fault_kind::delay_ack:
    case fault_kind::delay_check:
      p.emplace_back("delay", dur(f.delay));
      break;
    case fault_kind::reject:
      p.emplace_back("code", toml_string(f.code));
      break;
    case fault_kind::outage:
      p.emplace_back("from", dur(f.from));
      p.emplace_back("until", dur(f.until));
      break;
    default:
      break;
  }
  return toml_inline(p);
}

/// A [reconciler] table in full: its presence turns the reconciler on.
pairs reconciler_pairs(const reconciler_config& r) {
  return {{"after", dur(r.after)},
          {"interval", dur(r.interval)},
          {"max_queries", integer(r.max_queries)},
          {"resolve_within", dur(r.resolve_within)}};
}

/// `prefix.key = value` lines, then a blank line; nothing when empty.
void write_dotted(std::string& out, const std::string& prefix,
                  const pairs& p) {
  for (const auto& [key, value] : p)
    out += fmt::format("{}.{} = {}\n", prefix, key, value);
  if (!p.empty())
    out += "\n";
}

/// `key = [` one inline table a line `]`, then a blank line.
void write_array(std::string& out, const std::string& key,
                 const std::vector<std::string>& items) {
  out += key + " = [";
  for (const auto& item : items)
    out += "\n  " + item + ",";
  out += items.empty() ? "]\n\n" : "\n]\n\n";
}

} // namespace

std::string default_timestamp(ns_t at) {
  return fmt::format("t+{}", at);
}

std::string to_toml(const scenario& sc, const std::string& written_in) {
  std::string out = "name = " + toml_string(sc.name) + "\n";
  if (!sc.description.empty())
    out += "description = " + toml_string(sc.description) + "\n";
  out += fmt::format("seed = {}\n\n", sc.seed);
  write_dotted(out, "executor", executor_pairs(sc.executor, sc.file,
                                               written_in));
  write_dotted(out, "exchange", exchange_pairs(sc.exchange));
  if (sc.reconciler.present)
    write_dotted(out, "reconciler", reconciler_pairs(sc.reconciler));
  std::vector<std::string> items;
  for (const auto& o : sc.orders)
    items.push_back(order_text(o));
  write_array(out, "orders", items);
  if (!sc.faults.empty()) {
    items.clear();
    for (const auto& f : sc.faults)
      items.push_back(fault_text(f));
    write_array(out, "faults", items);
  }
  if (!sc.expect_violations.empty())
    out += "expect_violations = " + toml_strings(sc.expect_violations)
           + "\n";
  while (out.size() >= 2 && out.substr(out.size() - 2) == "\n\n")
    out.pop_back();
  return out;
}

} // namespace execsim
