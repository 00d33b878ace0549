#include "actors/process/asyncio_executor.hpp"

#include "actors/process/process_channel.hpp"
#include "actors/process/process_executor.hpp"

#include <fmt/format.h>

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

/// The run's port, except that config().command is the harness and a
/// failure is reported in the harness's words.
class asyncio_executor::harness_port final : public executor_port {
public:
  harness_port(executor_port& outer, executor_config config,
               std::string factory)
      : outer_(outer), config_(std::move(config)),
        factory_(std::move(factory)) {}

  const std::string& factory() const noexcept {
    return factory_;
  }

  ns_t now() const noexcept override {
    return outer_.now();
  }
  const order_spec& order() const noexcept override {
    return outer_.order();
  }
  const executor_config& config() const noexcept override {
    return config_;
  }
  std::uint64_t random(std::uint64_t a, std::uint64_t b) const
    noexcept override {
    return outer_.random(a, b);
  }
  std::uint64_t seed() const noexcept override {
    return outer_.seed();
  }
  void submit(int attempt, const std::string& key) override {
    outer_.submit(attempt, key);
  }
  void check(int after_attempt, const std::string& key) override {
    outer_.check(after_attempt, key);
  }
  void set_timer(std::uint64_t id, ns_t after_ns) override {
    outer_.set_timer(id, after_ns);
  }
  void cancel_timer(std::uint64_t id) override {
    outer_.cancel_timer(id);
  }
  void attempt_timed_out(int attempt) override {
    outer_.attempt_timed_out(attempt);
  }
  void check_timed_out(int after_attempt) override {
    outer_.check_timed_out(after_attempt);
  }
  void publish(event_channel channel, std::string payload) override {
    outer_.publish(channel, std::move(payload));
  }
  void finish(execution_result result) override {
    outer_.finish(std::move(result));
  }
  const std::string& scenario_file() const noexcept override {
    return outer_.scenario_file();
  }
  std::shared_ptr<void>& run_slot(const std::string& key) override {
    return outer_.run_slot(key);
  }
  void abort_run(std::string why) override {
    outer_.abort_run(harness_error(factory_, why));
  }

private:
  executor_port& outer_;
  executor_config config_;
  std::string factory_;
};

asyncio_executor::asyncio_executor(executor_port& port) : outer_(port) {
  const auto& c = port.config();
  auto factory = factory_of(c);
  if (factory.empty()) {
    port.abort_run("kind = \"asyncio\" needs factory = \"module:callable\" "
                   "(or --executor asyncio:module:callable)");
    return;
  }
  auto harness = find_harness();
  if (harness.empty()) {
    std::string dirs;
    for (const auto& d : asyncio_harness_dirs())
      dirs += (dirs.empty() ? "" : ", ") + d;
    port.abort_run(fmt::format("cannot find the asyncio harness "
                               "execsim_asyncio/__main__.py (looked in {})",
                               dirs));
    return;
  }
  auto config = c;
  // The user's module is looked up beside the scenario file first.
  std::string scenario_dir;
  if (!port.scenario_file().empty()) {
    std::error_code ec;
    scenario_dir =
      fs::absolute(port.scenario_file(), ec).parent_path().string();
  }
  config.command = {c.python, harness, factory, scenario_dir};
  port_ = std::make_unique<harness_port>(port, std::move(config), factory);
  inner_ = std::make_unique<process_executor>(*port_);
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
  json message = {{"type", "run"},
                  {"now_ns", outer_.now()},
                  {"seed", outer_.seed()},
                  {"settings", settings_json(outer_.config(),
                                             port_->factory())}};
  std::vector<protocol_reply> replies;
  std::string error;
  if (!channel->call(message, "the start of the run", replies, error)) {
    port_->abort_run(error);
    return false;
  }
  if (!replies.empty()) {
    port_->abort_run(fmt::format("the harness answered the start of the "
                                 "run with actions ({})",
                                 replies.front().shown));
    return false;
  }
  return true;
}

void asyncio_executor::on_execute() {
  if (inner_ && start_run())
    inner_->on_execute();
}

void asyncio_executor::on_submit_answer(const submit_answer& answer) {
  if (inner_)
    inner_->on_submit_answer(answer);
}

void asyncio_executor::on_check_answer(const check_answer& answer) {
  if (inner_)
    inner_->on_check_answer(answer);
}

void asyncio_executor::on_timer(std::uint64_t id) {
  if (inner_)
    inner_->on_timer(id);
}

} // namespace execsim
