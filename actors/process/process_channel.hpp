// A child program spoken to in JSON lines over its stdin/stdout (the
// process executor protocol, docs/process-protocol.md). Virtual time stands
// still while it answers; a wall-clock limit bounds writing each message
// and reading its answer (non-blocking I/O, poll), and lines, actions and
// kept stderr are bounded (process_limits.hpp). The program runs in its own
// process group; the whole group is ended when the channel fails or goes.
#pragma once

#include "actors/process/process_limits.hpp"
#include "actors/process/protocol_line.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace execsim {

/// One action line of an answer: where it was and what it says.
struct protocol_reply {
  /// 1-based line number on the program's stdout (over its lifetime).
  std::uint64_t line_no = 0;
  /// The line as the program wrote it (without its newline).
  std::string text;
  protocol_line line;

  /// The line as shown in errors (shown_line): made only for an error.
  std::string shown() const {
    return shown_line(text);
  }
};

class process_channel {
public:
  /// Starts `argv` (argv[0] looked up in PATH) in a process group of its
  /// own. nullptr and `error` set when it cannot start.
  static std::shared_ptr<process_channel>
  start(const std::vector<std::string>& argv, std::string& error);

  ~process_channel();
  process_channel(const process_channel&) = delete;
  process_channel& operator=(const process_channel&) = delete;

  /// Writes `text` (one JSON line with its newline, message_text.hpp),
  /// then reads lines until {"type":"ready"}; each line is parsed
  /// (parse_protocol_line) and the actions returned in order. False with
  /// `error` set when the program died, hung, broke a limit or wrote a line
  /// that is not valid protocol: the channel is then broken and the
  /// program's process group ended. `what` names the message in errors
  /// ("execute o1").
  bool call(std::string text, const std::string& what,
            std::vector<protocol_reply>& replies, std::string& error);

  /// Queues `message` to go out with the next call's, in one write (one
  /// wake-up of the program instead of a round trip each). Only for a
  /// message answered by `ready` alone (`reset`, the harness's `run`):
  /// the next call reads that answer first, and any action in it is an
  /// error naming `what`. At most a few are queued at a time.
  void post(const nlohmann::json& message, std::string what);

  /// Forgets posted messages not written yet (a run that stopped before
  /// its first call): as if they had never been posted.
  void drop_posted() noexcept {
    posted_.clear();
  }

  /// The name a posted reset goes by. A program that cannot take its
  /// reset (it exited after its last run, or answered it with actions) is
  /// replaced by a fresh one, which needs none, and the call is retried.
  static constexpr const char* reset_name = "reset";

  /// Whether the program has not exited (no wait: a reused program is
  /// checked before a message is posted to it).
  bool alive();

  /// The error for an action the caller refuses (`why`), naming the
  /// program, `what` and the line; breaks the channel like a failed call.
  std::string refuse(const std::string& what, const protocol_reply& reply,
                     const std::string& why);

  /// Whether an earlier call failed (every later call fails at once).
  bool broken() const noexcept {
    return broken_;
  }

  /// "python3 my_executor.py"
  const std::string& name() const noexcept {
    return name_;
  }

private:
  process_channel() = default;
  bool write_message(const std::string& text, std::int64_t deadline_ms,
                     const process_limits& limits, std::string& why);
  struct posted_message {
    std::string text; // the line, with its newline
    std::string what;
  };
  /// Writes the posted messages and `text` in one write, then reads their
  /// answers: the posted ones' (ready alone each), then the message's.
  bool exchange(const std::vector<posted_message>& posted,
                const std::string& text, const std::string& what,
                std::vector<protocol_reply>& replies, std::string& error);
  bool read_posted(const std::vector<posted_message>& posted,
                   std::int64_t deadline_ms, const process_limits& limits,
                   std::string& error);
  /// Replaces the (ended) program with a fresh start of the same command.
  bool respawn(std::string& error);
  bool read_answer(const std::string& what, std::int64_t deadline_ms,
                   const process_limits& limits,
                   std::vector<protocol_reply>& replies, std::string& error);
  bool read_line(std::string& line, std::int64_t deadline_ms,
                 const process_limits& limits, std::string& why);
  bool read_stdout(std::string& why);
  std::string exit_reason(std::int64_t wait_ms);
  void drain_stderr(std::size_t kept);
  std::string stderr_tail() const;
  std::string failure(const std::string& what, const std::string& why,
                      const std::string& detail = {});
  void end_group();

  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  int child_err_ = -1;
  std::string name_;
  std::string out_buf_;
  /// Where the unread part of out_buf_ starts.
  std::size_t out_start_ = 0;
  std::uint64_t lines_read_ = 0;
  /// The last bytes of stderr, for errors; err_cut_ bytes before them were
  /// dropped.
  std::string err_kept_;
  std::uint64_t err_cut_ = 0;
  std::size_t err_bytes_kept_ = 4096;
  bool broken_ = false;
  std::vector<std::string> argv_;
  /// Messages posted and not yet written.
  std::vector<posted_message> posted_;
};

} // namespace execsim
