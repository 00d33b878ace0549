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

/// The executor's settings that differ from the loader's defaults.
pairs executor_pairs(const executor_config& e, const std::string& file,
                     const std::string& written_in) {
  const executor_config d;
  pairs p;
  if (e.kind != d.kind)
    p.emplace_back("kind", toml_string(e.kind));
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
  if (e.max_attempts != d.max_attempts)
    p.emplace_back("max_attempts", integer(e.max_attempts));
  if (e.initial_backoff != d.initial_backoff)
    p.emplace_back("initial_backoff", dur(e.initial_backoff));
  if (e.backoff_multiplier != d.backoff_multiplier)
    p.emplace_back("backoff_multiplier", toml_float(e.backoff_multiplier));
  if (e.max_backoff != d.max_backoff)
    p.emplace_back("max_backoff", dur(e.max_backoff));
  if (e.jitter != d.jitter)
    p.emplace_back("jitter", toml_string(to_string(e.jitter)));
  if (e.submit_timeout != d.submit_timeout)
    p.emplace_back("submit_timeout", dur(e.submit_timeout));
  if (e.check_timeout != d.check_timeout)
    p.emplace_back("check_timeout", dur(e.check_timeout));
  if (e.fatal_codes != d.fatal_codes)
    p.emplace_back("fatal_codes", toml_strings(e.fatal_codes));
  if (e.final_check != d.final_check)
    p.emplace_back("final_check", boolean(e.final_check));
  if (e.honour_retry_after != d.honour_retry_after)
    p.emplace_back("honour_retry_after", boolean(e.honour_retry_after));
  return p;
}

std::string latency_text(const latency_range& l) {
  if (l.dist == latency_dist::lognormal)
    return toml_inline({{"dist", toml_string(to_string(l.dist))},
                        {"median", dur(l.median)},
                        {"p99", dur(l.p99)}});
  if (l.min == l.max)
    return dur(l.min);
  return toml_inline({{"min", dur(l.min)}, {"max", dur(l.max)}});
}

std::string rate_limit_text(const rate_limit_config& r) {
  pairs p{{"max", integer(r.max)}, {"per", dur(r.per)}};
  if (r.code != rate_limit_config{}.code)
    p.emplace_back("code", toml_string(r.code));
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
  if (x.on_duplicate_key != d.on_duplicate_key)
    p.emplace_back("on_duplicate_key",
                   toml_string(to_string(x.on_duplicate_key)));
  if (x.reject_after_accept)
    p.emplace_back("reject_after_accept", toml_string(*x.reject_after_accept));
  if (!x.symbols.empty())
    p.emplace_back("symbols", toml_strings(x.symbols));
  if (x.unknown_symbols != d.unknown_symbols)
    p.emplace_back("unknown_symbols", toml_string(to_string(x.unknown_symbols)));
  for (const auto& [sym, px] : x.prices)
    p.emplace_back("prices." + toml_key(sym), toml_string(px.to_string()));
  if (x.lookup_lag != d.lookup_lag)
    p.emplace_back("lookup_lag", dur(x.lookup_lag));
  if (x.key_ttl)
    p.emplace_back("key_ttl", dur(*x.key_ttl));
  if (x.rate_limit)
    p.emplace_back("rate_limit", rate_limit_text(*x.rate_limit));
  return p;
}

std::string order_text(const order_spec& o) {
  const order_spec d;
  pairs p{{"id", toml_string(o.id)}};
  if (o.at != d.at)
    p.emplace_back("at", dur(o.at));
  if (o.trader != d.trader)
    p.emplace_back("trader", toml_string(o.trader));
  if (o.symbol != d.symbol)
    p.emplace_back("symbol", toml_string(o.symbol));
  if (o.side != d.side)
    p.emplace_back("side", toml_string(to_string(o.side)));
  if (o.quantity != d.quantity)
    p.emplace_back("quantity", integer(o.quantity));
  if (o.price)
    p.emplace_back("price", toml_string(o.price->to_string()));
  if (o.timestamp != default_timestamp(o.at))
    p.emplace_back("timestamp", toml_string(o.timestamp));
  return toml_inline(p);
}

std::string fault_text(const fault_spec& f) {
  pairs p{{"kind", toml_string(to_string(f.kind))}};
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
