#include "actors/process/message_text.hpp"

#include "sim/json_text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iterator>

namespace execsim {

namespace {

/// A text of the run (an order's fields come from TOML, which is UTF-8,
/// or from a backtest's CSV, which may be anything) as a JSON string the
/// program can decode: bytes that are not UTF-8 become U+FFFD, as
/// nlohmann's dump with error_handler_t::replace makes them.
void append_text(std::string& out, std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) {
      out += nlohmann::json(std::string(s)).dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
  append_json_string(out, s);
}

void append_price(std::string& out, const std::optional<decimal>& px) {
  if (px)
    append_text(out, px->to_string());
  else
    out += "null";
}

void append_exchange_order(std::string& out, std::uint64_t n) {
  if (n != 0)
    fmt::format_to(std::back_inserter(out), "\"{}\"", exchange_order_name(n));
  else
    out += "null";
}

/// `"now_ns":N,"order_id":"..."` (the keys every answer has, in sorted
/// place after the fill price).
void append_now_and_order(std::string& out, ns_t now,
                          const std::string& order_id) {
  fmt::format_to(std::back_inserter(out), "\"now_ns\":{},\"order_id\":", now);
  append_text(out, order_id);
}

/// What a submit's and a check's answers share.
struct answer_fields {
  std::uint64_t exchange_order;
  const std::optional<decimal>& fill_price;
  ns_t retry_after;
  std::string_view status;
  std::string_view type;
};

/// From "exchange_order_id" to the end, keys in sorted order;
/// retry_after_ns only when the exchange said one.
void append_answer_rest(std::string& out, const answer_fields& f, ns_t now,
                        const std::string& order_id) {
  out += ",\"exchange_order_id\":";
  append_exchange_order(out, f.exchange_order);
  out += ",\"fill_price\":";
  append_price(out, f.fill_price);
  out += ',';
  append_now_and_order(out, now, order_id);
  if (f.retry_after > 0)
    fmt::format_to(std::back_inserter(out), ",\"retry_after_ns\":{}",
                   f.retry_after);
  fmt::format_to(std::back_inserter(out),
                 ",\"status\":\"{}\",\"type\":\"{}\"}}\n", f.status,
                 f.type);
}

} // namespace

std::string order_text(const order_spec& o) {
  std::string out = "{\"id\":";
  append_text(out, o.id);
  out += ",\"price\":";
  append_price(out, o.price);
  fmt::format_to(std::back_inserter(out), ",\"quantity\":{},\"side\":\"{}\"",
                 o.quantity, to_string(o.side));
  out += ",\"symbol\":";
  append_text(out, o.symbol);
  out += ",\"timestamp\":";
  append_text(out, o.timestamp);
  out += ",\"trader\":";
  append_text(out, o.trader);
  out += '}';
  return out;
}

std::string execute_text(ns_t now, const order_spec& o,
                         std::string_view config_text) {
  std::string out = "{";
  if (!config_text.empty()) {
    out += "\"config\":";
    out += config_text;
    out += ',';
  }
  fmt::format_to(std::back_inserter(out), "\"now_ns\":{},\"order\":", now);
  out += order_text(o);
  out += ",\"order_id\":";
  append_text(out, o.id);
  out += ",\"type\":\"execute\"}\n";
  return out;
}

std::string submit_answer_text(ns_t now, const std::string& order_id,
                               const submit_answer& a) {
  std::string out;
  out.reserve(192);
  fmt::format_to(std::back_inserter(out), "{{\"attempt\":{},\"error_code\":",
                 a.attempt);
  append_text(out, a.error_code);
  append_answer_rest(out, {a.exchange_order, a.fill_price, a.retry_after,
                           to_string(a.status), "submit_answer"},
                     now, order_id);
  return out;
}

std::string check_answer_text(ns_t now, const std::string& order_id,
                              const check_answer& a, check_status status) {
  std::string out;
  out.reserve(192);
  fmt::format_to(std::back_inserter(out), "{{\"after_attempt\":{}",
                 a.after_attempt);
  append_answer_rest(out, {a.exchange_order, a.fill_price, a.retry_after,
                           to_string(status), "check_answer"},
                     now, order_id);
  return out;
}

std::string timer_text(ns_t now, const std::string& order_id,
                       std::uint64_t id) {
  std::string out;
  fmt::format_to(std::back_inserter(out), "{{\"id\":{},", id);
  append_now_and_order(out, now, order_id);
  out += ",\"type\":\"timer\"}\n";
  return out;
}

} // namespace execsim
