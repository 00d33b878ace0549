#include "libexec/cli/option_checks.hpp"

#include <fmt/format.h>

namespace execsim::cli {

namespace {

/// Decimal digits only (no sign, space or prefix), at most `max`.
bool parse_decimal(const std::string& text, std::uint64_t max,
                   std::uint64_t& value) {
  if (text.empty() || text.size() > 20
      || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  std::uint64_t v = 0;
  for (char c : text) {
    auto digit = static_cast<std::uint64_t>(c - '0');
    if (v > (max - digit) / 10)
      return false;
    v = v * 10 + digit;
  }
  value = v;
  return true;
}

} // namespace

CLI::Validator seed_check() {
  return CLI::Validator(
    [](std::string& text) -> std::string {
      std::uint64_t v = 0;
      if (parse_decimal(text, seed_max, v))
        return {};
      return fmt::format("seed must be a whole number from 0 to {}, got "
                         "\"{}\"",
                         seed_max, text);
    },
    "", "seed");
}

CLI::Validator non_empty_check() {
  return CLI::Validator(
    [](std::string& text) -> std::string {
      return text.empty() ? "must not be empty" : "";
    },
    "", "non-empty");
}

bool parse_shard(const std::string& text, std::uint32_t& index,
                 std::uint32_t& count) {
  auto slash = text.find('/');
  if (slash == std::string::npos)
    return false;
  std::uint64_t i = 0;
  std::uint64_t n = 0;
  if (!parse_decimal(text.substr(0, slash), 1'000'000, i)
      || !parse_decimal(text.substr(slash + 1), 1'000'000, n) || n == 0
      || i >= n)
    return false;
  index = static_cast<std::uint32_t>(i);
  count = static_cast<std::uint32_t>(n);
  return true;
}

} // namespace execsim::cli
