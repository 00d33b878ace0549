#include "actors/process/process_executor.hpp"

#include "actors/process/process_channel.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <map>

namespace execsim {

namespace {

using nlohmann::json;

/// Relative arguments that name a file beside the scenario are resolved
/// against the scenario's directory, so `command = ["python3",
/// "my_executor.py"]` works from any working directory.
std::vector<std::string> resolve(const std::vector<std::string>& argv,
                                 const std::string& scenario_file) {
  namespace fs = std::filesystem;
  auto dir = fs::path(scenario_file).parent_path();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    fs::path p(argv[i]);
    std::error_code ec;
    if (!p.is_absolute() && !dir.empty() && fs::exists(dir / p, ec)
        && (i > 0 || argv[i].find('/') != std::string::npos))
      out.push_back((dir / p).string());
    else
      out.push_back(argv[i]);
  }
  return out;
}

/// One program per command and thread, kept between runs: starting an
/// interpreter costs far more than a run. A reused program first gets
/// {"type":"reset"} and must forget every order.
std::shared_ptr<process_channel> acquire(const std::vector<std::string>& argv,
                                         std::string& error) {
  thread_local std::map<std::vector<std::string>,
                        std::shared_ptr<process_channel>>
    programs;
  auto& ch = programs[argv];
  if (ch && !ch->broken()) {
    std::vector<json> replies;
    std::string ignored;
    if (ch->call(json{{"type", "reset"}, {"now_ns", 0}}, "reset", replies,
                 ignored)
        && replies.empty())
      return ch;
  }
  ch = process_channel::start(argv, error);
  return ch;
}

json price_json(const std::optional<decimal>& px) {
  return px ? json(px->to_string()) : json(nullptr);
}

json config_json(const executor_config& c) {
  return {{"max_attempts", c.max_attempts},
          {"initial_backoff_ns", c.initial_backoff},
          {"backoff_multiplier", c.backoff_multiplier},
          {"jitter", to_string(c.jitter)},
          {"submit_timeout_ns", c.submit_timeout},
          {"check_timeout_ns", c.check_timeout},
          {"fatal_codes", c.fatal_codes},
          {"final_check", c.final_check}};
}

std::optional<event_channel> channel_named(const std::string& name) {
  for (auto c : {event_channel::execution_started, event_channel::executed,
                 event_channel::recovered, event_channel::execution_failed})
    if (name == to_string(c))
      return c;
  return std::nullopt;
}

template <class T>
bool field(const json& j, const char* key, T& out, std::string& error) {
  auto i = j.find(key);
  if (i == j.end()) {
    error = fmt::format("\"{}\" is missing", key);
    return false;
  }
  try {
    out = i->get<T>();
    return true;
  } catch (const json::exception&) {
    error = fmt::format("\"{}\" has the wrong type ({})", key, i->dump());
    return false;
  }
}

} // namespace

process_executor::process_executor(executor_port& port) : port_(port) {
  auto& slot = port_.run_slot("process");
  if (!slot) {
    std::string error;
    auto ch = acquire(resolve(port_.config().command, port_.scenario_file()),
                      error);
    if (!ch) {
      port_.abort_run(error);
      return;
    }
    slot = ch;
  }
  channel_ = std::static_pointer_cast<process_channel>(slot);
}

void process_executor::on_execute() {
  const auto& o = port_.order();
  json order = {{"id", o.id},         {"trader", o.trader},
                {"symbol", o.symbol}, {"side", to_string(o.side)},
                {"quantity", o.quantity}, {"price", price_json(o.price)},
                {"timestamp", o.timestamp}};
  call({{"type", "execute"},
        {"now_ns", port_.now()},
        {"order_id", o.id},
        {"order", std::move(order)},
        {"config", config_json(port_.config())}},
       "execute " + o.id);
}

void process_executor::on_submit_answer(const submit_answer& a) {
  json m = {{"type", "submit_answer"},
            {"now_ns", port_.now()},
            {"order_id", port_.order().id},
            {"attempt", a.attempt},
            {"status", to_string(a.status)},
            {"error_code", a.error_code},
            {"exchange_order_id",
             a.exchange_order ? json(exchange_order_name(a.exchange_order))
                              : json(nullptr)},
            {"fill_price", price_json(a.fill_price)}};
  call(std::move(m), fmt::format("submit_answer {} attempt {}",
                                 port_.order().id, a.attempt));
}

void process_executor::on_check_answer(const check_answer& a) {
  auto status = a.status == check_status::network_error ? check_status::failed
                                                        : a.status;
  json m = {{"type", "check_answer"},
            {"now_ns", port_.now()},
            {"order_id", port_.order().id},
            {"after_attempt", a.after_attempt},
            {"status", to_string(status)},
            {"exchange_order_id",
             a.exchange_order ? json(exchange_order_name(a.exchange_order))
                              : json(nullptr)},
            {"fill_price", price_json(a.fill_price)}};
  call(std::move(m), fmt::format("check_answer {} after attempt {}",
                                 port_.order().id, a.after_attempt));
}

void process_executor::on_timer(std::uint64_t id) {
  call({{"type", "timer"},
        {"now_ns", port_.now()},
        {"order_id", port_.order().id},
        {"id", id}},
       fmt::format("timer {} of {}", id, port_.order().id));
}

void process_executor::call(json message, const std::string& what) {
  if (!channel_ || channel_->broken())
    return; // the run is being stopped
  std::vector<json> actions;
  std::string error;
  if (!channel_->call(message, what, actions, error)) {
    port_.abort_run(error);
    return;
  }
  for (const auto& a : actions)
    if (!apply(a, error)) {
      port_.abort_run(fmt::format("executor program \"{}\" sent an invalid "
                                  "{} while handling {}: {} (line: {})",
                                  channel_->name(),
                                  a.value("type", std::string{"message"}),
                                  what, error, a.dump()));
      return;
    }
}

bool process_executor::apply(const json& a, std::string& error) {
  std::string type;
  if (!field(a, "type", type, error))
    return false;
  std::string order_id;
  if (!field(a, "order_id", order_id, error))
    return false;
  if (order_id != port_.order().id) {
    error = fmt::format("order_id \"{}\" is not the order being handled "
                        "(\"{}\")",
                        order_id, port_.order().id);
    return false;
  }
  if (type == "submit" || type == "check") {
    int attempt = 0;
    std::string key;
    if (!field(a, type == "submit" ? "attempt" : "after_attempt", attempt,
               error)
        || !field(a, "idem_key", key, error))
      return false;
    if (attempt < 1 || attempt > 1000) {
      error = fmt::format("attempt {} is out of range 1..1000", attempt);
      return false;
    }
    if (type == "submit")
      port_.submit(attempt, key);
    else
      port_.check(attempt, key);
    return true;
  }
  if (type == "set_timer") {
    std::uint64_t id = 0;
    ns_t after = 0;
    if (!field(a, "id", id, error) || !field(a, "after_ns", after, error))
      return false;
    if (after < 0) {
      error = "after_ns is negative";
      return false;
    }
    port_.set_timer(id, after);
    return true;
  }
  if (type == "timed_out") {
    int attempt = 0;
    if (!field(a, "attempt", attempt, error))
      return false;
    port_.attempt_timed_out(attempt);
    return true;
  }
  if (type == "publish") {
    std::string channel;
    if (!field(a, "channel", channel, error))
      return false;
    auto ch = channel_named(channel);
    if (!ch) {
      error = fmt::format("unknown channel \"{}\"", channel);
      return false;
    }
    auto payload = a.find("payload");
    port_.publish(*ch, payload == a.end() ? std::string{"{}"}
                                          : payload->dump());
    return true;
  }
  if (type == "result") {
    execution_result r;
    if (!field(a, "success", r.success, error)
        || !field(a, "retry_count", r.retry_count, error))
      return false;
    r.error = a.value("error", std::string{});
    r.error_code = a.value("error_code", std::string{});
    auto xid = a.find("exchange_order_id");
    if (xid != a.end() && xid->is_string()) {
      const auto& text = xid->get_ref<const std::string&>();
      auto* first = text.data() + 2;
      auto* last = text.data() + text.size();
      if (text.rfind("X-", 0) != 0
          || std::from_chars(first, last, r.exchange_order).ptr != last) {
        error = fmt::format("exchange_order_id \"{}\" is not X-<n>", text);
        return false;
      }
    }
    auto px = a.find("fill_price");
    if (px != a.end() && px->is_string()) {
      std::string perr;
      auto d = decimal::parse(px->get<std::string>(), perr);
      if (!d) {
        error = "fill_price: " + perr;
        return false;
      }
      r.fill_price = d;
    }
    port_.finish(std::move(r));
    return true;
  }
  error = fmt::format("unknown type \"{}\" (expected submit, check, "
                      "set_timer, timed_out, publish, result or ready)",
                      type);
  return false;
}

} // namespace execsim
