// A child program spoken to in JSON lines over its stdin/stdout (the
// process executor protocol, see README "Test your own executor"). Virtual
// time stands still while it answers; a wall-clock limit catches a program
// that hangs, and its last stderr lines go into every error.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace execsim {

class process_channel {
public:
  /// Starts `argv` (argv[0] looked up in PATH). nullptr and `error` set
  /// when it cannot start.
  static std::shared_ptr<process_channel>
  start(const std::vector<std::string>& argv, std::string& error);

  ~process_channel();
  process_channel(const process_channel&) = delete;
  process_channel& operator=(const process_channel&) = delete;

  /// Writes `message` as one line, then reads lines until {"type":"ready"}.
  /// False with `error` set when the program died, hung (no ready within
  /// the limit) or wrote something that is not a JSON object. `what`
  /// names the message in errors ("execute o1").
  bool call(const nlohmann::json& message, const std::string& what,
            std::vector<nlohmann::json>& replies, std::string& error);

  /// Whether an earlier call failed (every later call fails at once).
  bool broken() const noexcept {
    return broken_;
  }

  /// "python3 my_executor.py"
  const std::string& name() const noexcept {
    return name_;
  }

  /// Wall-clock limit for one answer: EXECSIM_PROCESS_TIMEOUT_MS, default
  /// 10 s.
  static int reply_timeout_ms();

private:
  process_channel() = default;
  bool read_line(std::string& line, std::int64_t deadline_ms,
                 std::string& error);
  void drain_stderr();
  std::string failure(const std::string& what, const std::string& why);

  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  int child_err_ = -1;
  std::string name_;
  std::string out_buf_;
  std::string err_buf_;
  /// The last stderr lines, for errors.
  std::deque<std::string> err_tail_;
  bool broken_ = false;
};

} // namespace execsim
