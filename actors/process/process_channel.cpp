#include "actors/process/process_channel.hpp"

#include "sim/assert.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <utility>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace execsim {

namespace {

constexpr std::size_t err_lines_shown = 10;
constexpr std::size_t read_chunk = 65536;

std::int64_t wall_ms() {
  // Wall clock only to bound a child's answer; never reaches a trace.
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

bool make_pipes(int (&in)[2], int (&out)[2], int (&err)[2]) {
  // Close-on-exec: a program started by another thread must not inherit
  // our ends (its stdin would never see EOF).
  return pipe2(in, O_CLOEXEC) == 0 && pipe2(out, O_CLOEXEC) == 0
         && pipe2(err, O_CLOEXEC) == 0;
}

/// In the child, between fork and exec: only async-signal-safe calls.
/// `status` (close-on-exec) gets errno when exec fails.
[[noreturn]] void exec_child(char* const* args, int in, int out, int err,
                             int status) {
  setpgid(0, 0);
  dup2(in, 0);
  dup2(out, 1);
  dup2(err, 2);
  execvp(args[0], args);
  int e = errno;
  (void)!write(status, &e, sizeof e);
  const char msg[] = "cannot execute the executor program: ";
  (void)!write(2, msg, sizeof msg - 1);
  const char* why = std::strerror(errno);
  (void)!write(2, why, std::strlen(why));
  (void)!write(2, "\n", 1);
  _exit(127);
}

/// 0 when the child's exec succeeded (the close-on-exec pipe closed with
/// nothing in it), else its errno; a child whose exec failed is reaped.
int exec_errno(int status_fd, pid_t pid) {
  int e = 0;
  ssize_t n = 0;
  do
    n = read(status_fd, &e, sizeof e);
  while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof e))
    return 0;
  int ignored = 0;
  waitpid(pid, &ignored, 0);
  return e == 0 ? ENOEXEC : e;
}

} // namespace

std::shared_ptr<process_channel>
process_channel::start(const std::vector<std::string>& argv,
                       std::string& error) {
  if (argv.empty()) {
    error = "executor command is empty";
    return nullptr;
  }
  // A child that dies must give us EPIPE, not kill us with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  auto ch = std::shared_ptr<process_channel>(new process_channel());
  ch->argv_ = argv;
  for (const auto& a : argv)
    ch->name_ += (ch->name_.empty() ? "" : " ") + a;
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int status[2] = {-1, -1};
  auto pid = make_pipes(in, out, err) && pipe2(status, O_CLOEXEC) == 0
               ? fork()
               : -1;
  if (pid == 0)
    exec_child(args.data(), in[0], out[1], err[1], status[1]);
  auto why = pid < 0 ? errno : 0;
  for (int fd : {in[0], out[1], err[1], status[1]})
    if (fd >= 0)
      close(fd);
  if (pid > 0)
    why = exec_errno(status[0], pid);
  if (status[0] >= 0)
    close(status[0]);
  if (pid < 0 || why != 0) {
    error = fmt::format("executor program \"{}\" could not be started: {}",
                        ch->name_, std::strerror(why));
    for (int fd : {in[1], out[0], err[0]})
      if (fd >= 0)
        close(fd);
    return nullptr;
  }
  setpgid(pid, pid); // also here: no race with the child's own call
  ch->pid_ = pid;
  ch->to_child_ = in[1];
  ch->from_child_ = out[0];
  ch->child_err_ = err[0];
  for (int fd : {in[1], out[0], err[0]})
    fcntl(fd, F_SETFL, O_NONBLOCK);
  return ch;
}

process_channel::~process_channel() {
  if (to_child_ >= 0)
    close(to_child_); // EOF on its stdin: the program should exit
  // Give it a moment to exit by itself, then end its whole group.
  for (int i = 0; i < 100 && pid_ > 0 && exit_reason(0).empty(); ++i)
    usleep(10'000);
  end_group();
  if (from_child_ >= 0)
    close(from_child_);
  if (child_err_ >= 0)
    close(child_err_);
}

void process_channel::end_group() {
  if (pid_ <= 0)
    return;
  // The group first (the leader is not reaped yet, so its id is not
  // reused), then the leader itself.
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string process_channel::exit_reason(std::int64_t wait_ms) {
  auto until = wall_ms() + wait_ms;
  for (;;) {
    siginfo_t info{};
    // WNOWAIT: the leader stays a zombie until end_group() reaps it.
    if (pid_ > 0
        && waitid(P_PID, static_cast<id_t>(pid_), &info,
                  WEXITED | WNOHANG | WNOWAIT)
             == 0
        && info.si_pid == pid_)
      return info.si_code == CLD_EXITED
               ? fmt::format("exited with status {}", info.si_status)
               : fmt::format("was killed by signal {}", info.si_status);
    if (wall_ms() >= until)
      return {};
    usleep(5'000);
  }
}

void process_channel::drain_stderr(std::size_t kept) {
  char buf[4096];
  // Bounded: a program flooding stderr cannot keep us here.
  for (int i = 0; i < 16; ++i) {
    auto n = read(child_err_, buf, sizeof buf);
    if (n <= 0)
      break;
    err_kept_.append(buf, static_cast<std::size_t>(n));
  }
  if (err_kept_.size() > kept) {
    auto cut = err_kept_.size() - kept;
    err_cut_ += cut;
    err_kept_.erase(0, cut);
  }
}

std::string process_channel::stderr_tail() const {
  if (err_kept_.empty() && err_cut_ == 0)
    return " (it wrote nothing on stderr)";
  std::vector<std::string_view> lines;
  std::string_view rest(err_kept_);
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view{}
                                        : rest.substr(nl + 1);
  }
  auto first = lines.size() > err_lines_shown ? lines.size() - err_lines_shown
                                              : 0;
  auto hidden = err_cut_;
  for (std::size_t i = 0; i < first; ++i)
    hidden += lines[i].size() + 1;
  std::string text = "; its last stderr lines:";
  if (hidden > 0)
    text += fmt::format("\n    [... {} earlier bytes of stderr cut]", hidden);
  for (auto i = first; i < lines.size(); ++i)
    text += "\n    " + printable_text(lines[i]);
  return text;
}

std::string process_channel::failure(const std::string& what,
                                     const std::string& why,
                                     const std::string& detail) {
  broken_ = true;
  drain_stderr(err_bytes_kept_);
  end_group();
  drain_stderr(err_bytes_kept_);
  return fmt::format("executor program \"{}\" {} while handling {}{}{}",
                     name_, why, what, detail, stderr_tail());
}

std::string process_channel::refuse(const std::string& what,
                                    const protocol_reply& reply,
                                    const std::string& why) {
  return failure(what, "sent an invalid line",
                 fmt::format(": {}: {}; its stdout line {}: {}",
                             reply.line.type, why, reply.line_no,
                             reply.shown()));
}

bool process_channel::read_stdout(std::string& why) {
  if (out_start_ > 0) {
    out_buf_.erase(0, out_start_);
    out_start_ = 0;
  }
  char buf[read_chunk];
  auto n = read(from_child_, buf, sizeof buf);
  if (n > 0) {
    out_buf_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return true;
  why = exit_reason(200);
  if (why.empty())
    why = "closed its stdout";
  return false;
}

bool process_channel::write_message(const std::string& text,
                                    std::int64_t deadline_ms,
                                    const process_limits& limits,
                                    std::string& why) {
  std::size_t sent = 0;
  while (sent < text.size()) {
    auto left = deadline_ms - wall_ms();
    if (left <= 0) {
      why = fmt::format("did not read its stdin within {} ms ({} of the "
                        "message's {} bytes written)",
                        limits.reply_timeout_ms, sent, text.size());
      return false;
    }
    // What it writes meanwhile is read too (it may answer while we write),
    // up to the bound of one answer.
    bool take_out = out_buf_.size() < limits.answer_bytes_max;
    pollfd fds[3] = {{to_child_, POLLOUT, 0},
                     {take_out ? from_child_ : -1, POLLIN, 0},
                     {child_err_, POLLIN, 0}};
    if (poll(fds, 3, static_cast<int>(left)) < 0 && errno != EINTR) {
      why = fmt::format("could not be written to ({})", std::strerror(errno));
      return false;
    }
    if (fds[2].revents != 0)
      drain_stderr(limits.stderr_bytes_kept);
    if (fds[1].revents != 0 && !read_stdout(why))
      return false;
    if (fds[0].revents == 0)
      continue;
    auto n = write(to_child_, text.data() + sent, text.size() - sent);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
      why = exit_reason(200);
      if (why.empty())
        why = "stopped reading its stdin";
      return false;
    }
  }
  return true;
}

bool process_channel::read_line(std::string& line, std::int64_t deadline_ms,
                                const process_limits& limits,
                                std::string& why) {
  for (;;) {
    auto nl = out_buf_.find('\n', out_start_);
    auto length = (nl == std::string::npos ? out_buf_.size() : nl) - out_start_;
    if (length > limits.line_bytes_max) {
      why = fmt::format("wrote a line longer than {} bytes (its stdout line "
                        "{})",
                        limits.line_bytes_max, lines_read_ + 1);
      return false;
    }
    if (nl != std::string::npos) {
      line.assign(out_buf_, out_start_, length);
      out_start_ = nl + 1;
      return true;
    }
    auto left = deadline_ms - wall_ms();
    if (left <= 0) {
      why = fmt::format("did not answer within {} ms (no \"ready\" line)",
                        limits.reply_timeout_ms);
      return false;
    }
    pollfd fds[2] = {{from_child_, POLLIN, 0}, {child_err_, POLLIN, 0}};
    // In slices: a program that exited while a child of its own holds its
    // stdout open gives no EOF; its exit is noticed here.
    auto r = poll(fds, 2, static_cast<int>(std::min<std::int64_t>(left, 100)));
    if (r < 0 && errno != EINTR) {
      why = fmt::format("could not be read ({})", std::strerror(errno));
      return false;
    }
    if (r == 0 && !(why = exit_reason(0)).empty())
      return false;
    if (fds[1].revents != 0)
      drain_stderr(limits.stderr_bytes_kept);
    if (fds[0].revents != 0 && !read_stdout(why))
      return false;
  }
}

bool process_channel::call(std::string text, const std::string& what,
                           std::vector<protocol_reply>& replies,
                           std::string& error) {
  replies.clear();
  if (broken_) {
    error = fmt::format("executor program \"{}\" failed earlier", name_);
    return false;
  }
  auto posted = std::move(posted_);
  posted_.clear();
  if (exchange(posted, text, what, replies, error))
    return true;
  if (posted.empty() || posted.front().what != reset_name)
    return false;
  // What starting a program afresh instead of reusing it would have given.
  if (!respawn(error))
    return false;
  posted.erase(posted.begin());
  replies.clear();
  return exchange(posted, text, what, replies, error);
}

bool process_channel::exchange(const std::vector<posted_message>& posted,
                               const std::string& text,
                               const std::string& what,
                               std::vector<protocol_reply>& replies,
                               std::string& error) {
  auto limits = process_limits::from_environment();
  err_bytes_kept_ = limits.stderr_bytes_kept;
  auto deadline = wall_ms() + limits.reply_timeout_ms;
  std::string all;
  for (const auto& p : posted)
    all += p.text;
  all += text;
  std::string why;
  if (!write_message(all, deadline, limits, why)) {
    error = failure(posted.empty() ? what : posted.front().what, why);
    return false;
  }
  return read_posted(posted, deadline, limits, error)
         && read_answer(what, deadline, limits, replies, error);
}

void process_channel::post(const nlohmann::json& message, std::string what) {
  // Bounded: each posted message goes out with the very next call.
  EXECSIM_ASSERT(posted_.size() < 4);
  auto text = message.dump(-1, ' ', false,
                           nlohmann::json::error_handler_t::replace);
  text += '\n';
  posted_.push_back({std::move(text), std::move(what)});
}

bool process_channel::alive() {
  return !broken_ && exit_reason(0).empty();
}

bool process_channel::respawn(std::string& error) {
  auto fresh = start(argv_, error);
  if (!fresh)
    return false;
  end_group();
  for (int* fd : {&to_child_, &from_child_, &child_err_})
    if (*fd >= 0)
      close(std::exchange(*fd, -1));
  pid_ = std::exchange(fresh->pid_, -1);
  to_child_ = std::exchange(fresh->to_child_, -1);
  from_child_ = std::exchange(fresh->from_child_, -1);
  child_err_ = std::exchange(fresh->child_err_, -1);
  out_buf_.clear();
  out_start_ = 0;
  lines_read_ = 0;
  err_kept_.clear();
  err_cut_ = 0;
  broken_ = false;
  return true;
}

bool process_channel::read_posted(const std::vector<posted_message>& posted,
                                  std::int64_t deadline_ms,
                                  const process_limits& limits,
                                  std::string& error) {
  std::vector<protocol_reply> replies;
  for (const auto& p : posted) {
    if (!read_answer(p.what, deadline_ms, limits, replies, error))
      return false;
    if (!replies.empty()) {
      error = failure(p.what, "sent an invalid line",
                      fmt::format(": {}: {} takes no action (answer "
                                  "\"ready\" alone); its stdout line {}: {}",
                                  replies.front().line.type, p.what,
                                  replies.front().line_no,
                                  replies.front().shown()));
      return false;
    }
  }
  return true;
}

bool process_channel::read_answer(const std::string& what,
                                  std::int64_t deadline_ms,
                                  const process_limits& limits,
                                  std::vector<protocol_reply>& replies,
                                  std::string& error) {
  std::string why;
  std::size_t bytes = 0;
  for (;;) {
    std::string line;
    if (!read_line(line, deadline_ms, limits, why)) {
      error = failure(what, why);
      return false;
    }
    ++lines_read_;
    bytes += line.size() + 1;
    if (bytes > limits.answer_bytes_max) {
      error = failure(what, fmt::format("wrote more than {} bytes without "
                                        "\"ready\"",
                                        limits.answer_bytes_max));
      return false;
    }
    std::string perr;
    auto parsed = parse_protocol_line(line, perr);
    if (!parsed) {
      error = failure(what, "sent an invalid line",
                      fmt::format(": {}; its stdout line {}: {}", perr,
                                  lines_read_, shown_line(line)));
      return false;
    }
    if (parsed->what == protocol_line::kind::ready)
      return true;
    if (parsed->what == protocol_line::kind::blank)
      continue;
    if (replies.size() >= limits.actions_max) {
      error = failure(what, fmt::format("sent more than {} actions without "
                                        "\"ready\"",
                                        limits.actions_max));
      return false;
    }
    replies.push_back({lines_read_, std::move(line), std::move(*parsed)});
  }
}

} // namespace execsim
