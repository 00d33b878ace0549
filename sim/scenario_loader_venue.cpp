#include "sim/scenario_loader_venue.hpp"

#include <fmt/format.h>

#include <limits>

namespace execsim::scenario_loading {

namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

// In the order of the docs: messages list them so.
const std::vector<std::string_view> latency_keys = {"dist", "min", "max",
                                                    "median", "p99"};
const std::vector<std::string_view> latency_spikes_keys = {"p", "extra"};
const std::vector<std::string_view> rate_limit_keys = {"max", "per", "code",
                                                       "retry_after"};

/// The table at `value`, or an error showing `example`.
std::optional<table_reader> table_at(const field& value,
                                     std::string_view example) {
  if (auto table = value.node().as_table())
    return table_reader{*table, value.path(), "in " + value.path(),
                        value.errors()};
  value.fail(fmt::format("expected a table, like {} (got {})", example,
                         describe(value.node())));
  return std::nullopt;
}

/// Reports each key of `t` that belongs to the other distribution.
void reject_other_dist_keys(const table_reader& t, latency_dist dist,
                            bool dist_given) {
  const bool uniform = dist == latency_dist::uniform;
  const std::vector<std::string_view> other =
    uniform ? std::vector<std::string_view>{"median", "p99"}
            : std::vector<std::string_view>{"min", "max"};
  for (auto key : other)
    if (auto v = t.get(key))
      v->fail(fmt::format("does not apply to dist = \"{}\"{} (it takes {})",
                          to_string(dist), dist_given ? "" : " (the default)",
                          uniform ? "min, max" : "median, p99"));
}

std::optional<latency_range> read_uniform(const table_reader& t) {
  std::optional<ns_t> min;
  std::optional<ns_t> max;
  if (auto v = t.require("min"))
    min = v->duration(false);
  if (auto v = t.require("max"))
    max = v->duration(false);
  if (!min || !max)
    return std::nullopt;
  if (*min > *max) {
    t.fail(fmt::format("min ({}) is greater than max ({})",
                       format_duration(*min), format_duration(*max)));
    return std::nullopt;
  }
  latency_range out;
  out.min = *min;
  out.max = *max;
  return out;
}

std::optional<latency_range> read_lognormal(const table_reader& t) {
  std::optional<ns_t> median;
  std::optional<ns_t> p99;
  if (auto v = t.require("median", " for dist = \"lognormal\""))
    median = v->duration(true);
  if (auto v = t.require("p99", " for dist = \"lognormal\""))
    p99 = v->duration(true);
  if (!median || !p99)
    return std::nullopt;
  if (*p99 <= *median) {
    t.fail(fmt::format("p99 ({}) must be greater than median ({})",
                       format_duration(*p99), format_duration(*median)));
    return std::nullopt;
  }
  latency_range out;
  out.dist = latency_dist::lognormal;
  out.median = *median;
  out.p99 = *p99;
  return out;
}

std::optional<latency_range> read_latency_table(const table_reader& t) {
  t.reject_unknown_keys(latency_keys);
  auto dist = latency_dist::uniform;
  auto given = t.get("dist");
  if (given) {
    auto d = read_enum(*given, "latency distribution", latency_dist::lognormal);
    if (!d)
      return std::nullopt;
    dist = *d;
  }
  reject_other_dist_keys(t, dist, given.has_value());
  return dist == latency_dist::uniform ? read_uniform(t) : read_lognormal(t);
}

} // namespace

std::optional<latency_range> read_latency(const field& value) {
  if (value.node().is_string()) {
    auto fixed = value.duration(false);
    if (!fixed)
      return std::nullopt;
    latency_range out;
    out.min = out.max = *fixed;
    return out;
  }
  if (value.node().is_table())
    return read_latency_table(*table_at(value, ""));
  value.fail(fmt::format("expected a duration string, like \"10ms\", or a "
                         "table, like {{ min = \"5ms\", max = \"50ms\" }} or "
                         "{{ dist = \"lognormal\", median = \"20ms\", p99 = "
                         "\"200ms\" }} (got {})",
                         describe(value.node())));
  return std::nullopt;
}

std::optional<latency_spike_config> read_latency_spikes(const field& value) {
  auto t = table_at(value, "{ p = 0.01, extra = \"500ms\" }");
  if (!t)
    return std::nullopt;
  t->reject_unknown_keys(latency_spikes_keys);
  std::optional<double> p;
  std::optional<ns_t> extra;
  if (auto v = t->require("p"))
    p = v->number(0, 1);
  if (auto v = t->require("extra"))
    extra = v->duration(true);
  if (!p || !extra)
    return std::nullopt;
  return latency_spike_config{*p, *extra};
}

std::optional<rate_limit_config> read_rate_limit(const field& value) {
  auto t = table_at(value, "{ max = 10, per = \"1s\" }");
  if (!t)
    return std::nullopt;
  t->reject_unknown_keys(rate_limit_keys);
  rate_limit_config out;
  std::optional<std::int64_t> max;
  std::optional<ns_t> per;
  if (auto v = t->require("max"))
    max = v->integer(1, int64_max);
  if (auto v = t->require("per"))
    per = v->duration(true);
  bool valid = max && per;
  if (auto v = t->get("code")) {
    auto code = v->plain_string();
    valid = valid && code;
    out.code = code.value_or(out.code);
  }
  if (auto v = t->get("retry_after")) {
    out.retry_after = v->duration(true);
    valid = valid && out.retry_after;
  }
  if (!valid)
    return std::nullopt;
  out.max = *max;
  out.per = *per;
  return out;
}

void read_duplicate_policy(const table_reader& t, exchange_config& out) {
  auto policy = t.get("on_duplicate_key");
  std::optional<duplicate_policy> given;
  if (policy) {
    given = read_enum(*policy, "duplicate-key policy", duplicate_policy::accept);
    out.on_duplicate_key = given.value_or(out.on_duplicate_key);
  }
  auto v = t.get("reject_after_accept");
  if (!v)
    return;
  auto code = v->plain_string();
  if (!code || (policy && !given))
    return;
  if (given && *given != duplicate_policy::reject) {
    v->fail(fmt::format("contradicts on_duplicate_key = \"{}\" (line {}): "
                        "reject_after_accept rejects a resubmit of a known "
                        "key; leave on_duplicate_key out or set it to "
                        "\"reject\"",
                        to_string(out.on_duplicate_key), policy->pos().line));
    return;
  }
  out.on_duplicate_key = duplicate_policy::reject;
  out.reject_after_accept = *code;
}

} // namespace execsim::scenario_loading
