// [exchange] unknown_symbols (#15): "reject" (the default, the contract's
// run-time INVALID_SYMBOL) or "error" (an unlisted symbol is a load error).
// The malformed files are checked against tests/malformed/expected.txt.
#include "sim/scenario_writer.hpp"
#include "tests/cli_support.hpp"
#include "tests/venue_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace execsim;
using namespace execsim::testing;

namespace {

std::string file(const std::string& policy, const std::string& symbol) {
  return fmt::format(R"(name = "unknown symbols"
[exchange]
symbols = ["AAPL", "MSFT"]
{}
[exchange.prices]
AAPL = "150.25"
MSFT = "410.10"

[[orders]]
id = "o1"
symbol = "{}"
)",
                     policy, symbol);
}

} // namespace

TEST_CASE("unknown_symbols = \"error\": an unlisted symbol is a load error",
          "[venue][unknown_symbols]") {
  auto errors = load_errors(file("unknown_symbols = \"error\"", "XYZ"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]
        == "venue.toml:11:10: orders[1].symbol: \"XYZ\" is not in [exchange] "
           "symbols (AAPL, MSFT); with unknown_symbols = \"error\" that is a "
           "load error");
}

TEST_CASE("unknown_symbols: \"reject\" (the default) rejects at run time",
          "[venue][unknown_symbols]") {
  for (const auto* policy : {"", "unknown_symbols = \"reject\""}) {
    auto r = run_venue(file(policy, "XYZ"));
    CHECK(r.order("o1").success == false);
    CHECK(r.order("o1").error_code == "INVALID_SYMBOL");
    CHECK(r.attempts("o1")
          == std::vector<std::string>{"1 sent 0s answered 20ms rejected "
                                      "INVALID_SYMBOL"});
  }
}

TEST_CASE("unknown_symbols = \"error\": listed symbols load and run",
          "[venue][unknown_symbols]") {
  auto text = file("unknown_symbols = \"error\"", "MSFT");
  auto r = run_venue(text);
  CHECK(r.out.pass);
  CHECK(r.order("o1").success == true);
  CHECK(r.order("o1").fill_price == "410.10");
  CHECK(r.fills("o1") == 1);
  // A minimal file written by explore keeps the setting.
  auto again = load_venue(to_toml(load_venue(text), ""));
  CHECK(again.exchange.unknown_symbols == symbol_policy::error);
  CHECK(again.exchange.symbols == std::vector<std::string>{"AAPL", "MSFT"});
}

TEST_CASE("execsim run: an unlisted symbol under unknown_symbols = \"error\" "
          "exits 2 with every error",
          "[venue][unknown_symbols][cli]") {
  scratch_dir dir;
  auto r = execsim_cli(dir, fmt::format("run tests/malformed/"
                                        "unknown_symbols_not_listed.toml "
                                        "--db {}",
                                        dir.file("u.sqlite")));
  CHECK(r.status == 2);
  CHECK(r.out.find("tests/malformed/unknown_symbols_not_listed.toml:9:10: "
                   "orders[1].symbol: \"MSTF\" is not in [exchange] symbols "
                   "(MSFT, IBM)")
        != std::string::npos);
  CHECK(r.out.find("tests/malformed/unknown_symbols_not_listed.toml:11:1: "
                   "orders[2]: symbol \"AAPL\" (the default) is not in")
        != std::string::npos);
}
