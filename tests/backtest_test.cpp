// The backtest: CSV input (timestamps, bad rows with file:line, skipping),
// the exchange's fills against replayed quotes on a hand-made 20-quote file
// (partial fills across quotes, a limit order filled only when crossed,
// latency making an order meet a later quote), the summary's figures
// computed by hand, determinism, the generators, and flat memory on a
// 1,000,000-quote file ([memory]; measured in the normal build only).
#include "libexec/backtest/backtest.hpp"
#include "libexec/backtest/csv_reader.hpp"
#include "libexec/backtest/execution_stats.hpp"
#include "libexec/backtest/field_parse.hpp"
#include "libexec/backtest/generate.hpp"
#include "libexec/backtest/market_reader.hpp"
#include "libexec/backtest/order_reader.hpp"
#include "libexec/backtest/summary_text.hpp"
#include "sim/timestamp.hpp"
#include "sim/recording.hpp"
#include "sim/scenario_loader.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

using namespace execsim;
using namespace execsim::backtest;

namespace {

namespace fs = std::filesystem;

/// A fresh directory per test, removed with everything in it.
class scratch_dir {
public:
  scratch_dir() {
    auto pattern =
      (fs::temp_directory_path() / "execsim_backtest_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~scratch_dir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  std::string file(const std::string& name) const {
    return (path_ / name).string();
  }

private:
  fs::path path_;
};

std::string data_file(const std::string& name) {
  return (fs::path(EXECSIM_SOURCE_DIR) / "tests" / "data" / "backtest" / name)
    .string();
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void spit(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

/// Runs the execsim binary through the shell; returns its exit status.
int run_execsim(const std::string& args, const std::string& out_file) {
  auto cmd = fmt::format("{} {} > {} 2>&1", EXECSIM_BINARY, args, out_file);
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

constexpr ns_t ms = ns_per_ms;

// The hand-made files: 20 quotes of AAPL and MSFT over 2 s, 9 orders.
backtest_inputs hand_made() {
  backtest_inputs in;
  in.market_file = data_file("market20.csv");
  in.orders_file = data_file("orders9.csv");
  return in;
}

/// The settings of the hand-made run: latency 10 ms each way (the default),
/// o5's first attempt fails with a network error (a retry after 1 s), o6 is
/// rejected with a fatal code.
scenario hand_made_settings(const backtest_inputs& in) {
  auto sc = backtest_settings(std::nullopt, in);
  fault_spec net;
  net.kind = fault_kind::network_error;
  net.order = "o5";
  net.attempt = 1;
  fault_spec reject;
  reject.kind = fault_kind::reject;
  reject.order = "o6";
  reject.attempt = 1;
  reject.code = "INSUFFICIENT_FUNDS";
  sc.faults = {net, reject};
  return sc;
}

using fill_tuple = std::tuple<ns_t, std::string, std::string, std::int64_t,
                              std::string>;

std::vector<fill_tuple> fills_of(const row_batch& rows) {
  std::vector<fill_tuple> out;
  for (const auto& f : rows.fills)
    out.emplace_back(f.filled_at_ns, f.order_id, f.exchange_order_id,
                     f.quantity, f.price);
  return out;
}

/// Peak resident set size of this process so far, in KiB.
long peak_rss_kib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0)
      return std::strtol(line.c_str() + 6, nullptr, 10);
  return -1;
}

} // namespace

// ------------------------------------------------------------ timestamps

TEST_CASE("timestamps: ISO 8601 and integer nanoseconds", "[backtest]") {
  std::string err;
  CHECK(parse_timestamp("2025-10-17T14:30:00Z", err)
        == 1'760'711'400'000'000'000);
  CHECK(parse_timestamp("2025-10-17T14:30:00.123456789Z", err)
        == 1'760'711'400'123'456'789);
  CHECK(parse_timestamp("2025-10-17T14:30:00.5Z", err)
        == 1'760'711'400'500'000'000);
  CHECK(parse_timestamp("2025-10-17T16:30:00+02:00", err)
        == 1'760'711'400'000'000'000);
  CHECK(parse_timestamp("1760711400000000000", err)
        == 1'760'711'400'000'000'000);
  CHECK(parse_timestamp("1970-01-01T00:00:00Z", err) == 0);
  CHECK(parse_timestamp("2024-02-29T00:00:00Z", err).has_value());

  for (const char* bad :
       {"", "2025-10-17", "2025-10-17T14:30:00", "2025-13-01T00:00:00Z",
        "2025-02-29T00:00:00Z", "2025-10-17T24:00:00Z",
        "2025-10-17T14:30:00.Z", "2025-10-17T14:30:00.1234567891Z",
        "2025-10-17T14:30:00Zjunk", "99999999999999999999", "-5"}) {
    INFO(bad);
    err.clear();
    CHECK_FALSE(parse_timestamp(bad, err).has_value());
    CHECK_FALSE(err.empty());
  }

  CHECK(format_timestamp(1'760'711'400'000'000'000) == "2025-10-17T14:30:00Z");
  CHECK(format_timestamp(1'760'711'400'100'000'000)
        == "2025-10-17T14:30:00.100Z");
  CHECK(format_timestamp(1'760'711'400'000'001'000)
        == "2025-10-17T14:30:00.000001Z");
  CHECK(format_timestamp(1'760'711'400'000'000'007)
        == "2025-10-17T14:30:00.000000007Z");
  // Round trip over a spread of instants.
  for (epoch_ns t = 0; t < 4'000'000'000'000'000'000; t += 123'456'789'012'345'677)
    CHECK(parse_timestamp(format_timestamp(t), err) == t);
}

// -------------------------------------------------------------- CSV input

TEST_CASE("csv reader: records, quotes, blank lines and line numbers",
          "[backtest]") {
  scratch_dir dir;
  auto path = dir.file("x.csv");
  spit(path, "a,b\r\n1,\"two, with comma\"\r\n\r\n3,\"multi\nline\"\n4,x");
  // A tiny chunk size cuts records across chunks.
  csv_reader r{path, 3};
  REQUIRE(r.error().empty());
  std::vector<std::pair<std::uint64_t, std::string>> seen;
  while (const auto* rec = r.next()) {
    std::string joined;
    for (std::size_t i = 0; i < rec->size(); ++i)
      joined += (i ? "|" : "") + std::string((*rec)[i]);
    seen.emplace_back(rec->line(), joined);
  }
  CHECK(r.error().empty());
  CHECK(seen == std::vector<std::pair<std::uint64_t, std::string>>{
                  {1, "a|b"},
                  {2, "1|two, with comma"},
                  {4, "3|multi\nline"},
                  {6, "4|x"}});

  spit(path, "a,b\n1,\"open\n");
  csv_reader broken{path};
  while (broken.next() != nullptr) {
  }
  CHECK(broken.error().find("malformed CSV") != std::string::npos);

  csv_reader missing{dir.file("nope.csv")};
  CHECK(missing.error().find("cannot open") != std::string::npos);
}

TEST_CASE("market file: a bad row stops the reading with file:line",
          "[backtest]") {
  market_reader r{data_file("bad_rows.csv"), false};
  quote q;
  int good = 0;
  while (r.next(q))
    ++good;
  CHECK(good == 1);
  CHECK(r.report().error
        == data_file("bad_rows.csv")
             + ":3: bid \"abc\": bad decimal \"abc\" (expected digits with "
               "an optional '.' and at most 9 decimals, like \"150.25\")");
}

TEST_CASE("market file: --skip-bad-rows counts and reports them",
          "[backtest]") {
  market_reader r{data_file("bad_rows.csv"), true};
  quote q;
  std::vector<std::string> times;
  while (r.next(q))
    times.push_back(format_timestamp(q.ts));
  CHECK(times
        == std::vector<std::string>{"2025-10-17T14:30:00Z",
                                    "2025-10-17T14:30:02Z",
                                    "2025-10-17T14:30:04Z"});
  const auto& rep = r.report();
  CHECK(rep.error.empty());
  CHECK(rep.rows == 9);
  CHECK(rep.bad_rows == 6);
  REQUIRE(rep.bad_examples.size() == 6);
  auto at = [&](std::size_t i) { return rep.bad_examples[i]; };
  auto file = data_file("bad_rows.csv");
  CHECK(at(0).rfind(file + ":3: bid \"abc\"", 0) == 0);
  CHECK(at(1).rfind(file + ":6: timestamp 2025-10-17T14:30:01.500Z goes back",
                    0)
        == 0);
  CHECK(at(2) == file + ":7: expected 6 fields, got 5");
  CHECK(at(3).rfind(file + ":9: timestamp \"2025-10-17T14:30:05\" has no "
                           "time zone",
                    0)
        == 0);
  CHECK(at(4) == file + ":10: crossed quote: bid 100.03 is above ask 100.02");
  CHECK(at(5) == file + ":11: ask_size \"-1\" is not a whole number >= 0");
}

TEST_CASE("input files: header problems and order rows", "[backtest]") {
  scratch_dir dir;
  auto path = dir.file("m.csv");
  auto error_of = [&](const std::string& text) {
    spit(path, text);
    market_reader r{path, true};
    quote q;
    while (r.next(q)) {
    }
    return r.report().error;
  };
  CHECK(error_of("") == path
                          + ": empty file (expected the header "
                            "ts,symbol,bid,ask,bid_size,ask_size)");
  CHECK(error_of("ts,symbol,bid,ask,bid_size\n")
        == path
             + ":1: missing column \"ask_size\" (expected the header "
               "ts,symbol,bid,ask,bid_size,ask_size)");
  CHECK(error_of("ts,symbol,bid,ask,bid_size,ask_size,venue\n").find(
          ":1: unknown column \"venue\"")
        != std::string::npos);
  // Any column order, a byte order mark, CRLF line ends.
  spit(path, "\xEF\xBB\xBFsymbol,ts,ask,bid,ask_size,bid_size\r\n"
             "AAPL,2025-10-17T14:30:00Z,10.02,10.00,7,5\r\n");
  market_reader r{path, false};
  quote q;
  REQUIRE(r.next(q));
  CHECK(q.symbol == "AAPL");
  CHECK(q.bid.to_string() == "10.00");
  CHECK(q.ask.to_string() == "10.02");
  CHECK(q.bid_size == 5);
  CHECK(q.ask_size == 7);

  auto opath = dir.file("o.csv");
  spit(opath, "ts,order_id,trader,symbol,side,quantity,price\n"
              "2025-10-17T14:30:00Z,o1,T1,AAPL,Sell,100,\n"
              "2025-10-17T14:30:01Z,o1,T1,AAPL,buy,100,10.5\n"
              "2025-10-17T14:30:02Z,o2,T1,AAPL,hold,100,\n"
              "2025-10-17T14:30:03Z,o3,T1,AAPL,buy,0,\n"
              "2025-10-17T14:30:04Z,o4,T1,AAPL,buy,10,0\n"
              "2025-10-17T14:30:05Z,o5,T1,AAPL,buy,10,9.99\n");
  order_reader orders{opath, true};
  order_line o;
  REQUIRE(orders.next(o));
  CHECK(o.spec.id == "o1");
  CHECK(o.spec.side == order_side::sell);
  CHECK_FALSE(o.spec.price.has_value());
  CHECK(o.spec.timestamp == "2025-10-17T14:30:00Z");
  REQUIRE(orders.next(o));
  CHECK(o.spec.id == "o5");
  CHECK(o.spec.price->to_string() == "9.99");
  CHECK_FALSE(orders.next(o));
  REQUIRE(orders.report().bad_examples.size() == 4);
  CHECK(orders.report().bad_examples[0]
        == opath + ":3: duplicate order_id \"o1\"");
  CHECK(orders.report().bad_examples[1]
        == opath + ":4: side \"hold\" is not buy or sell");
  CHECK(orders.report().bad_examples[2]
        == opath + ":5: quantity \"0\" is not a whole number >= 1");
  CHECK(orders.report().bad_examples[3]
        == opath + ":6: price \"0\" must be greater than 0");
}

TEST_CASE("a bad row: the backtest runs nothing and names file:line",
          "[backtest]") {
  backtest_inputs in;
  in.market_file = data_file("bad_rows.csv");
  in.orders_file = data_file("orders9.csv");
  auto r = run_backtest(backtest_settings(std::nullopt, in), in, {});
  CHECK(r.error.rfind(in.market_file + ":3: ", 0) == 0);
  CHECK(r.run.digest.empty()); // nothing ran

  in.skip_bad_rows = true;
  r = run_backtest(backtest_settings(std::nullopt, in), in, {});
  CHECK(r.error.empty());
  CHECK(r.market.good_rows == 3);
  CHECK(r.market.report.bad_rows == 6);
  CHECK(r.run.pass);
}

// ------------------------------------------------------------ input edges

TEST_CASE("input edges: control characters in ids, traders and symbols",
          "[backtest][input_edges]") {
  scratch_dir dir;
  auto mpath = dir.file("m.csv");
  using namespace std::string_literals; // the NUL stays in the text
  spit(mpath, "ts,symbol,bid,ask,bid_size,ask_size\n"
              "2025-10-17T14:30:00Z,AAPL,10.00,10.02,5,7\n"
              "2025-10-17T14:30:01Z,AA\0PL,10.00,10.02,5,7\n"s);
  market_reader quotes{mpath, false};
  quote q;
  REQUIRE(quotes.next(q));
  CHECK_FALSE(quotes.next(q));
  CHECK(quotes.report().error
        == mpath + ":3: symbol: control character U+0000 at character 3 of "
                   "\"AA\\u0000PL\" (not allowed in ids, traders and symbols)");

  auto opath = dir.file("o.csv");
  spit(opath, "ts,order_id,trader,symbol,side,quantity,price\n"
              "2025-10-17T14:30:00Z,o\x01,T1,AAPL,buy,100,\n"
              "2025-10-17T14:30:01Z,o2,T\t1,AAPL,buy,100,\n"
              "2025-10-17T14:30:02Z,o3,T1,\"AA\nPL\",buy,100,\n"
              "2025-10-17T14:30:03Z,o4,T1,AAPL,buy,100,\n");
  order_reader orders{opath, true};
  order_line o;
  REQUIRE(orders.next(o));
  CHECK(o.spec.id == "o4");
  CHECK_FALSE(orders.next(o));
  CHECK(orders.report().bad_examples == std::vector<std::string>{
    opath + ":2: order_id: control character U+0001 at character 2 of "
            "\"o\\u0001\" (not allowed in ids, traders and symbols)",
    opath + ":3: trader: control character U+0009 at character 2 of "
            "\"T\\t1\" (not allowed in ids, traders and symbols)",
    opath + ":4: symbol: control character U+000A at character 3 of "
            "\"AA\\nPL\" (not allowed in ids, traders and symbols)"});
}

TEST_CASE("input edges: a quantity beyond 64 bits is out of range",
          "[backtest][input_edges]") {
  std::string err;
  CHECK(parse_count("9223372036854775807", 1, "quantity", err)
        == 9'223'372'036'854'775'807);
  CHECK_FALSE(parse_count("9223372036854775808", 1, "quantity", err));
  CHECK(err == "quantity \"9223372036854775808\" is out of range (at most "
               "9223372036854775807)");
  CHECK_FALSE(parse_count("99999999999999999999x", 1, "quantity", err));
  CHECK(err == "quantity \"99999999999999999999x\" is not a whole number >= 1");
}

TEST_CASE("input edges: a 10 MB field is cut to 60 characters in messages",
          "[backtest][input_edges]") {
  const std::string huge(10 * 1024 * 1024, '7');
  const std::string shown = "\"" + std::string(60, '7') + "...\"";
  std::string err;
  CHECK_FALSE(parse_count(huge + "x", 1, "quantity", err));
  CHECK(err == "quantity " + shown + " is not a whole number >= 1");
  CHECK_FALSE(parse_count(huge, 1, "quantity", err));
  CHECK(err == "quantity " + shown + " is out of range (at most "
                                     "9223372036854775807)");
  CHECK_FALSE(parse_price(huge, "price", err));
  CHECK(err == "price " + shown + ": decimal " + shown + " is too large");
  CHECK_FALSE(parse_timestamp(huge, err));
  CHECK(err.size() < 300);
  CHECK(err.rfind("timestamp " + shown + " is out of range", 0) == 0);

  scratch_dir dir;
  auto opath = dir.file("o.csv");
  spit(opath, "ts,order_id,trader,symbol,side,quantity,price\n"
              "2025-10-17T14:30:00Z,o1,T1,AAPL," + huge + ",100,\n");
  order_reader orders{opath, false};
  order_line o;
  CHECK_FALSE(orders.next(o));
  CHECK(orders.report().error
        == opath + ":2: side " + shown + " is not buy or sell");
}

TEST_CASE("input edges: timestamps near the 64-bit limit",
          "[backtest][input_edges]") {
  std::string err;
  CHECK(parse_timestamp("9223372036854775807", err) == INT64_MAX);
  CHECK_FALSE(parse_timestamp("9223372036854775808", err));
  CHECK(err == "timestamp \"9223372036854775808\" is out of range (integer "
               "nanoseconds go up to 9223372036854775807, "
               "2262-04-11T23:47:16.854775807Z)");

  scratch_dir dir;
  backtest_inputs in;
  in.market_file = dir.file("m.csv");
  in.orders_file = dir.file("o.csv");
  spit(in.orders_file, "ts,order_id,trader,symbol,side,quantity,price\n"
                       "0,o1,T1,AAPL,buy,1,\n");
  // Two quotes 292 years apart: more than the virtual clock holds.
  spit(in.market_file, "ts,symbol,bid,ask,bid_size,ask_size\n"
                       "0,AAPL,10.00,10.02,5,7\n"
                       "9223372036854775807,AAPL,10.00,10.02,5,7\n");
  auto r = run_backtest(backtest_settings(std::nullopt, in), in, {});
  CHECK(r.error == "the input files span 9223372036.854775807s (from "
                   "1970-01-01T00:00:00Z to 2262-04-11T23:47:16.854775807Z), "
                   "more than a backtest can run in virtual time (at most "
                   "2305756609s, about 73 years)");
  CHECK(r.run.digest.empty()); // nothing ran

  // Sixty years apart: runs, and the order fills at the first quote.
  spit(in.market_file, "ts,symbol,bid,ask,bid_size,ask_size\n"
                       "0,AAPL,10.00,10.02,5,7\n"
                       "2030-01-01T00:00:00Z,AAPL,10.00,10.02,5,7\n");
  r = run_backtest(backtest_settings(std::nullopt, in), in, {});
  CHECK(r.error.empty());
  INFO(r.run.error);
  CHECK(r.run.pass);
  CHECK(r.run.error.empty());
}

// ------------------------------------------------------------ percentiles

TEST_CASE("nearest-rank percentiles", "[backtest]") {
  std::vector<int> one{7};
  CHECK(percentile(one, 50) == 7);
  CHECK(percentile(one, 99) == 7);
  std::vector<int> two{1, 2};
  CHECK(percentile(two, 50) == 1);
  CHECK(percentile(two, 51) == 2);
  std::vector<int> twenty;
  for (int i = 1; i <= 20; ++i)
    twenty.push_back(i);
  CHECK(percentile(twenty, 50) == 10);
  CHECK(percentile(twenty, 95) == 19);
  CHECK(percentile(twenty, 99) == 20);
  CHECK(percentile(twenty, 100) == 20);
}

// --------------------------------------------- the hand-made 20-quote file

TEST_CASE("backtest: exact fills on the hand-made 20-quote file",
          "[backtest]") {
  auto in = hand_made();
  auto sc = hand_made_settings(in);
  row_batch rows;
  backtest_options opt;
  opt.capture = &rows;
  auto r = run_backtest(sc, in, opt);
  REQUIRE(r.error.empty());
  INFO(r.run.error);
  REQUIRE(r.run.pass);
  CHECK(r.origin == 1'760'711'400'000'000'000);
  CHECK(r.market.good_rows == 20);
  CHECK(r.orders.good_rows == 9);

  // Virtual time, exchange order, quantity, price. Latency is 10 ms each
  // way, so an order sent at t reaches the exchange at t + 10 ms.
  CHECK(fills_of(rows) == std::vector<fill_tuple>{
    // o1 market buy 500 at 0: the mid at 0 is 100.01, but at 10 ms the
    // exchange sees the quote of 5 ms (ask 100.03 x 200); the other 300
    // fill at the next AAPL quote (50 ms, ask 100.04 x 300).
    {10 * ms, "o1", "X-1", 200, "100.03"},
    {50 * ms, "o1", "X-1", 300, "100.04"},
    // o3 sell 400 limit 100.00 at 60 ms: marketable on arrival, takes the
    // bid (100.02 x 150) at the touch; the rest rests at 100.00.
    {70 * ms, "o3", "X-3", 150, "100.02"},
    // o2 buy 300 limit 200.01 at 20 ms rests (ask 200.05, then 200.03);
    // the 150 ms quote's ask 200.01 x 200 crosses it: 200 at its limit.
    {150 * ms, "o2", "X-2", 200, "200.01"},
    // 180 ms: bid 100.00 x 100 reaches o3's limit.
    {180 * ms, "o3", "X-3", 100, "100.00"},
    // 200 ms: ask 200.00 x 500; o2's last 100 fill at its own limit.
    {200 * ms, "o2", "X-2", 100, "200.01"},
    // 250 ms: bid 100.01 x 500; o3's last 150 at its limit 100.00.
    {250 * ms, "o3", "X-3", 150, "100.00"},
    // o7 market buy 300 at 800 ms: the quote of 800 ms, 300 of 500 shown.
    {810 * ms, "o7", "X-5", 300, "100.07"},
    // o8 buy 100 limit 200.00 at 1 s: marketable (ask 199.97): the touch,
    // not the limit.
    {1010 * ms, "o8", "X-6", 100, "199.97"},
    // o5 market sell 200 at 400 ms: attempt 1 fails at once (network
    // error), the check finds nothing (420 ms), 1 s backoff, attempt 2
    // reaches the exchange at 1430 ms and meets the quote of 1425 ms
    // (bid 199.85 x 150); the other 50 fill at the 1900 ms quote.
    {1430 * ms, "o5", "X-7", 150, "199.85"},
    // o9 buy 600 limit 100.08 at 1.8 s: 500 shown at 100.08; the last
    // quote's ask 100.09 never reaches the limit: partially filled.
    {1810 * ms, "o9", "X-8", 500, "100.08"},
    {1900 * ms, "o5", "X-7", 50, "199.80"},
  });

  // Every order's result: resting and partial orders are accepted
  // (success); o6 is rejected (fatal) and never reaches the book.
  std::map<std::string, order_row> by_id;
  for (const auto& o : rows.orders)
    by_id[o.order_id] = o;
  REQUIRE(by_id.size() == 9);
  for (const char* id : {"o1", "o2", "o3", "o4", "o5", "o7", "o8", "o9"}) {
    INFO(id);
    CHECK(by_id[id].success == true);
  }
  CHECK(by_id["o6"].success == false);
  CHECK(by_id["o6"].error_code == "INSUFFICIENT_FUNDS");
  CHECK(by_id["o5"].retry_count == 1);
  CHECK(by_id["o4"].exchange_order_id == "X-4"); // resting, never filled
  CHECK(by_id["o4"].fill_price == std::nullopt);
  // The ack carries what filled when it left the exchange.
  CHECK(by_id["o1"].fill_price == "100.03");
  CHECK(by_id["o2"].fill_price == std::nullopt);

  // The run lasts until the last quote (resting orders wait for it).
  CHECK(r.run.virtual_end == 2000 * ms);
  CHECK(r.run.violation_counts.empty());
}

TEST_CASE("backtest: latency decides which quote an order meets",
          "[backtest]") {
  auto in = hand_made();
  auto sc = hand_made_settings(in);
  sc.exchange.latency.min = sc.exchange.latency.max = 0;
  row_batch rows;
  backtest_options opt;
  opt.capture = &rows;
  auto r = run_backtest(sc, in, opt);
  REQUIRE(r.run.pass);
  auto fills = fills_of(rows);
  REQUIRE(fills.size() >= 2);
  // Without latency o1 meets the quote of 0 ms (ask 100.02 x 300), and the
  // other 200 fill at the quote of 5 ms (ask 100.03 x 200).
  CHECK(fills[0] == fill_tuple{0, "o1", "X-1", 300, "100.02"});
  CHECK(fills[1] == fill_tuple{5 * ms, "o1", "X-1", 200, "100.03"});
}

TEST_CASE("backtest: displayed size is shared by the orders of a quote",
          "[backtest]") {
  scratch_dir dir;
  backtest_inputs in;
  in.market_file = dir.file("m.csv");
  in.orders_file = dir.file("o.csv");
  spit(in.market_file, "ts,symbol,bid,ask,bid_size,ask_size\n"
                       "0,X,9.99,10.00,100,100\n"
                       "1000000000,X,9.99,10.01,100,100\n");
  // Two market buys of 80 at once: the first takes 80 of the 100 shown,
  // the second the remaining 20, then 60 at the next quote.
  spit(in.orders_file, "ts,order_id,trader,symbol,side,quantity,price\n"
                       "0,a,T1,X,buy,80,\n"
                       "0,b,T2,X,buy,80,\n");
  row_batch rows;
  backtest_options opt;
  opt.capture = &rows;
  auto r = run_backtest(backtest_settings(std::nullopt, in), in, opt);
  REQUIRE(r.run.pass);
  CHECK(fills_of(rows) == std::vector<fill_tuple>{
                            {10 * ms, "a", "X-1", 80, "10.00"},
                            {10 * ms, "b", "X-2", 20, "10.00"},
                            {1000 * ms, "b", "X-2", 60, "10.01"},
                          });
}

TEST_CASE("backtest: the summary's figures on the hand-made file",
          "[backtest]") {
  auto in = hand_made();
  auto r = run_backtest(hand_made_settings(in), in, {});
  REQUIRE(r.run.pass);
  const auto& f = r.figures;
  CHECK(f.orders == 9);
  CHECK(f.filled == 6);           // o1 o2 o3 o5 o7 o8
  CHECK(f.partially_filled == 1); // o9: 500 of 600
  CHECK(f.unfilled == 1);         // o4: resting below the market
  CHECK(f.failed == 1);           // o6: rejected
  CHECK(f.failed_with_fills == 0);
  CHECK(f.quantity == 2600);
  CHECK(f.filled_quantity == 2300);
  CHECK(f.fill_rate == Approx(2300.0 / 2600.0));
  CHECK(f.fills == 12);

  // Slippage vs the mid when each order was sent, + = worse:
  //   o1 buy,  avg (200*100.03 + 300*100.04)/500 = 100.036, mid 100.01
  //   o2 buy,  avg 200.01,   mid 200.035 (quote of 20 ms)
  //   o3 sell, avg (150*100.02 + 250*100.00)/400 = 100.0075, mid 100.03
  //   o5 sell, avg (150*199.85 + 50*199.80)/200 = 199.8375, mid 199.98
  //   o7 buy,  avg 100.07, mid 100.06
  //   o8 buy,  avg 199.97, mid 199.96
  //   o9 buy,  avg 100.08, mid 100.07
  auto bps = [](double avg, double mid, bool buy) {
    auto x = (avg - mid) / mid * 1e4;
    return buy ? x : -x;
  };
  std::vector<double> s = {
    bps(100.036, 100.01, true),    bps(200.01, 200.035, true),
    bps(100.0075, 100.03, false),  bps(199.8375, 199.98, false),
    bps(100.07, 100.06, true),     bps(199.97, 199.96, true),
    bps(100.08, 100.07, true)};
  double sum = 0;
  for (double x : s)
    sum += x;
  std::sort(s.begin(), s.end());
  // -1.2498, 0.5001, 0.9993, 0.9994, 2.2493, 2.5997, 7.1257
  CHECK(f.slippage_bps.orders == 7);
  CHECK(f.slippage_bps.mean == Approx(sum / 7));
  CHECK(f.slippage_bps.p50 == Approx(s[3])); // rank ceil(3.5) = 4: o7
  CHECK(f.slippage_bps.p50 == Approx(0.9994003598));
  CHECK(f.slippage_bps.p95 == Approx(s[6])); // rank ceil(6.65) = 7: o5
  CHECK(f.slippage_bps.p99 == Approx(7.1257125713));
  CHECK(f.no_arrival_quote == 0);

  // First fill after sending: 10, 130 (o2), 10, 1030 (o5), 10, 10, 10 ms.
  CHECK(f.first_fill.orders == 7);
  CHECK(f.first_fill.p50 == 10 * ms);
  CHECK(f.first_fill.p99 == 1030 * ms);
  // Last fill: 50, 180, 190, 1500, 10, 10, 10 ms.
  CHECK(f.last_fill.p50 == 50 * ms);
  CHECK(f.last_fill.p99 == 1500 * ms);

  CHECK(f.retries == 1);
  CHECK(f.orders_retried == 1);
  CHECK(r.run.faults_fired == 2);
  CHECK(r.run.faults_by_kind
        == std::map<std::string, std::uint64_t>{{"network_error", 1},
                                                {"reject", 1}});

  auto text = summary_text(in, r, "x.sqlite");
  CHECK(text.find("orders     9: 6 filled, 1 partially filled, 1 unfilled, "
                  "1 failed")
        != std::string::npos);
  CHECK(text.find("fill rate  88.46% (2300 of 2600) in 12 fills")
        != std::string::npos);
  CHECK(text.find("first fill p50 10ms, p99 1.03s") != std::string::npos);
  CHECK(text.find("last fill  p50 50ms, p99 1.5s") != std::string::npos);
  CHECK(text.find("faults     2 fired: network_error 1, reject 1")
        != std::string::npos);

  auto j = nlohmann::json::parse(summary_json(in, r, "x.sqlite"));
  CHECK(j["execution"]["filled"] == 6);
  CHECK(j["execution"]["slippage_bps"]["p99"].get<double>()
        == Approx(7.1257125713));
  CHECK(j["execution"]["time_to_first_fill_ns"]["p99"] == 1030 * ms);
  CHECK(j["faults"]["by_kind"]["reject"] == 1);
  CHECK(j["violations"]["total"] == 0);
}

TEST_CASE("backtest: same inputs and seed, same digest", "[backtest]") {
  auto in = hand_made();
  auto sc = hand_made_settings(in);
  sc.exchange.latency.min = 5 * ms; // seeded draws
  sc.exchange.latency.max = 15 * ms;
  auto digest = [&](std::uint64_t seed) {
    backtest_options opt;
    opt.seed = seed;
    auto r = run_backtest(sc, in, opt);
    REQUIRE(r.run.pass);
    return r.run.digest;
  };
  auto a = digest(1);
  CHECK(a == digest(1));
  CHECK(a != digest(2));
}

TEST_CASE("backtest: recorded as a run of kind backtest", "[backtest]") {
  scratch_dir dir;
  std::string err;
  auto db = recording::open(dir.file("bt.sqlite"), err);
  REQUIRE(db);
  auto in = hand_made();
  backtest_options opt;
  opt.db = db.get();
  auto r = run_backtest(hand_made_settings(in), in, opt);
  REQUIRE(r.run.pass);
  REQUIRE(r.run.run_id > 0);
  auto scalar = [&](const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db->handle(), sql.c_str(), -1, &stmt, nullptr)
            == SQLITE_OK);
    sqlite3_bind_int64(stmt, 1, r.run.run_id);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    std::string v = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return v;
  };
  CHECK(scalar("SELECT kind FROM runs WHERE run_id = ?") == "backtest");
  CHECK(scalar("SELECT count(*) FROM fills WHERE run_id = ?") == "12");
  CHECK(scalar("SELECT count(*) FROM fills WHERE run_id = ? AND order_id = "
               "'o3'")
        == "3");
  CHECK(scalar("SELECT count(*) FROM orders WHERE run_id = ?") == "9");
  CHECK(scalar("SELECT count(*) FROM faults WHERE run_id = ?") == "2");
}

TEST_CASE("backtest: settings from a scenario file", "[backtest]") {
  auto loaded = load_scenario_file(
    (fs::path(EXECSIM_SOURCE_DIR) / "scenarios" / "backtest" / "settings.toml")
      .string());
  REQUIRE(loaded.value);
  backtest_inputs in;
  in.market_file =
    (fs::path(EXECSIM_SOURCE_DIR) / "scenarios" / "backtest" / "market.csv")
      .string();
  in.orders_file =
    (fs::path(EXECSIM_SOURCE_DIR) / "scenarios" / "backtest" / "orders.csv")
      .string();
  auto sc = backtest_settings(loaded.value, in);
  CHECK(sc.orders.empty());
  CHECK(sc.expects.empty());
  CHECK(sc.exchange.prices.empty());
  CHECK(sc.exchange.latency.min != sc.exchange.latency.max);
  auto a = run_backtest(sc, in, {});
  auto b = run_backtest(sc, in, {});
  REQUIRE(a.error.empty());
  CHECK(a.figures.orders == 20);
  CHECK(a.market.good_rows == 200);
  CHECK(a.run.digest == b.run.digest);
  CHECK(a.run.faults_fired > 0); // [explore] chances apply
}

// ------------------------------------------------------------- generators

TEST_CASE("gen-market and gen-orders are deterministic byte for byte",
          "[backtest]") {
  scratch_dir dir;
  auto out = dir.file("out.txt");
  auto m1 = dir.file("m1.csv");
  auto m2 = dir.file("m2.csv");
  auto m3 = dir.file("m3.csv");
  auto common = "--symbols AAPL,MSFT,IBM --rows 3000 --start "
                "2025-10-17T14:30:00Z --interval 50ms";
  REQUIRE(run_execsim(fmt::format("gen-market {} --seed 9 -o {}", common, m1),
                      out)
          == 0);
  REQUIRE(run_execsim(fmt::format("gen-market {} --seed 9 -o {}", common, m2),
                      out)
          == 0);
  REQUIRE(run_execsim(fmt::format("gen-market {} --seed 10 -o {}", common, m3),
                      out)
          == 0);
  CHECK(slurp(m1) == slurp(m2));
  CHECK(slurp(m1) != slurp(m3));

  // The file reads back as 3000 good quotes, 3 symbols a 50 ms tick.
  market_reader r{m1, false};
  quote q;
  std::uint64_t n = 0;
  epoch_ns last = 0;
  while (r.next(q)) {
    ++n;
    CHECK(q.bid < q.ask);
    CHECK(q.bid_size >= 100);
    CHECK(q.ask_size <= 1000);
    last = q.ts;
  }
  CHECK(r.report().error.empty());
  CHECK(n == 3000);
  CHECK(format_timestamp(last) == "2025-10-17T14:30:49.950Z");

  // Orders from the file == orders from the same generated market.
  auto o1 = dir.file("o1.csv");
  auto o2 = dir.file("o2.csv");
  REQUIRE(run_execsim(fmt::format("gen-orders --market {} --orders 50 --seed "
                                  "9 -o {}",
                                  m1, o1),
                      out)
          == 0);
  REQUIRE(run_execsim(fmt::format("gen-orders {} --orders 50 --seed 9 -o {}",
                                  common, o2),
                      out)
          == 0);
  CHECK(slurp(o1) == slurp(o2));
  order_reader orders{o1, false};
  order_line o;
  std::uint64_t count = 0;
  int limits = 0;
  while (orders.next(o)) {
    ++count;
    limits += o.spec.price ? 1 : 0;
  }
  CHECK(orders.report().error.empty());
  CHECK(count == 50);
  CHECK(limits > 10);
  CHECK(limits < 40);

  // And the CLI backtest of the pair passes and prints the summary.
  REQUIRE(run_execsim(fmt::format("backtest --market {} --orders {} --db {} "
                                  "--format json",
                                  m1, o1, dir.file("bt.sqlite")),
                      out)
          == 0);
  auto j = nlohmann::json::parse(slurp(out));
  CHECK(j["execution"]["orders"] == 50);
  CHECK(j["run"]["pass"] == true);
}

TEST_CASE("backtest CLI: bad input exits 2 with file:line", "[backtest]") {
  scratch_dir dir;
  auto out = dir.file("out.txt");
  CHECK(run_execsim(fmt::format("backtest --market {} --orders {} --db {}",
                                data_file("bad_rows.csv"),
                                data_file("orders9.csv"), dir.file("x.sqlite")),
                    out)
        == 2);
  CHECK(slurp(out).find(data_file("bad_rows.csv") + ":3: bid \"abc\"")
        != std::string::npos);
  CHECK(run_execsim(fmt::format("backtest --market {} --orders {} --db {} "
                                "--skip-bad-rows",
                                data_file("bad_rows.csv"),
                                data_file("orders9.csv"), dir.file("x.sqlite")),
                    out)
        == 0);
  auto text = slurp(out);
  CHECK(text.find("3 quotes (6 bad rows skipped)") != std::string::npos);
  CHECK(text.find("skipped " + data_file("bad_rows.csv") + ":11: ")
        != std::string::npos);
}

// ------------------------------------------------------------------ memory

TEST_CASE("backtest: 1,000,000 quotes run in flat memory",
          "[backtest][memory]") {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer keeps freed memory in quarantine: RSS would say
  // nothing, and the normal build runs this test.
  SUCCEED("memory not measured under AddressSanitizer");
  return;
#endif
  scratch_dir dir;
  auto make = [&](std::uint64_t rows, const std::string& tag) {
    market_params mp;
    mp.symbols = {"AAPL", "MSFT", "IBM", "GOOG"};
    mp.rows = rows;
    mp.seed = 5;
    mp.interval = 10 * ms;
    backtest_inputs in;
    in.market_file = dir.file("m" + tag + ".csv");
    in.orders_file = dir.file("o" + tag + ".csv");
    std::string err;
    auto* f = std::fopen(in.market_file.c_str(), "wb");
    market_generator g{mp};
    REQUIRE(write_market_csv(g, f, err));
    std::fclose(f);
    order_params op;
    op.orders = 2000;
    op.seed = 5;
    f = std::fopen(in.orders_file.c_str(), "wb");
    REQUIRE(write_orders_csv(
      [&] { return std::make_unique<market_generator>(mp); }, op, f, err));
    std::fclose(f);
    return in;
  };
  auto small = make(100'000, "small");
  auto large = make(1'000'000, "large");

  auto run = [&](const backtest_inputs& in) {
    std::string err;
    auto db = recording::open(dir.file("bt.sqlite"), err);
    REQUIRE(db);
    backtest_options opt;
    opt.db = db.get();
    auto start = std::chrono::steady_clock::now();
    auto r = run_backtest(backtest_settings(std::nullopt, in), in, opt);
    auto s = std::chrono::duration<double>(std::chrono::steady_clock::now()
                                           - start)
               .count();
    REQUIRE(r.error.empty());
    CHECK(r.run.pass);
    CHECK(r.figures.orders == 2000);
    WARN(fmt::format("{} quotes: {:.2f}s in all (both passes), {:.0f} "
                     "quotes/s; run {:.2f}s",
                     r.market.good_rows, s,
                     static_cast<double>(r.market.good_rows) / s,
                     r.run.wall_ms / 1000));
    return r;
  };
  auto before = peak_rss_kib();
  run(small);
  auto after_small = peak_rss_kib();
  run(large);
  auto after_large = peak_rss_kib();
  WARN(fmt::format("peak RSS: {} MiB before, {} MiB after 100,000 quotes, {} "
                   "MiB after 1,000,000 quotes",
                   before / 1024, after_small / 1024, after_large / 1024));
  // Ten times the quotes, (almost) no more memory; and little in all.
  CHECK(after_large - after_small < 32 * 1024);
  CHECK(after_large - before < 200 * 1024);
}
