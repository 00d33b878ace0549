#include "sim/scenario_writer.hpp"

#include "sim/scenario_paths.hpp"

#include <toml++/toml.h>

#include <sstream>

namespace execsim {

namespace {

toml::array strings(const std::vector<std::string>& xs) {
  toml::array a;
  for (const auto& x : xs)
    a.push_back(x);
  return a;
}

std::string dur(ns_t ns) {
  return format_duration(ns);
}

toml::table executor_table(const executor_config& e, const std::string& file,
                           const std::string& written_in) {
  toml::table t;
  t.insert("kind", e.kind);
  if (!e.command.empty())
    t.insert("command",
             strings(portable_command(e.command, file, written_in)));
  if (!e.factory.empty()) {
    t.insert("factory", portable_factory(e.factory, file, written_in));
    // The interpreter is the first word of the harness's command.
    t.insert("python", portable_command({e.python}, file, written_in)[0]);
  }
  t.insert("max_attempts", static_cast<std::int64_t>(e.max_attempts));
  t.insert("initial_backoff", dur(e.initial_backoff));
  t.insert("backoff_multiplier", e.backoff_multiplier);
  if (e.max_backoff > 0)
    t.insert("max_backoff", dur(e.max_backoff));
  t.insert("jitter", std::string{to_string(e.jitter)});
  t.insert("submit_timeout", dur(e.submit_timeout));
  t.insert("check_timeout", dur(e.check_timeout));
  t.insert("fatal_codes", strings(e.fatal_codes));
  t.insert("final_check", e.final_check);
  if (e.honour_retry_after)
    t.insert("honour_retry_after", true);
  return t;
}

void insert_latency(toml::table& t, const exchange_config& x) {
  const auto& l = x.latency;
  if (l.dist == latency_dist::lognormal)
    t.insert("latency", toml::table{{"dist", std::string{to_string(l.dist)}},
                                    {"median", dur(l.median)},
                                    {"p99", dur(l.p99)}});
  else if (l.min == l.max)
    t.insert("latency", dur(l.min));
  else
    t.insert("latency", toml::table{{"min", dur(l.min)}, {"max", dur(l.max)}});
  if (x.latency_spikes.p > 0)
    t.insert("latency_spikes",
             toml::table{{"p", x.latency_spikes.p},
                         {"extra", dur(x.latency_spikes.extra)}});
}

void insert_rate_limit(toml::table& t, const rate_limit_config& r) {
  toml::table limit{{"max", r.max}, {"per", dur(r.per)}, {"code", r.code}};
  if (r.retry_after)
    limit.insert("retry_after", dur(*r.retry_after));
  t.insert("rate_limit", std::move(limit));
}

toml::table exchange_table(const exchange_config& x) {
  toml::table t;
  insert_latency(t, x);
  t.insert("on_duplicate_key", std::string{to_string(x.on_duplicate_key)});
  if (x.reject_after_accept)
    t.insert("reject_after_accept", *x.reject_after_accept);
  if (!x.symbols.empty())
    t.insert("symbols", strings(x.symbols));
  if (x.unknown_symbols != symbol_policy::reject)
    t.insert("unknown_symbols", std::string{to_string(x.unknown_symbols)});
  toml::table prices;
  for (const auto& [sym, px] : x.prices)
    prices.insert(sym, px.to_string());
  t.insert("prices", std::move(prices));
  if (x.lookup_lag > 0)
    t.insert("lookup_lag", dur(x.lookup_lag));
  if (x.key_ttl)
    t.insert("key_ttl", dur(*x.key_ttl));
  if (x.rate_limit)
    insert_rate_limit(t, *x.rate_limit);
  return t;
}

toml::table order_table(const order_spec& o) {
  toml::table t;
  t.insert("id", o.id);
  t.insert("at", dur(o.at));
  t.insert("trader", o.trader);
  t.insert("symbol", o.symbol);
  t.insert("side", std::string{to_string(o.side)});
  t.insert("quantity", o.quantity);
  if (o.price)
    t.insert("price", o.price->to_string());
  t.insert("timestamp", o.timestamp);
  return t;
}

toml::table fault_table(const fault_spec& f) {
  toml::table t;
  t.insert("kind", std::string{to_string(f.kind)});
  if (f.order)
    t.insert("order", *f.order);
  if (f.attempt)
    t.insert("attempt", static_cast<std::int64_t>(*f.attempt));
  switch (f.kind) {
    case fault_kind::delay_ack:
      t.insert("delay", dur(f.delay));
      break;
    case fault_kind::reject:
      t.insert("code", f.code);
      break;
    case fault_kind::outage:
      t.insert("from", dur(f.from));
      t.insert("until", dur(f.until));
      break;
    default:
      break;
  }
  return t;
}

toml::table reconciler_table(const reconciler_config& r) {
  return toml::table{{"after", dur(r.after)},
                     {"interval", dur(r.interval)},
                     {"max_queries", static_cast<std::int64_t>(r.max_queries)},
                     {"resolve_within", dur(r.resolve_within)}};
}

} // namespace

std::string to_toml(const scenario& sc, const std::string& written_in) {
  toml::table root;
  root.insert("name", sc.name);
  if (!sc.description.empty())
    root.insert("description", sc.description);
  root.insert("seed", static_cast<std::int64_t>(sc.seed));
  root.insert("executor", executor_table(sc.executor, sc.file, written_in));
  root.insert("exchange", exchange_table(sc.exchange));
  toml::array orders;
  for (const auto& o : sc.orders)
    orders.push_back(order_table(o));
  root.insert("orders", std::move(orders));
  if (!sc.faults.empty()) {
    toml::array faults;
    for (const auto& f : sc.faults)
      faults.push_back(fault_table(f));
    root.insert("faults", std::move(faults));
  }
  if (!sc.expect_violations.empty())
    root.insert("expect_violations", strings(sc.expect_violations));
  if (sc.reconciler.present)
    root.insert("reconciler", reconciler_table(sc.reconciler));
  std::ostringstream out;
  out << root << "\n";
  return out.str();
}

} // namespace execsim
