// The bench's result: nine rows, each a figure with its targets, printed
// as a table and written as JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace execsim::bench {

enum class verdict { met, missed, not_available };

const char* to_string(verdict v) noexcept;

struct target {
  std::string text; // "e2e >= 100,000 orders/s"
  verdict result = verdict::not_available;
};

struct bench_row {
  std::string key;    // JSON name: "baseline_caf"
  std::string title;  // "baseline CAF"
  std::string figure; // "1,234,567 round trips/s", or "n/a (...)"
  std::vector<target> targets;
  /// Lines printed under the row: the numbers behind the figure.
  std::vector<std::string> notes;
  /// The numbers, for --json.
  nlohmann::json data = nlohmann::json::object();
};

/// The table: one line per row, its notes and further targets below it.
void print_table(std::ostream& out, const std::vector<bench_row>& rows);

/// {"rows": [{"key", "title", "figure", "targets": [{"text", "verdict"}],
///  "notes", "data"}...]}, under whatever the caller adds.
nlohmann::json rows_json(const std::vector<bench_row>& rows);

/// 1234567.8 -> "1,234,568"; below 100, two decimals ("12.34").
std::string grouped(double x);

/// "1.23 s", "45.6 ms", "789 us".
std::string seconds_text(double s);

} // namespace execsim::bench
