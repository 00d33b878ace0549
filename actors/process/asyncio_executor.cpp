#include "actors/process/asyncio_executor.hpp"

#include "actors/process/process_channel.hpp"
#include "actors/process/process_executor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#ifndef EXECSIM_PYTHON_SOURCE_DIR
#define EXECSIM_PYTHON_SOURCE_DIR ""
#endif
#ifndef EXECSIM_PYTHON_INSTALL_DIR
#define EXECSIM_PYTHON_INSTALL_DIR ""
#endif

namespace execsim {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kind_prefix = "asyncio:";
/// Each line of the harness's own error on stderr starts with this.
constexpr std::string_view marker = "execsim_asyncio: ";

std::string factory_of(const executor_config& c) {
  if (c.kind.rfind(kind_prefix, 0) == 0)
    return c.kind.substr(kind_prefix.size());
  return c.factory;
}

/// The harness's entry point, or "" when no search directory has it.
std::string find_harness() {
  for (const auto& dir : asyncio_harness_dirs()) {
    auto main = fs::path(dir) / "execsim_asyncio" / "__main__.py";
    std::error_code ec;
    if (fs::is_regular_file(main, ec))
      return main.string();
  }
  return {};
}

json settings_json(const executor_config& c, const std::string& factory) {
  auto settings = config_json(c);
  settings["kind"] = "asyncio";
  settings["factory"] = factory;
  settings["python"] = c.python;
  return settings;
}

/// The harness's own message (its marked stderr lines) instead of the
/// process channel's "program ... exited" wrapping, when there is one.
std::string harness_error(const std::string& factory, const std::string& why) {
  auto first = why.find(marker);
  if (first == std::string::npos)
    return why;
  auto text = why.substr(first + marker.size());
  std::string out;
  std::size_t pos = 0;
  for (;;) {
    auto next = text.find(marker, pos);
    if (next == std::string::npos)
      break;
    auto line_start = text.rfind('\n', next);
    out.append(text, pos, line_start - pos);
    out += "\n    ";
    pos = next + marker.size();
  }
  out.append(text, pos, std::string::npos);
  return fmt::format("asyncio executor \"{}\": {}", factory, out);
}

} // namespace

bool is_asyncio_kind(const std::string& kind) {
  return kind == "asyncio" || kind.rfind(kind_prefix, 0) == 0;
}

std::vector<std::string> asyncio_harness_dirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("EXECSIM_PYTHON_DIR"))
    dirs.emplace_back(env);
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec)
    dirs.push_back(
      (exe.parent_path().parent_path() / "share" / "execsim" / "python")
        .string());
  for (const char* d : {EXECSIM_PYTHON_INSTALL_DIR, EXECSIM_PYTHON_SOURCE_DIR})
    if (*d != '\0')
      dirs.emplace_back(d);
  return dirs;
}

namespace {

/// What every order of a run shares: the factory and the [executor]
/// settings with the harness as the command, or why there is none. Worked
/// out once per run (the search for the harness touches the filesystem).
struct harness_setup {
  std::string factory;
  executor_config config;
  std::string error;
};

harness_setup make_setup(const executor_port& port) {
  harness_setup s;
  const auto& c = port.config();
  s.factory = factory_of(c);
  if (s.factory.empty()) {
    s.error = "kind = \"asyncio\" needs factory = \"module:callable\" "
              "(or --executor asyncio:module:callable)";
    return s;
  }
  auto harness = find_harness();
  if (harness.empty()) {
    std::string dirs;
    for (const auto& d : asyncio_harness_dirs())
      dirs += (dirs.empty() ? "" : ", ") + d;
    s.error = fmt::format("cannot find the asyncio harness "
                          "execsim_asyncio/__main__.py (looked in {})",
                          dirs);
    return s;
  }
  // The user's module is looked up beside the scenario file first.
  std::string scenario_dir;
  if (!port.scenario_file().empty()) {
    std::error_code ec;
    scenario_dir =
      fs::absolute(port.scenario_file(), ec).parent_path().string();
  }
  s.config = c;
  s.config.command = {c.python, harness, s.factory, scenario_dir};
  return s;
}

} // namespace

/// The run's port, except that config().command is the harness and a
/// failure is reported in the harness's words.
class asyncio_executor::harness_port final : public forwarding_port {
public:
  harness_port(executor_port& outer, std::shared_ptr<const harness_setup> s)
      : forwarding_port(outer), setup_(std::move(s)) {}

  const std::string& factory() const noexcept {
    return setup_->factory;
  }

  const executor_config& config() const noexcept override {
    return setup_->config;
  }
  void abort_run(std::string why) override {
    forwarding_port::abort_run(harness_error(setup_->factory, why));
  }
  void attempt_timed_out(int attempt) override {
    forwarding_port::attempt_timed_out(attempt);
    gave_up_.push_back(attempt);
  }
  void finish(execution_result result) override {
    forwarding_port::finish(std::move(result));
    finished_ = true;
  }

  /// Whether the harness would drop this answer unseen: the order has its
  /// result (the harness forgets a finished order), or the attempt was
  /// given up on (its call no longer waits). Not sending it saves a round
  /// trip that changes nothing: the trace has the answer either way.
  bool ignores(const submit_answer& a) const {
    return finished_ || std::find(gave_up_.begin(), gave_up_.end(),
                                  a.attempt) != gave_up_.end();
  }
  bool finished() const noexcept {
    return finished_;
  }

private:
  std::shared_ptr<const harness_setup> setup_;
  /// The attempts the harness reported timed out (a few per order).
  std::vector<int> gave_up_;
  bool finished_ = false;
};

asyncio_executor::asyncio_executor(executor_port& port) : outer_(port) {
  auto& slot = port.run_slot("asyncio_setup");
  if (!slot)
    slot = std::make_shared<harness_setup>(make_setup(port));
  auto setup = std::static_pointer_cast<const harness_setup>(slot);
  if (!setup->error.empty()) {
    port.abort_run(setup->error);
    return;
  }
  port_ = std::make_unique<harness_port>(port, std::move(setup));
  inner_ = std::make_unique<process_executor>(*port_, false);
}

asyncio_executor::~asyncio_executor() = default;

bool asyncio_executor::start_run() {
  auto& started = outer_.run_slot("asyncio");
  if (started)
    return true;
  started = std::make_shared<bool>(true);
  // The process executor keeps the run's program in this slot.
  auto channel =
    std::static_pointer_cast<process_channel>(outer_.run_slot("process"));
  if (!channel || channel->broken())
    return false; // the run is being stopped
  // Posted: it goes out with the first order's execute, in one write.
  channel->post(json{{"type", "run"},
                     {"now_ns", outer_.now()},
                     {"seed", outer_.seed()},
                     {"settings",
                      settings_json(outer_.config(), port_->factory())}},
                "the start of the run");
  return true;
}

void asyncio_executor::on_execute() {
  if (inner_ && start_run())
    inner_->on_execute();
}

void asyncio_executor::on_submit_answer(const submit_answer& answer) {
  if (inner_ && !port_->ignores(answer))
    inner_->on_submit_answer(answer);
}

void asyncio_executor::on_check_answer(const check_answer& answer) {
  if (inner_ && !port_->finished())
    inner_->on_check_answer(answer);
}

void asyncio_executor::on_timer(std::uint64_t id) {
  if (inner_ && !port_->finished())
    inner_->on_timer(id);
}

} // namespace execsim
