#include "libexec/bench/child_process.hpp"

#include "libexec/bench/stopwatch.hpp"
#include "sim/file_text.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

extern char** environ;

namespace execsim::bench {

namespace {

std::int64_t peak_rss_kb_of(const std::string& status_path) {
  std::ifstream in(status_path);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0)
      return std::atoll(line.c_str() + 6); // "VmHWM:   123456 kB"
  return 0;
}

/// The child's output file; "" when it cannot be read.
std::string slurp(const std::string& path) {
  std::string ignored;
  return file_text(path, ignored).value_or(std::string{});
}

} // namespace

child_result run_child(const std::vector<std::string>& argv,
                       const std::string& scratch) {
  static std::atomic<unsigned> serial{0};
  auto n = std::to_string(serial++);
  auto out_path = scratch + "/child-" + n + ".out";
  auto err_path = scratch + "/child-" + n + ".err";

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  child_result r;
  stopwatch sw;
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    r.err = "cannot start " + argv[0] + ": " + std::strerror(rc);
    return r;
  }
  // wait4's ru_maxrss would carry the parent's high-water mark over the
  // exec (posix_spawn starts the child in our memory), so the child's own
  // VmHWM is sampled while it runs. A sample every 2 ms: the timing is off
  // by at most that, and a peak in the last 2 ms before exit is missed.
  int wstatus = 0;
  rusage ru{};
  auto status_path = "/proc/" + std::to_string(pid) + "/status";
  for (;;) {
    auto got = wait4(pid, &wstatus, WNOHANG, &ru);
    if (got == pid || (got < 0 && errno != EINTR))
      break;
    r.max_rss_kb = std::max(r.max_rss_kb, peak_rss_kb_of(status_path));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  r.seconds = sw.seconds();
  r.status = WIFEXITED(wstatus)     ? WEXITSTATUS(wstatus)
             : WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus)
                                    : -1;
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  return r;
}

std::int64_t self_peak_rss_kb() {
  return peak_rss_kb_of("/proc/self/status");
}

std::string self_exe() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string{"/proc/self/exe"} : p.string();
}

} // namespace execsim::bench
