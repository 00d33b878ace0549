#include "libexec/cli/shard_from_env.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

namespace execsim::cli {

namespace {

/// Same bound as --shard I/N.
constexpr std::uint64_t count_max = 1'000'000;

/// A variable's value as a whole number in [low, high]; nullopt and `error`
/// set when it is something else. `fallback` when unset (nullopt: required).
std::optional<std::uint64_t> number(const env_lookup& env, const char* name,
                                    std::uint64_t low, std::uint64_t high,
                                    std::optional<std::uint64_t> fallback,
                                    std::string& error) {
  const char* text = env(name);
  if (text == nullptr) {
    if (!fallback)
      error = fmt::format("{} is not set", name);
    return fallback;
  }
  std::string_view s{text};
  std::uint64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc{} || r.ptr != s.data() + s.size()
      || v < low || v > high) {
    error = fmt::format("{}=\"{}\" is not a whole number in {}..{}", name,
                        std::string(s), low, high);
    return std::nullopt;
  }
  return v;
}

shard_choice chosen(const char* engine, std::uint64_t index,
                    std::uint64_t count, const char* index_name) {
  shard_choice c;
  if (index >= count) {
    c.error = fmt::format("{} gives shard {} of {}: the index must be below "
                          "the count",
                          index_name, index, count);
    return c;
  }
  c.index = static_cast<std::uint32_t>(index);
  c.count = static_cast<std::uint32_t>(count);
  c.engine = engine;
  return c;
}

shard_choice failed(const char* engine, std::string why) {
  shard_choice c;
  c.error = fmt::format("{}: {}", engine, why);
  return c;
}

shard_choice slurm(const env_lookup& env) {
  std::string e;
  auto id = number(env, "SLURM_ARRAY_TASK_ID", 0, UINT32_MAX, {}, e);
  auto count = number(env, "SLURM_ARRAY_TASK_COUNT", 1, count_max, {}, e);
  auto min = number(env, "SLURM_ARRAY_TASK_MIN", 0, UINT32_MAX, 0, e);
  auto step = number(env, "SLURM_ARRAY_TASK_STEP", 1, UINT32_MAX, 1, e);
  if (!id || !count || !min || !step)
    return failed("Slurm", e);
  if (*id < *min || (*id - *min) % *step != 0)
    return failed("Slurm", fmt::format("SLURM_ARRAY_TASK_ID {} is not "
                                       "SLURM_ARRAY_TASK_MIN {} plus a "
                                       "multiple of SLURM_ARRAY_TASK_STEP {}",
                                       *id, *min, *step));
  return chosen("Slurm", (*id - *min) / *step, *count, "SLURM_ARRAY_TASK_ID");
}

shard_choice gitlab(const env_lookup& env) {
  std::string e;
  auto index = number(env, "CI_NODE_INDEX", 1, count_max, {}, e);
  auto total = number(env, "CI_NODE_TOTAL", 1, count_max, {}, e);
  if (!index || !total)
    return failed("GitLab", e);
  return chosen("GitLab", *index - 1, *total, "CI_NODE_INDEX");
}

shard_choice kubernetes(const env_lookup& env) {
  std::string e;
  auto index = number(env, "JOB_COMPLETION_INDEX", 0, count_max, {}, e);
  auto count = number(env, "EXECSIM_SHARD_COUNT", 1, count_max, {}, e);
  if (!count && index)
    e += " (Kubernetes does not export the Job's completions: set "
         "EXECSIM_SHARD_COUNT to that number in the Job's env)";
  if (!index || !count)
    return failed("Kubernetes", e);
  return chosen("Kubernetes", *index, *count, "JOB_COMPLETION_INDEX");
}

} // namespace

env_lookup process_env() {
  return [](const char* name) { return std::getenv(name); };
}

shard_choice shard_from_env(const env_lookup& env) {
  struct engine {
    const char* name;
    const char* marker; // the variable that says the engine started us
    shard_choice (*read)(const env_lookup&);
  };
  static const engine engines[] = {
    {"Slurm", "SLURM_ARRAY_TASK_ID", slurm},
    {"GitLab", "CI_NODE_INDEX", gitlab},
    {"Kubernetes", "JOB_COMPLETION_INDEX", kubernetes},
  };
  std::vector<const engine*> found;
  for (const auto& e : engines)
    if (env(e.marker) != nullptr)
      found.push_back(&e);
  shard_choice c;
  if (found.empty()) {
    c.error = "none of SLURM_ARRAY_TASK_ID (Slurm), CI_NODE_INDEX (GitLab) "
              "or JOB_COMPLETION_INDEX (Kubernetes) is set";
    return c;
  }
  if (found.size() > 1) {
    c.error = fmt::format("both {} ({}) and {} ({}) are set: give --shard "
                          "I/N",
                          found[0]->marker, found[0]->name, found[1]->marker,
                          found[1]->name);
    return c;
  }
  return found[0]->read(env);
}

} // namespace execsim::cli
