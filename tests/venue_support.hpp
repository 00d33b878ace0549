// Running a venue scenario with every recorded row captured, and each
// order's attempts and checks as one line each with exact virtual times,
// so a test compares whole timelines.
#pragma once

#include "libexec/run/runner.hpp"
#include "sim/records.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

namespace execsim::testing {

struct venue_run {
  run_outcome out;
  row_batch rows;

  const order_row& order(const std::string& id) const {
    auto i = std::find_if(rows.orders.begin(), rows.orders.end(),
                          [&](const order_row& o) { return o.order_id == id; });
    REQUIRE(i != rows.orders.end());
    return *i;
  }

  /// "1 sent 0s answered 20ms rejected RATE_LIMITED", by attempt.
  std::vector<std::string> attempts(const std::string& id) const {
    std::vector<attempt_row> xs;
    for (const auto& a : rows.attempts)
      if (a.order_id == id)
        xs.push_back(a);
    std::sort(xs.begin(), xs.end(),
              [](const auto& a, const auto& b) { return a.attempt < b.attempt; });
    std::vector<std::string> out;
    for (const auto& a : xs)
      out.push_back(fmt::format(
        "{} sent {} answered {} {}{}", a.attempt, format_duration(a.sent_at_ns),
        a.answered_at_ns ? format_duration(*a.answered_at_ns) : "-", a.outcome,
        a.error_code ? " " + *a.error_code : std::string{}));
    return out;
  }

  /// "after 1 sent 20ms answered 40ms failed", in sending order.
  std::vector<std::string> checks(const std::string& id) const {
    std::vector<check_row> xs;
    for (const auto& c : rows.checks)
      if (c.order_id == id)
        xs.push_back(c);
    std::stable_sort(xs.begin(), xs.end(), [](const auto& a, const auto& b) {
      return a.sent_at_ns < b.sent_at_ns;
    });
    std::vector<std::string> out;
    for (const auto& c : xs)
      out.push_back(fmt::format(
        "after {} sent {} answered {} {}", c.after_attempt,
        format_duration(c.sent_at_ns),
        c.answered_at_ns ? format_duration(*c.answered_at_ns) : "-",
        c.outcome));
    return out;
  }

  std::size_t fills(const std::string& id) const {
    return static_cast<std::size_t>(
      std::count_if(rows.fills.begin(), rows.fills.end(),
                    [&](const fill_row& f) { return f.order_id == id; }));
  }
};

inline scenario load_venue(const std::string& text) {
  auto r = load_scenario_text(text, "venue.toml");
  for (const auto& e : r.errors)
    UNSCOPED_INFO(e.to_string());
  REQUIRE(r.errors.empty());
  return *r.value;
}

inline venue_run run_venue(const std::string& text) {
  auto sc = load_venue(text);
  venue_run r;
  run_options opt;
  opt.capture = &r.rows;
  r.out = run_scenario(sc, opt);
  INFO(r.out.error);
  REQUIRE(r.out.error.empty());
  return r;
}

/// The messages of a file that does not load, as "file:line:column: ...".
inline std::vector<std::string> load_errors(const std::string& text) {
  auto r = load_scenario_text(text, "venue.toml");
  std::vector<std::string> out;
  for (const auto& e : r.errors)
    out.push_back(e.to_string());
  return out;
}

} // namespace execsim::testing
