// The process protocol's messages as a program reads them: written as text
// without a JSON document (message_text.hpp), keys in the sorted order they
// always had, strings escaped, the asyncio harness's `execute` without the
// `config` it already has from `run`; a text that is not UTF-8 sent with
// U+FFFD in place of its bad bytes, so the program can still decode it.
#include <catch2/catch.hpp>

#include "actors/process/message_text.hpp"

#include <nlohmann/json.hpp>

using namespace execsim;

namespace {

decimal price(const char* text) {
  std::string error;
  auto d = decimal::parse(text, error);
  REQUIRE(d);
  return *d;
}

order_spec limit_order() {
  order_spec o;
  o.id = "o\"1\\";
  o.trader = "T1";
  o.symbol = "AAPL";
  o.side = order_side::sell;
  o.quantity = 100;
  o.price = price("150.25");
  o.timestamp = "t+0\n";
  return o;
}

} // namespace

TEST_CASE("execute: the order's fields sorted, strings escaped, config "
          "only when given",
          "[process][protocol]") {
  auto o = limit_order();
  CHECK(execute_text(5'000'000, o, "")
        == "{\"now_ns\":5000000,\"order\":{\"id\":\"o\\\"1\\\\\","
           "\"price\":\"150.25\",\"quantity\":100,\"side\":\"sell\","
           "\"symbol\":\"AAPL\",\"timestamp\":\"t+0\\n\",\"trader\":\"T1\"},"
           "\"order_id\":\"o\\\"1\\\\\",\"type\":\"execute\"}\n");
  auto with = execute_text(0, o, R"({"max_attempts":3})");
  CHECK(with.rfind(R"({"config":{"max_attempts":3},"now_ns":0,)", 0) == 0);
  auto decoded = nlohmann::json::parse(with);
  CHECK(decoded["order"]["id"] == "o\"1\\");
  CHECK(decoded["order"]["timestamp"] == "t+0\n");
  o.price.reset();
  CHECK(nlohmann::json::parse(execute_text(0, o, ""))["order"]["price"]
          .is_null());
}

TEST_CASE("submit_answer, check_answer and timer: every field, retry_after "
          "only when said",
          "[process][protocol]") {
  submit_answer a;
  a.attempt = 2;
  a.status = submit_status::ack;
  a.exchange_order = 7;
  a.fill_price = price("150.25");
  CHECK(submit_answer_text(12, "o1", a)
        == "{\"attempt\":2,\"error_code\":\"\",\"exchange_order_id\":\"X-7\","
           "\"fill_price\":\"150.25\",\"now_ns\":12,\"order_id\":\"o1\","
           "\"status\":\"ack\",\"type\":\"submit_answer\"}\n");
  submit_answer r;
  r.attempt = 1;
  r.status = submit_status::rejected;
  r.error_code = "RATE_LIMITED";
  r.retry_after = 250'000'000;
  CHECK(submit_answer_text(3, "o1", r)
        == "{\"attempt\":1,\"error_code\":\"RATE_LIMITED\","
           "\"exchange_order_id\":null,\"fill_price\":null,\"now_ns\":3,"
           "\"order_id\":\"o1\",\"retry_after_ns\":250000000,"
           "\"status\":\"rejected\",\"type\":\"submit_answer\"}\n");
  check_answer c;
  c.after_attempt = 1;
  c.status = check_status::network_error;
  CHECK(check_answer_text(9, "o1", c, check_status::failed)
        == "{\"after_attempt\":1,\"exchange_order_id\":null,"
           "\"fill_price\":null,\"now_ns\":9,\"order_id\":\"o1\","
           "\"status\":\"failed\",\"type\":\"check_answer\"}\n");
  CHECK(timer_text(2'000'000'000, "o1", 1001)
        == "{\"id\":1001,\"now_ns\":2000000000,\"order_id\":\"o1\","
           "\"type\":\"timer\"}\n");
}

TEST_CASE("a text that is not UTF-8 (a backtest CSV's) still decodes",
          "[process][protocol]") {
  auto o = limit_order();
  o.id = "o\xff" "1";
  o.trader = "Ren\xc3\xa9";
  auto decoded = nlohmann::json::parse(execute_text(0, o, ""));
  CHECK(decoded["order_id"] == "o\xef\xbf\xbd" "1"); // U+FFFD
  CHECK(decoded["order"]["trader"] == "Ren\xc3\xa9");
}
