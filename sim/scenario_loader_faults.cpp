#include "sim/scenario_loader_faults.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace execsim::scenario_loading {

namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

// Every key any fault kind takes; fault_keys_of says which kind takes which.
const std::vector<std::string_view> fault_keys = {
  "kind", "order", "attempt", "delay", "code", "from", "until"};

/// The keys a fault of `kind` takes; the others of fault_keys are errors.
std::vector<std::string_view> fault_keys_of(fault_kind kind) {
  switch (kind) {
    case fault_kind::delay_ack:
    case fault_kind::delay_check: return {"kind", "order", "attempt", "delay"};
    case fault_kind::reject: return {"kind", "order", "attempt", "code"};
    // An outage hits the exchange, not one order's attempt.
    case fault_kind::outage: return {"kind", "from", "until"};
    case fault_kind::drop_request:
    case fault_kind::drop_ack:
    case fault_kind::network_error:
    case fault_kind::check_fail:
    case fault_kind::check_drop: break;
  }
  return {"kind", "order", "attempt"};
}

/// Reports the keys `kind` does not take; returns them so they are not
/// read (their values would only add noise).
std::vector<std::string_view> reject_foreign_fault_keys(const table_reader& t,
                                                        fault_kind kind) {
  auto own = fault_keys_of(kind);
  std::vector<std::string_view> foreign;
  for (auto key : fault_keys) {
    auto value = t.get(key);
    if (!value || std::find(own.begin(), own.end(), key) != own.end())
      continue;
    value->fail(fmt::format("does not apply to fault kind \"{}\" (it takes: "
                            "{})",
                            to_string(kind), join_names(own)));
    foreign.push_back(key);
  }
  return foreign;
}

void require_fault_keys(const table_reader& t, fault_kind kind) {
  auto why = fmt::format(" for fault kind \"{}\"", to_string(kind));
  if (kind == fault_kind::delay_ack || kind == fault_kind::delay_check)
    t.require("delay", why);
  if (kind == fault_kind::reject)
    t.require("code", why);
  if (kind == fault_kind::outage) {
    t.require("from", why);
    t.require("until", why);
  }
}

void read_attempt(const field& value, std::optional<int> attempt_limit,
                  fault_spec& out) {
  // A check fault may name attempt 0: the poll an executor sends before its
  // first submit (a minimal file explore writes for one must load).
  bool check_kind = out.kind == fault_kind::check_fail
                    || out.kind == fault_kind::check_drop
                    || out.kind == fault_kind::delay_check;
  auto attempt = value.integer(check_kind ? 0 : 1, int64_max);
  if (!attempt)
    return;
  if (attempt_limit && *attempt > *attempt_limit) {
    value.fail(fmt::format("must be <= executor.max_attempts ({}) (got {})",
                           *attempt_limit, *attempt));
    return;
  }
  // max_attempts is wrong itself (and reported): only its own bound holds.
  if (!attempt_limit && *attempt > max_attempts_max) {
    value.fail(fmt::format("must be <= {} (got {})", max_attempts_max,
                           *attempt));
    return;
  }
  out.attempt = static_cast<int>(*attempt);
}

void read_outage_window(const table_reader& t, fault_spec& out) {
  auto from_value = t.get("from");
  auto until_value = t.get("until");
  bool from_valid = false;
  bool until_valid = false;
  if (from_value) {
    auto from = from_value->duration(false);
    from_valid = from.has_value();
    out.from = from.value_or(0);
  }
  if (until_value) {
    auto until = until_value->duration(false);
    until_valid = until.has_value();
    out.until = until.value_or(0);
  }
  if (from_valid && until_valid && out.until <= out.from)
    until_value->fail(fmt::format("must be later than from ({}) (got {})",
                                  format_duration(out.from),
                                  format_duration(out.until)));
}

} // namespace

fault_spec read_fault(const table_reader& t, const order_ids& ids,
                      std::optional<int> attempt_limit) {
  t.reject_unknown_keys(fault_keys);
  fault_spec out;
  out.pos = t.pos();
  std::optional<fault_kind> kind;
  if (auto v = t.require("kind"))
    kind = read_enum(*v, "fault kind", last_fault_kind);
  std::vector<std::string_view> skipped;
  if (kind) {
    out.kind = *kind;
    skipped = reject_foreign_fault_keys(t, *kind);
    require_fault_keys(t, *kind);
  }
  auto wanted = [&](std::string_view key) {
    return std::find(skipped.begin(), skipped.end(), key) == skipped.end();
  };
  if (auto v = t.get("order"); v && wanted("order"))
    out.order = read_order_ref(*v, ids);
  if (auto v = t.get("attempt"); v && wanted("attempt"))
    read_attempt(*v, attempt_limit, out);
  if (auto v = t.get("delay"); v && wanted("delay"))
    out.delay = v->duration(true).value_or(0);
  if (auto v = t.get("code"); v && wanted("code"))
    out.code = v->plain_string().value_or("");
  if (wanted("from") && wanted("until"))
    read_outage_window(t, out);
  return out;
}

} // namespace execsim::scenario_loading
