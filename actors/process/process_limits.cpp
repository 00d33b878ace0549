#include "actors/process/process_limits.hpp"

#include <cstdlib>
#include <limits>

namespace execsim {

namespace {

/// The variable's value if it is a positive integer up to `max`.
template <class T>
void override_from(const char* name, T& value, T max) {
  const char* env = std::getenv(name);
  if (env == nullptr || *env == '\0')
    return;
  char* end = nullptr;
  auto v = std::strtoull(env, &end, 10);
  if (*end == '\0' && v > 0 && v <= static_cast<unsigned long long>(max))
    value = static_cast<T>(v);
}

} // namespace

process_limits process_limits::from_environment() {
  process_limits l;
  override_from("EXECSIM_PROCESS_TIMEOUT_MS", l.reply_timeout_ms,
                std::numeric_limits<int>::max());
  override_from("EXECSIM_PROCESS_MAX_LINE_BYTES", l.line_bytes_max,
                std::size_t{1} << 30);
  override_from("EXECSIM_PROCESS_MAX_ACTIONS", l.actions_max,
                std::size_t{100'000'000});
  override_from("EXECSIM_PROCESS_STDERR_BYTES", l.stderr_bytes_kept,
                std::size_t{1} << 20);
  return l;
}

} // namespace execsim
