// `execsim explore FILE`: many seeds of random faults, invariants checked on
// every run, failing seeds recorded and shrunk to minimal scenario files.
// Output: one line per failure signature (libexec/explore/failure_groups),
// every seed too with --verbose, or one JSON object with --format json.
// Exit 0 no seed broke an invariant, 1 one did, 2 bad input.
#include "libexec/cli/commands.hpp"
#include "libexec/cli/load_warnings.hpp"
#include "libexec/cli/option_checks.hpp"
#include "libexec/cli/shard_from_env.hpp"
#include "libexec/cli/writable_dir.hpp"
#include "libexec/run/outcome_text.hpp"

#include "libexec/report/explore_html.hpp"

#include "libexec/explore/explorer.hpp"
#include "libexec/explore/failure_groups.hpp"
#include "libexec/explore/probe_coverage.hpp"
#include "sim/recording.hpp"
#include "libexec/run/runner.hpp"
#include "sim/runtime.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/swarm.hpp"
#include "libexec/explore/minimal_file.hpp"
#include "libexec/explore/shrinker.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace execsim::cli {

namespace {

struct explore_cli {
  std::string file;
  std::uint64_t seeds = 1000;
  std::uint64_t from = 0;
  std::string shard = "0/1";
  int jobs = 1;
  std::string db = "execsim.sqlite";
  std::string out_dir = "explore-out";
  std::size_t stop_after = 0;
  std::size_t record_max = 100;
  bool no_shrink = false;
  bool quiet = false;
  bool verbose = false;
  std::string format = "text";
  std::string html; // --html FILE; "" = none
};

bool json_output(const explore_cli& c) { return c.format == "json"; }

/// What shrinking one failure left: the lines the text output shows, and
/// the file when one was written.
struct minimal_note {
  std::string text;
  std::string path; // empty: none written
  bool verified = false;
  std::string problem;
};

std::string stem(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

void print_progress(const explore_progress& p,
                    std::chrono::steady_clock::time_point start) {
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now()
                                            - start)
                .count();
  auto rate = secs > 0 ? static_cast<double>(p.done) / secs : 0.0;
  auto eta = rate > 0 ? static_cast<double>(p.total - p.done) / rate : 0.0;
  std::cerr << fmt::format("\rseeds {}/{}  {:.0f} seeds/s  {} failing  ETA "
                           "{:.0f}s\033[K",
                           p.done, p.total, rate, p.failures, eta)
            << std::flush;
}

/// Everything checked before the first seed runs.
struct explore_inputs {
  explore_settings settings;
  std::optional<scenario> sc;
  std::unique_ptr<recording> db;
};

std::optional<explore_inputs> prepare(const explore_cli& c) {
  auto fail = [](const std::string& message) {
    std::cerr << "execsim explore: " << message << "\n";
    return std::nullopt;
  };
  explore_inputs in;
  auto& s = in.settings;
  s.from = c.from;
  s.seeds = c.seeds;
  s.jobs = c.jobs;
  s.stop_after = c.stop_after;
  if (c.shard == "auto") {
    auto got = shard_from_env(process_env());
    if (!got.error.empty())
      return fail(fmt::format("--shard auto: {}", got.error));
    s.shard_index = got.index;
    s.shard_count = got.count;
  } else if (!parse_shard(c.shard, s.shard_index, s.shard_count))
    return fail(fmt::format("--shard {}: expected I/N in decimal digits with "
                            "0 <= I < N <= 1000000 (e.g. 0/4)",
                            c.shard));
  if (c.seeds - 1 > seed_max - c.from)
    return fail(fmt::format("--from {} --seeds {}: the last seed would be "
                            "above {}, the largest seed",
                            c.from, c.seeds, seed_max));
  if (!c.no_shrink)
    if (auto problem = writable_dir_problem(c.out_dir); !problem.empty())
      return fail(fmt::format("--out {}: {}", c.out_dir, problem));
  auto loaded = load_scenario_file(c.file);
  if (!loaded.value) {
    for (const auto& e : loaded.errors)
      std::cerr << e.to_string() << "\n";
    return std::nullopt;
  }
  print_load_warnings(loaded);
  in.sc = std::move(*loaded.value);
  if (!in.sc->explore.present)
    std::cerr << fmt::format("note: {} has no [explore] table: only its own "
                             "[[faults]] apply\n",
                             c.file);
  std::string err;
  in.db = recording::open(c.db, err);
  if (!in.db)
    return fail(err);
  return in;
}

/// Writes the shrunk scenario and proves the file on disk reproduces the
/// failure before pointing anyone at it.
minimal_note write_minimal(const explore_cli& c, const seed_failure& f,
                           const shrink_result& r, runtime& rt) {
  std::error_code ec;
  std::filesystem::create_directories(c.out_dir, ec);
  auto path = fmt::format("{}/{}-seed{}-min.toml", c.out_dir, stem(c.file),
                          f.seed);
  minimal_note note;
  {
    std::ofstream file(path, std::ios::trunc);
    if (!file.is_open())
      note.problem = std::strerror(errno);
    file << minimal_file_text(r, c.out_dir);
    file.close();
    if (note.problem.empty() && !file)
      note.problem = "write failed";
  }
  if (!note.problem.empty()) {
    note.text = fmt::format("     minimal: cannot write {} ({})\n", path,
                            note.problem);
    return note;
  }
  auto reloaded = load_scenario_file(path);
  if (reloaded.value) {
    run_options opt;
    note.verified = run_scenario(*reloaded.value, opt, &rt).pass;
  }
  note.path = path;
  note.text = fmt::format("     minimal: {} ({} order{}, {} fault{}, {} "
                          "runs{})\n              execsim run {}\n",
                          path, r.minimal.orders.size(),
                          r.minimal.orders.size() == 1 ? "" : "s",
                          r.minimal.faults.size(),
                          r.minimal.faults.size() == 1 ? "" : "s", r.runs,
                          note.verified ? ", verified" : ", NOT reproduced",
                          path);
  return note;
}

minimal_note not_shrunk() {
  minimal_note note;
  note.problem = "the fired faults alone do not reproduce it";
  note.text = "     minimal: the fired faults alone do not reproduce it; not "
              "shrunk\n";
  return note;
}

/// How to see a failure again: the recorded run, or (past --record-max,
/// or when it cannot be recorded) the one-seed exploration.
std::string record_failure(const explore_cli& c, const scenario& sc,
                           const seed_failure& f, recording& db, runtime& rt,
                           std::size_t& recorded) {
  auto again = fmt::format("execsim explore {} --from {} --seeds 1", c.file,
                           f.seed);
  if (recorded >= c.record_max)
    return again;
  run_options opt;
  opt.seed = f.seed;
  opt.explore = true;
  opt.db = &db;
  opt.kind = "explore";
  auto out = run_scenario(sc, opt, &rt);
  if (out.recording_failed) {
    std::cerr << "execsim explore: " << out.error << "\n";
    return again;
  }
  ++recorded;
  return fmt::format("execsim replay {} --db {}", out.run_id, c.db);
}

std::map<std::string, std::uint64_t>
by_invariant(const explore_report& report) {
  std::map<std::string, std::uint64_t> counts;
  for (const auto& f : report.failures)
    for (const auto& [name, n] : f.violation_counts)
      counts[name] += 1;
  return counts;
}

void print_summary(const explore_report& report, double secs) {
  std::string per;
  for (const auto& [name, n] : by_invariant(report))
    per += fmt::format("{}{}: {}", per.empty() ? "" : ", ", name, n);
  std::cout << fmt::format("{} seeds, {} failing{}, {:.0f} seeds/s, wall {}, "
                           "digest {}\n",
                           report.seeds_run, report.failures.size(),
                           per.empty() ? "" : " (" + per + ")",
                           secs > 0 ? static_cast<double>(report.seeds_run)
                                        / secs
                                    : 0.0,
                           wall_text(secs * 1000), report.digest);
}

/// What explore found, per failing seed: how to see it again, and the
/// minimal file of the first failure of each invariant.
struct explore_findings {
  std::vector<std::string> replays;         // by failure
  std::vector<failure_shape> shapes;        // by failure
  std::map<std::size_t, minimal_note> notes; // failure index -> shrink
};

void print_seed(const seed_failure& f, const std::string& again) {
  std::cout << fmt::format("FAIL seed={} invariant={} order={}  replay: {}\n",
                           f.seed, f.invariant.empty() ? "-" : f.invariant,
                           f.order.empty() ? "-" : f.order, again);
  if (!f.swarm_kinds.empty())
    std::cout << "     swarm: " << kinds_text(f.swarm_kinds) << "\n";
  if (!f.error.empty())
    std::cout << "     error: " << f.error << "\n";
  if (!f.detail.empty())
    std::cout << "     " << f.detail << "\n";
}

explore_findings find_out(const explore_cli& c, const scenario& sc,
                          const explore_report& report, recording& db) {
  runtime rt;
  explore_findings found;
  std::set<std::string> shrunk; // invariants already shrunk
  std::size_t recorded = 0;
  for (std::size_t i = 0; i < report.failures.size(); ++i) {
    const auto& f = report.failures[i];
    found.replays.push_back(record_failure(c, sc, f, db, rt, recorded));
    if (c.verbose && !json_output(c))
      print_seed(f, found.replays.back());
    found.shapes.push_back(fired_shape(f));
    if (c.no_shrink || f.invariant.empty())
      continue;
    // Every failure is shrunk for its shape; the first of each invariant
    // is written.
    auto r = shrink(sc, f.seed, f.fired, f.invariant, rt);
    if (r.reproduced)
      found.shapes.back() = minimal_shape(f, r.minimal.faults);
    if (shrunk.insert(f.invariant).second)
      found.notes[i] = r.reproduced ? write_minimal(c, f, r, rt) : not_shrunk();
  }
  return found;
}

/// One line per signature (count, signature, lowest seed and its replay),
/// and the minimal file shrunk from that seed.
void print_groups(const explore_report& report,
                  const std::vector<failure_group>& groups,
                  const explore_findings& found) {
  for (const auto& g : groups) {
    const auto& f = report.failures[g.first];
    std::cout << fmt::format("FAIL {:>5} x {}  first seed={} order={}  "
                             "replay: {}\n",
                             g.count, g.signature, f.seed,
                             f.order.empty() ? "-" : f.order,
                             found.replays[g.first]);
    if (auto it = found.notes.find(g.first); it != found.notes.end())
      std::cout << it->second.text;
  }
}

nlohmann::json group_json(const explore_report& report,
                          const failure_group& g,
                          const explore_findings& found) {
  const auto& f = report.failures[g.first];
  nlohmann::json j = {{"count", g.count},
                      {"signature", g.signature},
                      {"invariant", g.invariant},
                      {"fault_kinds", g.kinds},
                      {"first_seed", f.seed},
                      {"order", f.order},
                      {"replay", found.replays[g.first]},
                      {"minimal", nullptr}};
  if (!f.swarm_kinds.empty())
    j["swarm_kinds"] = kinds_text(f.swarm_kinds);
  if (auto it = found.notes.find(g.first); it != found.notes.end()) {
    const auto& note = it->second;
    if (!note.path.empty()) {
      j["minimal"] = note.path;
      j["minimal_verified"] = note.verified;
    } else {
      j["minimal_problem"] = note.problem;
    }
  }
  return j;
}

void print_json(const explore_cli& c, const explore_settings& s,
                const explore_config& ex, const explore_report& report,
                const std::vector<failure_group>& groups,
                const explore_findings& found) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& g : groups)
    list.push_back(group_json(report, g, found));
  nlohmann::json j = {
    {"file", c.file},
    {"from", c.from},
    {"seeds", c.seeds},
    {"shard", fmt::format("{}/{}", s.shard_index, s.shard_count)},
    {"seeds_run", report.seeds_run},
    {"failing", report.failures.size()},
    {"by_invariant", by_invariant(report)},
    {"groups", list},
    {"swarm", ex.swarm},
    {"probes", probes_json(probe_coverage_of(report, ex))},
    {"must_reach", ex.must_reach},
    {"must_reach_unmet", must_reach_failures(report, ex)},
    {"digest", report.digest}};
  std::cout << j.dump(2) << "\n";
}
/// The shard's totals as an `explorations` row, so shards merged into one
/// recording (execsim merge) give exact totals; "" or why it failed.
std::string record_exploration(const explore_cli& c, const scenario& sc,
                               const explore_settings& s,
                               const explore_report& report, double secs,
                               const std::string& started, recording& db) {
  exploration_row row;
  row.scenario = sc.name;
  row.file = c.file;
  row.seed_from = static_cast<std::int64_t>(c.from);
  row.seeds = static_cast<std::int64_t>(c.seeds);
  row.shard_index = s.shard_index;
  row.shard_count = s.shard_count;
  row.seeds_run = static_cast<std::int64_t>(report.seeds_run);
  row.failing_seeds = static_cast<std::int64_t>(report.failures.size());
  row.digest = report.digest;
  row.wall_ms = secs * 1000;
  row.started_at = started;
  try {
    db.add_exploration(row);
  } catch (const std::exception& e) {
    return fmt::format("cannot record the exploration's totals: {}",
                       e.what());
  }
  return {};
}


/// --html FILE: the exploration as a page (libexec/report/explore_html).
bool write_html(const explore_cli& c, const scenario& sc,
                const explore_report& report,
                const std::vector<failure_group>& groups,
                const explore_findings& found) {
  explore_html_summary s{c.file, c.from, c.seeds, report.seeds_run,
                         report.failures.size(), report.digest, {}, {}};
  for (const auto& p : probe_coverage_of(report, sc.explore))
    s.probe_lines.push_back(fmt::format("{}: {} seed{}{}: {}", p.name,
                                        p.seeds, p.seeds == 1 ? "" : "s",
                                        p.required ? " (must_reach)" : "",
                                        p.meaning));
  for (const auto& line : must_reach_failures(report, sc.explore))
    s.probe_lines.push_back(line);
  for (const auto& g : groups) {
    const auto& f = report.failures[g.first];
    explore_html_group h{g.signature, g.count, f.seed, f.order,
                         found.replays[g.first], "",
                         c.no_shrink ? "not shrunk (--no-shrink)"
                                     : "none written (one per invariant)"};
    if (auto it = found.notes.find(g.first); it != found.notes.end()) {
      h.minimal_path = it->second.path;
      h.minimal_note = !it->second.path.empty()
                         ? (it->second.verified ? "verified" : "NOT reproduced")
                         : it->second.problem;
    }
    s.groups.push_back(std::move(h));
  }
  std::ofstream file(c.html, std::ios::trunc | std::ios::binary);
  file << explore_html(s);
  file.close();
  if (!file)
    std::cerr << fmt::format("execsim explore: --html {}: cannot write the "
                             "file\n",
                             c.html);
  return static_cast<bool>(file);
}

int explore_command(const explore_cli& c) {
  auto in = prepare(c);
  if (!in)
    return exit_bad_input;
  auto& s = in->settings;
  const auto& sc = *in->sc;
  // A progress line only for a person watching: on a pipe or in a file it
  // would be noise, and its wait would slow short explorations.
  bool progress = !c.quiet && ::isatty(1) != 0 && ::isatty(2) != 0;
  auto start = std::chrono::steady_clock::now();
  auto started = wall_clock_iso8601();
  if (progress)
    s.on_progress = [&](const explore_progress& p) {
      print_progress(p, start);
    };
  if (!json_output(c))
    std::cout << fmt::format("explore {}: seeds {}..{} (shard {}/{}), {} "
                             "job{}\n",
                             c.file, c.from, c.from + c.seeds - 1,
                             s.shard_index, s.shard_count, c.jobs,
                             c.jobs == 1 ? "" : "s");
  std::cout.flush();
  auto report = explore(sc, s);
  auto secs =
    std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
  if (progress)
    std::cerr << "\r\033[K";
  auto found = find_out(c, sc, report, *in->db);
  if (auto e = record_exploration(c, sc, s, report, secs, started, *in->db);
      !e.empty()) {
    std::cerr << "execsim explore: " << e << "\n";
    return exit_bad_input;
  }
  auto groups = group_failures(found.shapes);
  auto unmet = must_reach_failures(report, sc.explore);
  if (json_output(c)) {
    print_json(c, s, sc.explore, report, groups, found);
  } else {
    print_groups(report, groups, found);
    std::cout << probes_line(probe_coverage_of(report, sc.explore)) << "\n";
    for (const auto& line : unmet)
      std::cout << line << "\n";
    print_summary(report, secs);
  }
  if (!c.html.empty() && !write_html(c, sc, report, groups, found))
    return exit_bad_input;
  return report.failures.empty() && unmet.empty() ? exit_pass : exit_fail;
}

} // namespace

void add_explore_command(CLI::App& app, action& chosen) {
  auto c = std::make_shared<explore_cli>();
  auto* cmd = app.add_subcommand(
    "explore", "Run a scenario under many seeds of random faults; shrink "
               "failures to minimal scenario files");
  cmd->add_option("file", c->file, "Scenario file (with an [explore] table)")
    ->required();
  cmd->add_option("--seeds", c->seeds, "How many seeds")
    ->capture_default_str()
    ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  cmd->add_option("--from", c->from, "First seed")
    ->check(seed_check())
    ->capture_default_str();
  cmd->add_option("--shard", c->shard,
                  "Run every N-th seed starting at I (I/N, 0-based; "
                  "auto: from Slurm's, GitLab's or Kubernetes' variables)")
    ->capture_default_str();
  cmd->add_option("-j,--jobs", c->jobs, "Threads")
    ->check(CLI::Range(1, 256))
    ->capture_default_str();
  cmd->add_option("--db", c->db, "Where failing runs are recorded")
    ->check(non_empty_check())
    ->capture_default_str();
  cmd->add_option("--out", c->out_dir, "Where minimal scenarios are written")
    ->check(non_empty_check())
    ->capture_default_str();
  cmd->add_option("--stop-after", c->stop_after,
                  "Stop after K failing seeds (0 = never)")
    ->capture_default_str();
  cmd->add_option("--record-max", c->record_max,
                  "Record at most this many failing runs")
    ->capture_default_str();
  cmd->add_flag("--no-shrink", c->no_shrink, "Do not shrink failures");
  cmd->add_flag("-v,--verbose", c->verbose,
                "Also print every failing seed (FAIL seed=...), before the "
                "groups");
  cmd->add_option("--format", c->format,
                  "text (one line per failure signature) or json (the "
                  "summary as one JSON object on stdout)")
    ->check(CLI::IsMember({"text", "json"}))
    ->capture_default_str();
  cmd->add_option("--html", c->html,
                  "Also write the exploration as an HTML page: groups, "
                  "minimal files and their runs' timelines "
                  "(docs/html-report.md)")
    ->check(non_empty_check());
  cmd->add_flag("-q,--quiet", c->quiet,
                "No progress line (there is one only when stdout and stderr "
                "are terminals)");
  cmd->callback([c, &chosen] { chosen = [c] { return explore_command(*c); }; });
}

} // namespace execsim::cli
