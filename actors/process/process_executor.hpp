// The process executor ([executor] kind = "process"): the user's own
// executor, in any language, as a program that speaks JSON lines over its
// stdin/stdout. One program serves every order of a run; each message names
// its order and carries the virtual time (`now_ns`). The program never
// sleeps or reads a clock: it asks for timers. Every line it writes is
// parsed (protocol_line.hpp) and judged by the port's rules
// (port_rules.hpp) before it is carried out; the first bad line stops the
// run with an error naming the program, the message and the line.
// Reference: docs/process-protocol.md.
#pragma once

#include "actors/executor/executor_api.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace execsim {

class process_channel;
struct protocol_reply;

/// The retry settings of [executor] as JSON (durations in ns): the core of
/// the `execute` message's `config` and of the asyncio harness's settings.
nlohmann::json config_json(const executor_config& c);

class process_executor final : public executor_logic {
public:
  /// `send_config` false: `execute` carries no `config` (the asyncio
  /// harness has every setting from its `run` message).
  explicit process_executor(executor_port& port, bool send_config = true);

  void on_execute() override;
  void on_submit_answer(const submit_answer& answer) override;
  void on_check_answer(const check_answer& answer) override;
  void on_timer(std::uint64_t id) override;

private:
  /// The `config` of an `execute` message: config_json plus `kind`,
  /// `command` and the run's `seed`.
  nlohmann::json execute_config() const;
  /// execute_config dumped, once per run; empty when not sent.
  std::string_view execute_config_text() const;
  /// Sends one message (a JSON line, message_text.hpp) and carries out the
  /// program's actions.
  void call(std::string message, const std::string& what);
  /// Why the action is refused for this order now; "" when it is not.
  std::string refusal(const protocol_reply& reply) const;
  /// Carries out an action that was not refused.
  void perform(port_action action);

  executor_port& port_;
  std::shared_ptr<process_channel> channel_;
  bool send_config_;
};

} // namespace execsim
