// Probes ("sometimes" assertions, sim/probes.hpp): each one on a small
// scenario with explicit faults, with the exact set of probes it reaches.
#include "libexec/run/runner.hpp"
#include "sim/probes.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace execsim;

namespace {

/// One order, latency 10ms, the default executor (timeouts 2s for a submit
/// and 1s for a check, backoff 1s x2, 3 attempts, final check); `rest`
/// adds to it.
std::string one_order(const std::string& executor, const std::string& exchange,
                      const std::string& rest) {
  return "name = \"probe\"\n[executor]\n" + executor
         + "\n[exchange]\nlatency = \"10ms\"\n" + exchange
         + "\n[exchange.prices]\nAAPL = \"150.25\"\n"
           "[[orders]]\nid = \"o1\"\nquantity = 100\n" + rest;
}

std::string fault(int attempt, const std::string& kind,
                  const std::string& extra = "") {
  return "[[faults]]\norder = \"o1\"\nattempt = " + std::to_string(attempt)
         + "\nkind = \"" + kind + "\"\n" + extra;
}

/// The probes the scenario's run reaches, in order, space-separated.
std::string reached(const std::string& text) {
  auto loaded = load_scenario_text(text, "probe.toml");
  for (const auto& e : loaded.errors)
    FAIL(e.to_string());
  REQUIRE(loaded.value);
  run_options opt;
  auto out = run_scenario(*loaded.value, opt);
  REQUIRE(out.error.empty());
  std::string list;
  for (auto p : all_probes())
    if (out.probes.test(static_cast<std::size_t>(p)))
      list += (list.empty() ? "" : " ") + std::string{to_string(p)};
  return list;
}

} // namespace

TEST_CASE("a run without faults reaches no probe", "[probes]") {
  CHECK(reached(one_order("", "", "")) == "");
}

TEST_CASE("probe ack_after_timeout: an ack 1s after the 2s timeout",
          "[probes]") {
  // ack at 20ms + 3s = 3.02s; the check at 2s found X-1, the order ended
  // at 2.02s: the late ack came after the result, so not during backoff.
  CHECK(reached(one_order("", "", fault(1, "delay_ack", "delay = \"3s\"\n")))
        == "ack_after_timeout check_while_in_flight check_found");
  SECTION("an ack delayed 1.5s is in time") {
    CHECK(reached(one_order("", "",
                            fault(1, "delay_ack", "delay = \"1.5s\"\n")))
          == "");
  }
}

TEST_CASE("probe late_ack_during_backoff: the ack comes while the executor "
          "waits to retry",
          "[probes]") {
  // check after attempt 1 fails at 2.02s; backoff until 3.02s; the ack of
  // attempt 1 arrives at 2.52s.
  auto text = one_order("", "",
                        fault(1, "delay_ack", "delay = \"2.5s\"\n")
                          + fault(1, "check_fail"));
  CHECK(reached(text)
        == "ack_after_timeout late_ack_during_backoff check_while_in_flight");
  SECTION("an ack that arrives while the check is still out is not") {
    // ack at 2.015s, the check answers at 2.02s.
    CHECK(reached(one_order("", "",
                            fault(1, "delay_ack", "delay = \"1995ms\"\n")
                              + fault(1, "check_fail")))
          == "ack_after_timeout check_while_in_flight");
  }
}

TEST_CASE("probe duplicate_key_reject: a venue that rejects a known key",
          "[probes]") {
  // attempt 1's ack lost, its check fails, attempt 2 is rejected as a
  // duplicate and the check after it finds X-1.
  auto text = one_order("", "on_duplicate_key = \"reject\"",
                        fault(1, "drop_ack") + fault(1, "check_fail"));
  CHECK(reached(text)
        == "check_while_in_flight duplicate_key_reject check_found");
  SECTION("the same faults with return_existing") {
    CHECK(reached(one_order("", "on_duplicate_key = \"return_existing\"",
                            fault(1, "drop_ack") + fault(1, "check_fail")))
          == "check_while_in_flight");
  }
}

TEST_CASE("probes final_check_found and final_check_unknown", "[probes]") {
  auto last = "max_attempts = 1\nfinal_check = true";
  CHECK(reached(one_order(last, "", fault(1, "drop_ack")))
        == "check_while_in_flight final_check_found check_found");
  CHECK(reached(one_order(last, "", fault(1, "drop_ack")
                                      + fault(1, "check_fail")))
        == "check_while_in_flight final_check_unknown");
  CHECK(reached(one_order(last, "", fault(1, "drop_ack")
                                      + fault(1, "check_drop")))
        == "check_while_in_flight final_check_unknown");
  SECTION("a check after a fatal reject is a final check") {
    // attempt 1's ack lost, its check fails; attempt 2 is rejected with a
    // fatal code and the final check after it finds X-1.
    CHECK(reached(one_order("", "",
                            fault(1, "drop_ack") + fault(1, "check_fail")
                              + fault(2, "reject",
                                      "code = \"INSUFFICIENT_FUNDS\"\n")))
          == "check_while_in_flight final_check_found check_found");
  }
  SECTION("a check before a retry is not a final check") {
    CHECK(reached(one_order("max_attempts = 2", "",
                            fault(1, "drop_ack") + fault(1, "check_fail")))
          == "check_while_in_flight");
  }
  SECTION("nothing at the exchange: the final check answers not found") {
    CHECK(reached(one_order(last, "", fault(1, "drop_request"))) == "");
  }
}

TEST_CASE("probe outage_across_retry: attempts 1 and 2 in one outage",
          "[probes]") {
  auto window = [](const std::string& until) {
    return "[[faults]]\nkind = \"outage\"\nfrom = \"0s\"\nuntil = \"" + until
           + "\"\n";
  };
  // attempts at 0s, 1s (backoff 1s) and 3s (backoff 2s).
  CHECK(reached(one_order("", "", window("1500ms"))) == "outage_across_retry");
  CHECK(reached(one_order("", "", window("500ms"))) == "");
}

TEST_CASE("probe check_not_found_but_filled: lookup_lag hides a fill",
          "[probes]") {
  auto text = one_order("submit_timeout = \"500ms\"",
                        "on_duplicate_key = \"accept\"\nlookup_lag = "
                        "\"600ms\"",
                        fault(1, "drop_ack"));
  CHECK(reached(text) == "check_while_in_flight check_not_found_but_filled");
  SECTION("without the lag the check finds it") {
    CHECK(reached(one_order("submit_timeout = \"500ms\"",
                            "on_duplicate_key = \"accept\"",
                            fault(1, "drop_ack")))
          == "check_while_in_flight check_found");
  }
  SECTION("a dropped request: nothing filled, nothing held") {
    CHECK(reached(one_order("", "on_duplicate_key = \"accept\"",
                            fault(1, "drop_request")))
          == "");
  }
}

TEST_CASE("probe names: every probe is named, found by name, listed",
          "[probes]") {
  CHECK(all_probes().size() == probe_count);
  for (auto p : all_probes()) {
    CHECK(probe_named(to_string(p)) == p);
    CHECK(std::string{probe_meaning(p)}.size() > 20);
  }
  CHECK_FALSE(probe_named("ack_after_timeout_"));
  CHECK(probe_name_list()
        == "ack_after_timeout, late_ack_during_backoff, check_while_in_flight, "
           "duplicate_key_reject, final_check_found, final_check_unknown, "
           "outage_across_retry, check_found, check_not_found_but_filled, "
           "ack_at_timeout, check_answer_at_timeout");
}

TEST_CASE("probe check_answer_at_timeout: a check answer at exactly "
          "check_timeout, not 1ns either side", "[probes]") {
  // Attempt 1 is dropped and times out at 2s; its check leaves at 2s and is
  // answered at 2s + 10ms + 10ms + delay. check_timeout 1s: due at 3s.
  auto with_delay = [](const char* delay) {
    return reached(one_order("", "",
                             fault(1, "drop_request")
                               + fault(1, "delay_check",
                                       std::string{"delay = \""} + delay
                                         + "\"\n")));
  };
  CHECK(with_delay("980ms") == "check_answer_at_timeout");
  CHECK(with_delay("979999999ns") == "");
  CHECK(with_delay("980000001ns") == "");
}
