#include "libexec/explore/probe_coverage.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace execsim {

std::vector<probe_coverage> probe_coverage_of(const explore_report& report,
                                              const explore_config& ex) {
  std::vector<probe_coverage> list;
  for (auto p : all_probes()) {
    probe_coverage c;
    c.name = to_string(p);
    c.meaning = probe_meaning(p);
    c.seeds = report.probe_seeds[static_cast<std::size_t>(p)];
    c.required = std::find(ex.must_reach.begin(), ex.must_reach.end(), c.name)
                 != ex.must_reach.end();
    list.push_back(std::move(c));
  }
  return list;
}

std::vector<std::string> must_reach_failures(const explore_report& report,
                                             const explore_config& ex) {
  std::vector<std::string> out;
  for (const auto& name : ex.must_reach) {
    auto p = probe_named(name);
    if (!p || report.probe_seeds[static_cast<std::size_t>(*p)] > 0)
      continue;
    out.push_back(fmt::format("must_reach: no seed reached \"{}\" ({} "
                              "seed{} run)",
                              name, grouped_count(report.seeds_run),
                              report.seeds_run == 1 ? "" : "s"));
  }
  return out;
}

std::string probes_line(const std::vector<probe_coverage>& coverage) {
  std::string line = "probes:";
  for (const auto& c : coverage)
    line += fmt::format(" {}{}={}", c.name, c.required ? "*" : "", c.seeds);
  return line;
}

nlohmann::json probes_json(const std::vector<probe_coverage>& coverage) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& c : coverage)
    j[c.name] = c.seeds;
  return j;
}

std::string grouped_count(std::uint64_t n) {
  auto digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

} // namespace execsim
