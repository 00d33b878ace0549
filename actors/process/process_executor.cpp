#include "actors/process/process_executor.hpp"

#include "actors/process/message_text.hpp"
#include "actors/process/process_channel.hpp"
#include "sim/scenario_paths.hpp"

#include <fmt/format.h>

#include <map>

namespace execsim {

namespace {

using nlohmann::json;

/// One program per command and thread, kept between runs: starting an
/// interpreter costs far more than a run. A reused program first gets
/// {"type":"reset"} and must forget every order; the reset is posted (it
/// goes out with the run's first message, no round trip of its own), so a
/// program that answers it with actions fails that message. One that has
/// exited since its last run is started again.
std::shared_ptr<process_channel> acquire(const std::vector<std::string>& argv,
                                         std::string& error) {
  thread_local std::map<std::vector<std::string>,
                        std::shared_ptr<process_channel>>
    programs;
  auto& ch = programs[argv];
  if (ch && ch->alive()) {
    ch->drop_posted();
    ch->post(json{{"type", "reset"}, {"now_ns", 0}}, "reset");
    return ch;
  }
  ch = process_channel::start(argv, error);
  return ch;
}

} // namespace

json config_json(const executor_config& c) {
  return {{"max_attempts", c.max_attempts},
          {"initial_backoff_ns", c.initial_backoff},
          {"backoff_multiplier", c.backoff_multiplier},
          {"max_backoff_ns", c.max_backoff},
          {"jitter", to_string(c.jitter)},
          {"submit_timeout_ns", c.submit_timeout},
          {"check_timeout_ns", c.check_timeout},
          {"fatal_codes", c.fatal_codes},
          {"final_check", c.final_check},
          {"honour_retry_after", c.honour_retry_after}};
}

process_executor::process_executor(executor_port& port, bool send_config)
    : port_(port), send_config_(send_config) {
  auto& slot = port_.run_slot("process");
  if (!slot) {
    std::string error;
    // Relative arguments that name a file beside the scenario are resolved
    // against its directory: `command = ["python3", "my_executor.py"]`
    // works from any working directory.
    auto ch = acquire(
      resolve_command(port_.config().command, port_.scenario_file()), error);
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
  call(execute_text(port_.now(), o, execute_config_text()),
       "execute " + o.id);
}

std::string_view process_executor::execute_config_text() const {
  if (!send_config_)
    return {};
  // The same for every order of the run: dumped once, kept in a run slot.
  auto& slot = port_.run_slot("process_config");
  if (!slot)
    slot = std::make_shared<std::string>(
      execute_config().dump(-1, ' ', false,
                            json::error_handler_t::replace));
  return *std::static_pointer_cast<const std::string>(slot);
}

json process_executor::execute_config() const {
  // Every [executor] setting, and the run's seed: a program that applies
  // jitter draws from it and stays deterministic.
  const auto& c = port_.config();
  auto config = config_json(c);
  config["kind"] = c.kind;
  config["command"] = c.command;
  config["seed"] = port_.seed();
  return config;
}

void process_executor::on_submit_answer(const submit_answer& a) {
  const auto& id = port_.order().id;
  call(submit_answer_text(port_.now(), id, a),
       fmt::format("submit_answer {} attempt {}", id, a.attempt));
}

void process_executor::on_check_answer(const check_answer& a) {
  auto status = a.status == check_status::network_error ? check_status::failed
                                                        : a.status;
  const auto& id = port_.order().id;
  call(check_answer_text(port_.now(), id, a, status),
       fmt::format("check_answer {} after attempt {}", id, a.after_attempt));
}

void process_executor::on_timer(std::uint64_t id) {
  const auto& order_id = port_.order().id;
  call(timer_text(port_.now(), order_id, id),
       fmt::format("timer {} of {}", id, order_id));
}

void process_executor::call(std::string message, const std::string& what) {
  if (!channel_ || channel_->broken())
    return; // the run is being stopped
  std::vector<protocol_reply> replies;
  std::string error;
  if (!channel_->call(std::move(message), what, replies, error)) {
    port_.abort_run(error);
    return;
  }
  for (auto& r : replies) {
    auto why = refusal(r);
    if (!why.empty()) {
      port_.abort_run(channel_->refuse(what, r, why));
      return;
    }
    perform(std::move(r.line.action));
  }
}

std::string process_executor::refusal(const protocol_reply& r) const {
  const auto& id = port_.order().id;
  if (r.line.order_id != id)
    return fmt::format("order_id {:?} is not the order being handled ({:?})",
                       r.line.order_id, id);
  return port_.refusal(r.line.action);
}

void process_executor::perform(port_action a) {
  switch (a.what) {
    case port_action::kind::submit:
      port_.submit(a.attempt, a.idem_key);
      return;
    case port_action::kind::check:
      if (a.poll)
        port_.poll(a.attempt, a.idem_key);
      else
        port_.check(a.attempt, a.idem_key);
      return;
    case port_action::kind::set_timer:
      port_.set_timer(a.timer_id, a.after_ns);
      return;
    case port_action::kind::cancel_timer:
      port_.cancel_timer(a.timer_id);
      return;
    case port_action::kind::timed_out:
      port_.attempt_timed_out(a.attempt);
      return;
    case port_action::kind::check_timed_out:
      port_.check_timed_out(a.attempt);
      return;
    case port_action::kind::publish:
      port_.publish(a.channel, std::move(a.payload_json));
      return;
    case port_action::kind::finish:
      port_.finish(std::move(a.result));
      return;
  }
}

} // namespace execsim
