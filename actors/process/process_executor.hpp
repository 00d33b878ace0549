// The process executor ([executor] kind = "process"): the user's own
// executor, in any language, as a program that speaks JSON lines over its
// stdin/stdout. One program serves every order of a run; each message names
// its order and carries the virtual time (`now_ns`). The program never
// sleeps or reads a clock: it asks for timers. Message table: README.
#pragma once

#include "actors/executor/executor_api.hpp"

#include <nlohmann/json.hpp>

#include <memory>

namespace execsim {

class process_channel;

class process_executor final : public executor_logic {
public:
  explicit process_executor(executor_port& port);

  void on_execute() override;
  void on_submit_answer(const submit_answer& answer) override;
  void on_check_answer(const check_answer& answer) override;
  void on_timer(std::uint64_t id) override;

private:
  /// Sends one message and carries out the program's actions.
  void call(nlohmann::json message, const std::string& what);
  bool apply(const nlohmann::json& action, std::string& error);

  executor_port& port_;
  std::shared_ptr<process_channel> channel_;
};

} // namespace execsim
