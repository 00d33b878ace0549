// [exchange] reject_after_accept = "CODE": a resubmit of a key the exchange
// knows (as its status queries know it: lookup_lag and key_ttl apply) is
// rejected with CODE; within lookup_lag of the first order a second order
// is created, as with on_duplicate_key = "accept".
//
// Every case: attempt 1's ack is lost (X-1 filled at 10ms); submit_timeout
// 500ms; the check at 500ms reaches the exchange at 510ms; backoff 1s;
// attempt 2 reaches the exchange at 1530ms.
#include "sim/scenario_writer.hpp"
#include "tests/venue_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace execsim;
using namespace execsim::testing;

namespace {

std::string lost_ack(const std::string& exchange,
                     const std::string& executor = "") {
  return fmt::format(R"(name = "reject after accept"
[executor]
submit_timeout = "500ms"
{}
[exchange]
latency = "10ms"
{}
[exchange.prices]
AAPL = "150.25"

[[orders]]
id = "o1"
quantity = 100

[[faults]]
order = "o1"
attempt = 1
kind = "drop_ack"
)",
                     executor, exchange);
}

using lines = std::vector<std::string>;

} // namespace

TEST_CASE("reject_after_accept: the resubmit after the lag is rejected with "
          "the code, the check after it finds X-1",
          "[venue][reject_after_accept]") {
  auto r = run_venue(lost_ack("reject_after_accept = \"DUPLICATE_ORDER\"\n"
                              "lookup_lag = \"600ms\""));
  CHECK(r.out.pass);
  CHECK(r.rows.violations.empty());
  CHECK(r.attempts("o1")
        == lines{"1 sent 0s answered - timeout",
                 "2 sent 1.52s answered 1.54s rejected DUPLICATE_ORDER"});
  CHECK(r.checks("o1")
        == lines{"after 1 sent 500ms answered 520ms not_found",
                 "after 2 sent 1.54s answered 1.56s found"});
  CHECK(r.order("o1").success == true);
  CHECK(r.order("o1").exchange_order_id == "X-1");
  CHECK(r.order("o1").finished_at_ns == 1'560'000'000);
  CHECK(r.fills("o1") == 1);
}

TEST_CASE("reject_after_accept: within lookup_lag the key is not known: a "
          "second order, as with accept",
          "[venue][reject_after_accept]") {
  // lookup_lag 1520ms: X-1 is known from 1530ms on, exactly when attempt 2
  // arrives (rejected); 1520ms + 1ns: not yet, X-2.
  auto at_edge = run_venue(lost_ack("reject_after_accept = \"DUP\"\n"
                                    "lookup_lag = \"1520ms\""));
  CHECK(at_edge.attempts("o1")[1] == "2 sent 1.52s answered 1.54s rejected DUP");
  CHECK(at_edge.fills("o1") == 1);
  auto text = lost_ack("reject_after_accept = \"DUP\"\n"
                       "lookup_lag = \"1520000001ns\"");
  auto sc = load_venue(text);
  run_options opt;
  auto out = run_scenario(sc, opt);
  CHECK(out.fills == 2);
  REQUIRE(out.violations.size() == 1);
  CHECK(out.violations[0].invariant == "one_fill_per_key");
  CHECK(out.virtual_end == 1'540'000'000);
}

TEST_CASE("reject_after_accept: a fatal code without final_check leaves a "
          "filled order reported as failed",
          "[venue][reject_after_accept]") {
  auto text = lost_ack("reject_after_accept = \"DUP\"\nlookup_lag = \"600ms\"",
                       "fatal_codes = [\"DUP\"]\nfinal_check = false");
  auto r = run_venue(text);
  CHECK(r.order("o1").success == false);
  CHECK(r.order("o1").error_code == "DUP");
  CHECK(r.order("o1").finished_at_ns == 1'540'000'000);
  CHECK(r.fills("o1") == 1);
  REQUIRE(r.rows.violations.size() == 1);
  CHECK(r.rows.violations[0].invariant == "result_matches_exchange");
  // With the final check (the default) the order is found: a success.
  auto checked = run_venue(lost_ack("reject_after_accept = \"DUP\"\n"
                                    "lookup_lag = \"600ms\"",
                                    "fatal_codes = [\"DUP\"]"));
  CHECK(checked.out.pass);
  CHECK(checked.order("o1").success == true);
  CHECK(checked.order("o1").finished_at_ns == 1'560'000'000);
}

TEST_CASE("reject_after_accept without lookup_lag is on_duplicate_key = "
          "\"reject\" with its own code",
          "[venue][reject_after_accept]") {
  // A check that fails lets the executor resubmit a key the exchange holds.
  const std::string check_fail =
    "\n[[faults]]\norder = \"o1\"\nattempt = 1\nkind = \"check_fail\"\n";
  auto custom = run_venue(lost_ack("reject_after_accept = \"DUP\"") + check_fail);
  auto builtin = run_venue(lost_ack("on_duplicate_key = \"reject\"") + check_fail);
  CHECK(custom.attempts("o1")[1] == "2 sent 1.52s answered 1.54s rejected DUP");
  CHECK(builtin.attempts("o1")[1]
        == "2 sent 1.52s answered 1.54s rejected DUPLICATE_CLIENT_ORDER_ID");
  CHECK(custom.fills("o1") == 1);
  CHECK(builtin.fills("o1") == 1);
  CHECK(custom.order("o1").finished_at_ns
        == builtin.order("o1").finished_at_ns);
}

TEST_CASE("reject_after_accept: read, kept by the writer, contradictions "
          "refused",
          "[venue][reject_after_accept][scenario_loader]") {
  auto sc = load_venue(lost_ack("reject_after_accept = \"DUP\""));
  CHECK(sc.exchange.reject_after_accept == std::optional<std::string>{"DUP"});
  CHECK(sc.exchange.on_duplicate_key == duplicate_policy::reject);
  auto again = load_venue(to_toml(sc, ""));
  CHECK(again.exchange.reject_after_accept == sc.exchange.reject_after_accept);
  // "reject" agrees; the other policies contradict it.
  CHECK(load_errors(lost_ack("on_duplicate_key = \"reject\"\n"
                             "reject_after_accept = \"DUP\""))
          .empty());
  CHECK(load_errors(lost_ack("on_duplicate_key = \"accept\"\n"
                             "reject_after_accept = \"DUP\""))
        == lines{"venue.toml:8:23: exchange.reject_after_accept: contradicts "
                 "on_duplicate_key = \"accept\" (line 7): reject_after_accept "
                 "rejects a resubmit of a known key; leave on_duplicate_key "
                 "out or set it to \"reject\""});
}
