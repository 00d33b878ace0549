#include "sim/scenario_loader_orders.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace execsim::scenario_loading {

namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int_max = std::numeric_limits<int>::max();

// In the order of the spec: messages list them so.
const std::vector<std::string_view> order_keys = {
  "id", "at", "trader", "symbol", "side", "quantity", "price", "timestamp"};
const std::vector<std::string_view> expect_keys = {
  "order",   "success", "retry_count", "error_code", "fill_price",
  "submits", "fills",   "finished_at", "events"};
const std::vector<std::string_view> event_names = {
  "order.execution_started", "order.executed", "order.recovered",
  "order.execution_failed", "order.reconciled"};

void read_order_id(const table_reader& t, order_ids& ids, order_spec& out) {
  auto value = t.require("id");
  if (!value)
    return;
  auto id = value->plain_string();
  if (!id)
    return;
  if (auto owner = ids.owner(*id)) {
    value->fail(fmt::format("duplicate order id {} (already used by {})",
                            quoted(*id), *owner));
    return;
  }
  ids.add(*id, t.path());
  out.id = *id;
}

/// "AAPL, MSFT" (at most 10, then "and N more"), for messages.
std::string symbol_listing(const std::vector<std::string>& symbols) {
  constexpr std::size_t shown_max = 10;
  std::vector<std::string_view> shown;
  for (std::size_t i = 0; i < symbols.size() && i < shown_max; ++i)
    shown.emplace_back(symbols[i]);
  auto text = join_names(shown);
  if (symbols.size() > shown_max)
    text += fmt::format(" and {} more", symbols.size() - shown_max);
  return text;
}

} // namespace

void check_known_symbol(const table_reader& t, const order_spec& o,
                        const exchange_config& x) {
  const auto& known = x.symbols;
  if (x.unknown_symbols != symbol_policy::error || known.empty()
      || std::find(known.begin(), known.end(), o.symbol) != known.end())
    return;
  auto why = fmt::format("is not in [exchange] symbols ({}); with "
                         "unknown_symbols = \"error\" that is a load error",
                         symbol_listing(known));
  if (auto v = t.get("symbol"))
    v->fail(fmt::format("{} {}", quoted(o.symbol), why));
  else
    t.fail(fmt::format("symbol {} (the default) {}", quoted(o.symbol), why));
}

std::optional<std::string> order_ids::owner(const std::string& id) const {
  auto found = owners_.find(id);
  if (found == owners_.end())
    return std::nullopt;
  return found->second;
}

void order_ids::add(const std::string& id, const std::string& path) {
  owners_.emplace(id, path);
  in_file_order_.push_back(id);
}

std::string order_ids::listing() const {
  if (in_file_order_.empty())
    return "this file has no orders";
  // A file with hundreds of orders must still give a one-line message.
  constexpr std::size_t shown_max = 10;
  std::vector<std::string_view> shown;
  for (std::size_t i = 0; i < in_file_order_.size() && i < shown_max; ++i)
    shown.emplace_back(in_file_order_[i]);
  auto text = "orders in this file: " + join_names(shown);
  if (in_file_order_.size() > shown_max)
    text += fmt::format(" and {} more", in_file_order_.size() - shown_max);
  return text;
}

order_spec read_order(const table_reader& t, order_ids& ids) {
  t.reject_unknown_keys(order_keys);
  order_spec out;
  out.pos = t.pos();
  read_order_id(t, ids, out);
  if (auto v = t.get("at"))
    out.at = v->duration(false).value_or(out.at);
  if (auto v = t.get("trader"))
    out.trader = v->plain_string().value_or(out.trader);
  if (auto v = t.get("symbol")) {
    out.symbol = v->plain_string().value_or(out.symbol);
    out.symbol_pos = v->pos();
  }
  if (auto v = t.get("side"))
    out.side = read_enum(*v, "side", order_side::sell).value_or(out.side);
  if (auto v = t.get("quantity"))
    out.quantity = v->integer(1, int64_max).value_or(out.quantity);
  if (auto v = t.get("price"))
    out.price = v->decimal_string(true);
  // The default keeps the idempotency keys of orders started at different
  // times apart.
  out.timestamp = fmt::format("t+{}", out.at);
  if (auto v = t.get("timestamp"))
    out.timestamp = v->plain_string().value_or(out.timestamp);
  return out;
}

std::optional<std::string> read_order_ref(const field& value,
                                          const order_ids& ids) {
  auto id = value.plain_string(false);
  if (!id)
    return std::nullopt;
  if (!ids.owner(*id)) {
    value.fail(fmt::format("unknown order {} ({})", quoted(*id),
                           ids.listing()));
    return std::nullopt;
  }
  return id;
}

expectation read_expect(const table_reader& t, const order_ids& ids) {
  t.reject_unknown_keys(expect_keys);
  expectation out;
  out.pos = t.pos();
  if (auto v = t.require("order"))
    out.order = read_order_ref(*v, ids).value_or("");
  if (auto v = t.get("success"))
    out.success = v->boolean();
  // retry_count is at most max_attempts - 1 (99); a larger expectation can
  // never hold, and clamping keeps it so without a second error message.
  if (auto v = t.get("retry_count")) {
    if (auto count = v->integer(0, int64_max))
      out.retry_count = static_cast<int>(std::min(*count, int_max));
  }
  if (auto v = t.get("error_code"))
    out.error_code = v->plain_string(false);
  if (auto v = t.get("fill_price"))
    out.fill_price = v->decimal_string(false);
  if (auto v = t.get("submits"))
    out.submits = v->integer(0, int64_max);
  if (auto v = t.get("fills"))
    out.fills = v->integer(0, int64_max);
  if (auto v = t.get("finished_at"))
    out.finished_at = v->duration(false);
  if (auto v = t.get("events"))
    out.events = v->names("event", event_names);
  return out;
}

} // namespace execsim::scenario_loading
