#include "libexec/bench/report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <ostream>

namespace execsim::bench {

const char* to_string(verdict v) noexcept {
  switch (v) {
    case verdict::met: return "MET";
    case verdict::missed: return "MISSED";
    case verdict::not_available: return "n/a";
  }
  return "?";
}

std::string grouped(double x) {
  if (!std::isfinite(x))
    return "n/a";
  if (std::fabs(x) < 100)
    return fmt::format("{:.2f}", x);
  auto digits = fmt::format("{:.0f}", std::fabs(x));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return x < 0 ? "-" + out : out;
}

std::string seconds_text(double s) {
  if (s >= 1)
    return fmt::format("{:.2f} s", s);
  if (s >= 1e-3)
    return fmt::format("{:.1f} ms", s * 1e3);
  return fmt::format("{:.1f} us", s * 1e6);
}

void print_table(std::ostream& out, const std::vector<bench_row>& rows) {
  constexpr auto line = "{:>2}  {:<26} {:<44} {}\n";
  out << fmt::format(line, "#", "measurement", "figure", "target");
  out << std::string(110, '-') << "\n";
  auto target_text = [](const target& t) {
    return fmt::format("{:<36} {}", t.text, to_string(t.result));
  };
  int n = 0;
  for (const auto& r : rows) {
    ++n;
    out << fmt::format(line, n, r.title, r.figure,
                       r.targets.empty() ? "" : target_text(r.targets[0]));
    for (std::size_t i = 1; i < r.targets.size(); ++i)
      out << fmt::format(line, "", "", "", target_text(r.targets[i]));
    for (const auto& note : r.notes)
      out << "      " << note << "\n";
  }
}

nlohmann::json rows_json(const std::vector<bench_row>& rows) {
  auto arr = nlohmann::json::array();
  for (const auto& r : rows) {
    auto targets = nlohmann::json::array();
    for (const auto& t : r.targets)
      targets.push_back({{"text", t.text}, {"verdict", to_string(t.result)}});
    arr.push_back({{"key", r.key},
                   {"title", r.title},
                   {"figure", r.figure},
                   {"targets", targets},
                   {"notes", r.notes},
                   {"data", r.data}});
  }
  return arr;
}

} // namespace execsim::bench
