// The text report's timeline (#19): at one instant a send comes before
// the fault that hit it; check outcomes in the recording's own words; the
// time column aligned for every unit it prints.
#include "libexec/report/report_text.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace execsim;
using namespace execsim::cli;

namespace {

constexpr ns_t us = 1'000;
constexpr ns_t ms = 1'000'000;

recorded_run a_run() {
  recorded_run run;
  run.run_id = 1;
  run.header.scenario = "t";
  run.header.file = "t.toml";
  run.header.started_at = "-";
  run.verdict = "pass";
  return run;
}

order_row an_order() {
  order_row o;
  o.order_id = "o1";
  o.idem_key = "k";
  o.trader = "T1";
  o.symbol = "AAPL";
  o.side = "buy";
  o.quantity = 10;
  o.success = true;
  return o;
}

/// The timeline of order o1: the lines after "  result  ...\n".
std::string timeline_of(const row_batch& rows) {
  auto text = report_text(a_run(), rows, std::nullopt);
  auto result = text.find("  result  ");
  auto start = text.find('\n', result) + 1;
  return text.substr(start);
}

} // namespace

TEST_CASE("report text: a fault on a check comes after the check's send",
          "[report]") {
  row_batch rows;
  rows.orders.push_back(an_order());
  rows.attempts.push_back({"o1", 1, 0, 0, "network_error", "NETWORK_ERROR",
                           std::nullopt, std::nullopt, false});
  rows.checks.push_back({"o1", 1, 0, 0, "failed", std::nullopt});
  // Written in the order the recorder may write them: both faults first.
  rows.faults.push_back({0, "outage", std::string{"o1"}, 1, "submit"});
  rows.faults.push_back({0, "outage", std::string{"o1"}, 1, "check"});
  CHECK(timeline_of(rows)
        == "            0s  attempt 1 sent\n"
           "            0s  fault outage on attempt 1 (submit)\n"
           "            0s  attempt 1 answered: network_error "
           "NETWORK_ERROR\n"
           "            0s  check after attempt 1 sent\n"
           "            0s  fault outage on the check after attempt 1 "
           "(check)\n"
           "            0s  check after attempt 1 answered: failed\n");
}

TEST_CASE("report text: the time column is aligned for every unit",
          "[report]") {
  row_batch rows;
  rows.orders.push_back(an_order());
  rows.attempts.push_back({"o1", 1, 500 * us, 1'500 * us, "ack",
                           std::nullopt, std::nullopt, std::nullopt,
                           false});
  rows.fills.push_back({"X-1", "k", "o1", 10, "150.25", 1'000 * us});
  rows.faults.push_back({1'000'000'001, "delay_ack", std::string{"o1"}, 1,
                         "delay=1ns"});
  rows.faults.push_back({2 * ms + 250, "delay_ack", std::string{"o1"}, 1,
                         "delay=1ns"});
  CHECK(timeline_of(rows)
        == "           500us  attempt 1 sent\n"
           "             1ms  fill 10 @ 150.25 (X-1)\n"
           "           1.5ms  attempt 1 answered: ack\n"
           "       2.00025ms  fault delay_ack on attempt 1 (delay=1ns)\n"
           "    1.000000001s  fault delay_ack on attempt 1 (delay=1ns)\n");
}
