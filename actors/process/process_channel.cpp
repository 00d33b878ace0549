#include "actors/process/process_channel.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace execsim {

namespace {

constexpr std::size_t err_tail_max = 10;
constexpr std::size_t line_bytes_max = 1 << 20;

std::int64_t wall_ms() {
  // Wall clock only to bound a child's answer; never reaches a trace.
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

} // namespace

int process_channel::reply_timeout_ms() {
  const char* env = std::getenv("EXECSIM_PROCESS_TIMEOUT_MS");
  if (env != nullptr) {
    auto v = std::atoi(env);
    if (v > 0)
      return v;
  }
  return 10'000;
}

std::shared_ptr<process_channel>
process_channel::start(const std::vector<std::string>& argv,
                       std::string& error) {
  if (argv.empty()) {
    error = "executor command is empty";
    return nullptr;
  }
  // A child that dies must give us EPIPE, not kill us with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  int in[2];
  int out[2];
  int err[2];
  if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) {
    error = fmt::format("cannot create pipes: {}", std::strerror(errno));
    return nullptr;
  }
  auto ch = std::shared_ptr<process_channel>(new process_channel());
  for (const auto& a : argv)
    ch->name_ += (ch->name_.empty() ? "" : " ") + a;
  auto pid = fork();
  if (pid < 0) {
    error = fmt::format("cannot start {}: {}", ch->name_, std::strerror(errno));
    return nullptr;
  }
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]})
      close(fd);
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    std::fprintf(stderr, "cannot execute %s: %s\n", args[0],
                 std::strerror(errno));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  ch->pid_ = pid;
  ch->to_child_ = in[1];
  ch->from_child_ = out[0];
  ch->child_err_ = err[0];
  fcntl(ch->from_child_, F_SETFL, O_NONBLOCK);
  fcntl(ch->child_err_, F_SETFL, O_NONBLOCK);
  return ch;
}

process_channel::~process_channel() {
  if (to_child_ >= 0)
    close(to_child_); // EOF on its stdin: the program should exit
  if (pid_ > 0) {
    int status = 0;
    // Give it a moment to exit by itself, then make sure.
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      usleep(10'000);
    }
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }
  if (from_child_ >= 0)
    close(from_child_);
  if (child_err_ >= 0)
    close(child_err_);
}

void process_channel::drain_stderr() {
  char buf[4096];
  for (;;) {
    auto n = read(child_err_, buf, sizeof buf);
    if (n <= 0)
      break;
    err_buf_.append(buf, static_cast<std::size_t>(n));
  }
  std::size_t pos;
  while ((pos = err_buf_.find('\n')) != std::string::npos) {
    err_tail_.push_back(err_buf_.substr(0, pos));
    err_buf_.erase(0, pos + 1);
    if (err_tail_.size() > err_tail_max)
      err_tail_.pop_front();
  }
}

std::string process_channel::failure(const std::string& what,
                                     const std::string& why) {
  broken_ = true;
  drain_stderr();
  if (!err_buf_.empty()) {
    err_tail_.push_back(err_buf_);
    err_buf_.clear();
  }
  auto text = fmt::format("executor program \"{}\" {} while handling {}",
                          name_, why, what);
  if (err_tail_.empty())
    return text + " (it wrote nothing on stderr)";
  text += "; its last stderr lines:";
  for (const auto& l : err_tail_)
    text += "\n    " + l;
  return text;
}

bool process_channel::read_line(std::string& line, std::int64_t deadline_ms,
                                std::string& error) {
  for (;;) {
    auto nl = out_buf_.find('\n');
    if (nl != std::string::npos) {
      line = out_buf_.substr(0, nl);
      out_buf_.erase(0, nl + 1);
      return true;
    }
    if (out_buf_.size() > line_bytes_max) {
      error = "wrote a line longer than 1 MiB";
      return false;
    }
    auto left = deadline_ms - wall_ms();
    if (left <= 0) {
      error = fmt::format("did not answer within {} ms (no \"ready\" line)",
                          reply_timeout_ms());
      return false;
    }
    pollfd fds[2] = {{from_child_, POLLIN, 0}, {child_err_, POLLIN, 0}};
    auto r = poll(fds, 2, static_cast<int>(left));
    if (r < 0 && errno != EINTR) {
      error = fmt::format("could not be read ({})", std::strerror(errno));
      return false;
    }
    if (fds[1].revents != 0)
      drain_stderr();
    if (fds[0].revents == 0)
      continue;
    char buf[65536];
    auto n = read(from_child_, buf, sizeof buf);
    if (n > 0) {
      out_buf_.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
      continue;
    int status = 0;
    auto done = waitpid(pid_, &status, 0) == pid_;
    if (done)
      pid_ = -1;
    error = !done ? std::string{"closed its stdout"}
            : WIFEXITED(status)
              ? fmt::format("exited with status {}", WEXITSTATUS(status))
              : fmt::format("was killed by signal {}", WTERMSIG(status));
    return false;
  }
}

bool process_channel::call(const nlohmann::json& message,
                           const std::string& what,
                           std::vector<nlohmann::json>& replies,
                           std::string& error) {
  replies.clear();
  if (broken_) {
    error = fmt::format("executor program \"{}\" failed earlier", name_);
    return false;
  }
  auto text = message.dump() + "\n";
  std::size_t sent = 0;
  while (sent < text.size()) {
    auto n = write(to_child_, text.data() + sent, text.size() - sent);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      std::string why;
      std::string line;
      // It died: say how, if we can tell.
      if (!read_line(line, wall_ms() + 100, why))
        error = failure(what, why);
      else
        error = failure(what, "stopped reading its stdin");
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  auto deadline = wall_ms() + reply_timeout_ms();
  for (;;) {
    std::string line;
    std::string why;
    if (!read_line(line, deadline, why)) {
      error = failure(what, why);
      return false;
    }
    if (line.empty())
      continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("type")
        || !j["type"].is_string()) {
      auto shown = line.size() > 200 ? line.substr(0, 200) + "..." : line;
      error = failure(what, fmt::format("wrote a line that is not valid "
                                        "protocol: {:?} (expected a JSON "
                                        "object with a \"type\")",
                                        shown));
      return false;
    }
    if (j["type"] == "ready")
      return true;
    replies.push_back(std::move(j));
  }
}

} // namespace execsim
