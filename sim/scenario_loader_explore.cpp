#include "sim/scenario_loader_explore.hpp"

#include "sim/probes.hpp"

#include <fmt/format.h>

namespace execsim::scenario_loading {

namespace {

// In the order of the spec: messages list them so.
const std::vector<std::string_view> explore_keys = {
  "drop_request", "drop_ack",   "delay_ack",  "network_error",
  "reject",       "check_fail", "check_drop", "outage",
  "delay_check",  "boundary",   "swarm",      "must_reach"};

double read_probability(const field& value) {
  return value.number(0, 1).value_or(0);
}

/// One of explore's { p = ..., ... } tables; `example` shows its form.
std::optional<table_reader> explore_table(const table_reader& t,
                                          std::string_view key,
                                          std::string_view example) {
  auto value = t.get(key);
  if (!value)
    return std::nullopt;
  auto table = value->node().as_table();
  if (!table) {
    value->fail(fmt::format("expected a table, like {} (got {})", example,
                            describe(value->node())));
    return std::nullopt;
  }
  return table_reader{*table, value->path(), "in " + value->path(),
                      t.errors()};
}

/// { p = chance, max = longest span }, as delay_ack, delay_check and outage take.
void read_chance_and_max(const table_reader& t, double& p, ns_t& max) {
  t.reject_unknown_keys({"p", "max"});
  if (auto v = t.require("p"))
    p = read_probability(*v);
  if (auto v = t.require("max"))
    max = v->duration(true).value_or(0);
}

void read_explore_reject(const table_reader& t, explore_config& out) {
  t.reject_unknown_keys({"p", "codes"});
  if (auto v = t.require("p"))
    out.reject = read_probability(*v);
  auto codes_value = t.require("codes");
  if (!codes_value)
    return;
  auto codes = codes_value->plain_strings();
  if (!codes)
    return;
  if (codes->empty()) {
    codes_value->fail("must name at least one error code");
    return;
  }
  const auto& array = *codes_value->node().as_array();
  for (std::size_t i = 0; i < codes->size(); ++i) {
    if ((*codes)[i].empty())
      codes_value->element(array, i).fail("must not be empty");
  }
  out.reject_codes = std::move(*codes);
}

/// must_reach: probe names, each known.
void read_must_reach(const field& value, explore_config& out) {
  auto names = value.plain_strings();
  if (!names)
    return;
  const auto& array = *value.node().as_array();
  for (std::size_t i = 0; i < names->size(); ++i) {
    if (!probe_named((*names)[i])) {
      value.element(array, i).fail(
        fmt::format("unknown probe \"{}\" (expected one of: {})",
                    (*names)[i], probe_name_list()));
      continue;
    }
    out.must_reach.push_back((*names)[i]);
  }
}

} // namespace

void read_explore(const table_reader& t, explore_config& out) {
  out.present = true;
  t.reject_unknown_keys(explore_keys);
  std::pair<std::string_view, double*> simple[] = {
    {"drop_request", &out.drop_request}, {"drop_ack", &out.drop_ack},
    {"network_error", &out.network_error}, {"check_fail", &out.check_fail},
    {"check_drop", &out.check_drop}, {"boundary", &out.boundary}};
  for (auto [key, target] : simple) {
    if (auto v = t.get(key))
      *target = read_probability(*v);
  }
  if (auto d = explore_table(t, "delay_ack", "{ p = 0.1, max = \"3s\" }"))
    read_chance_and_max(*d, out.delay_ack, out.delay_ack_max);
  if (auto r = explore_table(t, "reject",
                             "{ p = 0.02, codes = [\"RATE_LIMITED\"] }"))
    read_explore_reject(*r, out);
  if (auto o = explore_table(t, "outage", "{ p = 0.01, max = \"5s\" }"))
    read_chance_and_max(*o, out.outage, out.outage_max);
  if (auto d = explore_table(t, "delay_check", "{ p = 0.1, max = \"2s\" }"))
    read_chance_and_max(*d, out.delay_check, out.delay_check_max);
  if (auto v = t.get("swarm"))
    out.swarm = v->boolean().value_or(false);
  if (auto v = t.get("must_reach"))
    read_must_reach(*v, out);
}

} // namespace execsim::scenario_loading
