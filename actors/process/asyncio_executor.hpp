// The asyncio executor ([executor] kind = "asyncio", factory =
// "module:callable"): the user's unmodified asyncio order executor, run in
// virtual time by the Python harness python/execsim_asyncio, which speaks
// the process protocol. This is the process executor with the harness as
// its program, plus one message of its own at the start of each run
// ({"type":"run"}: the seed and every [executor] setting, for the factory).
#pragma once

#include "actors/executor/executor_api.hpp"

#include <memory>
#include <string>
#include <vector>

namespace execsim {

/// "asyncio", or "asyncio:module:callable" as `--executor` names it.
bool is_asyncio_kind(const std::string& kind);

/// Where the harness package (a directory holding execsim_asyncio/) is
/// looked for, in order: $EXECSIM_PYTHON_DIR, share/execsim/python beside
/// the running program's bin/, the install prefix's, the source tree's.
std::vector<std::string> asyncio_harness_dirs();

class asyncio_executor final : public executor_logic {
public:
  explicit asyncio_executor(executor_port& port);
  ~asyncio_executor() override;

  void on_execute() override;
  void on_submit_answer(const submit_answer& answer) override;
  void on_check_answer(const check_answer& answer) override;
  void on_timer(std::uint64_t id) override;

  class harness_port;

private:
  /// Once per run, before its first order: the seed and the settings.
  bool start_run();

  executor_port& outer_;
  std::unique_ptr<harness_port> port_;
  std::unique_ptr<executor_logic> inner_;
};

} // namespace execsim
