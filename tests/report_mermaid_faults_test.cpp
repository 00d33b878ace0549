// `report --format mermaid` (#19): what is being tested is in the
// diagram. A lost message is an arrow ending in a cross with its fault
// kind, a fill a note over the exchange, requests at their send time (the
// text report's "attempt 1 sent"), timers by kind and attempt, and no
// participant that draws nothing.
#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"

#include <fmt/format.h>

#include <string>

using execsim::testing::execsim_cli;
using execsim::testing::scratch_dir;

namespace {

std::string diagram_of(const std::string& scenario) {
  scratch_dir dir;
  auto db = dir.file("run.sqlite");
  auto run = execsim_cli(
    dir, fmt::format("run scenarios/spec/{} --quiet --db {}", scenario, db));
  REQUIRE(run.status == 0);
  auto r = execsim_cli(dir, fmt::format("report --db {} --format mermaid", db));
  REQUIRE(r.status == 0);
  return r.out;
}

} // namespace

TEST_CASE("report mermaid: the spec's worked timing 1, its ack dropped",
          "[report]") {
  CHECK(diagram_of("worked_timing_1_drop_ack.toml")
        ==       "sequenceDiagram\n"
      "  participant driver\n"
      "  participant E_o1 as executor/o1\n"
      "  participant exchange\n"
      "  participant bus\n"
      "  participant tracker\n"
      "  participant recorder\n"
      "  driver->>E_o1: 0s execute\n"
      "  E_o1->>bus: 0s publish seq=1 order.execution_started #123;\"order_id\":\"o1\",\"idem_key\":\"T1:AAPL:100:M...\n"
      "  bus->>tracker: 0s event seq=1\n"
      "  bus->>recorder: 0s event seq=1\n"
      "  E_o1->>exchange: 0s submit attempt=1 key=T1:AAPL:100:MKT:2025-10-17T14:30:00Z:v1\n"
      "  Note over exchange: 10ms fill 100 @ 150.25 (X-1) for o1\n"
      "  exchange-xE_o1: 10ms ack attempt=1 lost: drop_ack\n"
      "  E_o1->>E_o1: 500ms submit timeout, attempt 1\n"
      "  E_o1->>exchange: 500ms check after_attempt=1 key=T1:AAPL:100:MKT:2025-10-17T14:30:00Z:v1\n"
      "  exchange->>E_o1: 520ms check_answer after_attempt=1 found X-1\n"
      "  E_o1->>bus: 520ms publish seq=2 order.executed #123;\"order_id\":\"o1\",\"exchange_order_id\":\"X-1\",\"fill_pr...\n"
      "  E_o1->>bus: 520ms publish seq=3 order.recovered #123;\"order_id\":\"o1\",\"exchange_order_id\":\"X-1\",\"retry_...\n"
      "  E_o1->>driver: 520ms result success X-1 retry_count=0 @150.25\n"
      "  bus->>tracker: 520ms event seq=2\n"
      "  bus->>tracker: 520ms event seq=3\n"
      "  bus->>recorder: 520ms event seq=2\n"
      "  bus->>recorder: 520ms event seq=3\n");
}

TEST_CASE("report mermaid: a dropped request crosses out its arrow",
          "[report]") {
  CHECK(diagram_of("worked_timing_2_drop_request.toml")
        ==       "sequenceDiagram\n"
      "  participant driver\n"
      "  participant E_o1 as executor/o1\n"
      "  participant exchange\n"
      "  participant bus\n"
      "  participant tracker\n"
      "  participant recorder\n"
      "  driver->>E_o1: 0s execute\n"
      "  E_o1->>bus: 0s publish seq=1 order.execution_started #123;\"order_id\":\"o1\",\"idem_key\":\"T1:AAPL:100:M...\n"
      "  bus->>tracker: 0s event seq=1\n"
      "  bus->>recorder: 0s event seq=1\n"
      "  E_o1-xexchange: 0s submit attempt=1 lost: drop_request\n"
      "  E_o1->>E_o1: 500ms submit timeout, attempt 1\n"
      "  E_o1->>exchange: 500ms check after_attempt=1 key=T1:AAPL:100:MKT:2025-10-17T14:30:00Z:v1\n"
      "  exchange->>E_o1: 520ms check_answer after_attempt=1 not_found\n"
      "  E_o1->>E_o1: 1.5s check timeout, check after attempt 1\n"
      "  E_o1->>E_o1: 1.52s backoff after attempt 1\n"
      "  E_o1->>exchange: 1.52s submit attempt=2 key=T1:AAPL:100:MKT:2025-10-17T14:30:00Z:v1\n"
      "  Note over exchange: 1.53s fill 100 @ 150.25 (X-1) for o1\n"
      "  exchange->>E_o1: 1.54s submit_answer attempt=2 ack X-1 filled=100 @150.25\n"
      "  E_o1->>bus: 1.54s publish seq=2 order.executed #123;\"order_id\":\"o1\",\"exchange_order_id\":\"X-1\",\"fill_pr...\n"
      "  E_o1->>bus: 1.54s publish seq=3 order.recovered #123;\"order_id\":\"o1\",\"exchange_order_id\":\"X-1\",\"retry_...\n"
      "  E_o1->>driver: 1.54s result success X-1 retry_count=1 @150.25\n"
      "  bus->>tracker: 1.54s event seq=2\n"
      "  bus->>tracker: 1.54s event seq=3\n"
      "  bus->>recorder: 1.54s event seq=2\n"
      "  bus->>recorder: 1.54s event seq=3\n");
}
