// `execsim explore FILE`: many seeds of random faults, invariants checked on
// every run, failing seeds recorded and shrunk to minimal scenario files.
// Exit 0 no seed broke an invariant, 1 one did, 2 bad input.
#include "libexec/cli/commands.hpp"
#include "libexec/run/outcome_text.hpp"

#include "libexec/explore/explorer.hpp"
#include "sim/recording.hpp"
#include "libexec/run/runner.hpp"
#include "sim/runtime.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/scenario_writer.hpp"
#include "libexec/explore/shrinker.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
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
};

bool parse_shard(const std::string& text, std::uint32_t& index,
                 std::uint32_t& count) {
  auto slash = text.find('/');
  if (slash == std::string::npos)
    return false;
  try {
    auto i = std::stoul(text.substr(0, slash));
    auto n = std::stoul(text.substr(slash + 1));
    if (n == 0 || i >= n || n > 1'000'000)
      return false;
    index = static_cast<std::uint32_t>(i);
    count = static_cast<std::uint32_t>(n);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::string stem(const std::string& path) {
  return std::filesystem::path(path).stem().string();
}

void print_progress(const explore_progress& p, bool tty,
                    std::chrono::steady_clock::time_point start) {
  static int calls = 0;
  if (!tty && ++calls % 25 != 0)
    return; // a plain line every ~5 s when not on a terminal
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now()
                                            - start)
                .count();
  auto rate = secs > 0 ? static_cast<double>(p.done) / secs : 0.0;
  auto eta = rate > 0 ? static_cast<double>(p.total - p.done) / rate : 0.0;
  auto line = fmt::format("seeds {}/{}  {:.0f} seeds/s  {} failing  ETA {:.0f}s",
                          p.done, p.total, rate, p.failures, eta);
  if (tty)
    std::cerr << "\r" << line << "\033[K" << std::flush;
  else
    std::cerr << line << "\n";
}

int explore_command(const explore_cli& c) {
  explore_settings s;
  s.from = c.from;
  s.seeds = c.seeds;
  s.jobs = c.jobs;
  s.stop_after = c.stop_after;
  if (!parse_shard(c.shard, s.shard_index, s.shard_count)) {
    std::cerr << fmt::format("execsim explore: --shard {}: expected I/N with "
                             "0 <= I < N (e.g. 0/4)\n",
                             c.shard);
    return exit_bad_input;
  }
  auto loaded = load_scenario_file(c.file);
  if (!loaded.value) {
    for (const auto& e : loaded.errors)
      std::cerr << e.to_string() << "\n";
    return exit_bad_input;
  }
  const auto& sc = *loaded.value;
  if (!sc.explore.present)
    std::cerr << fmt::format("note: {} has no [explore] table: only its own "
                             "[[faults]] apply\n",
                             c.file);
  std::string err;
  auto db = recording::open(c.db, err);
  if (!db) {
    std::cerr << "execsim explore: " << err << "\n";
    return exit_bad_input;
  }

  bool tty = ::isatty(2) != 0;
  auto start = std::chrono::steady_clock::now();
  if (!c.quiet)
    s.on_progress = [&](const explore_progress& p) {
      print_progress(p, tty, start);
    };
  std::cout << fmt::format("explore {}: seeds {}..{} (shard {}/{}), {} "
                           "job{}\n",
                           c.file, c.from, c.from + c.seeds - 1, s.shard_index,
                           s.shard_count, c.jobs, c.jobs == 1 ? "" : "s");
  std::cout.flush();
  auto report = explore(sc, s);
  auto secs =
    std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
  if (tty && !c.quiet)
    std::cerr << "\r\033[K";

  runtime rt;
  std::set<std::string> shrunk; // invariants already shrunk
  std::map<std::string, std::uint64_t> by_invariant;
  std::size_t recorded = 0;
  for (const auto& f : report.failures) {
    for (const auto& [name, n] : f.violation_counts)
      by_invariant[name] += 1;
    // How to see it again: the recorded run, or (past --record-max) the
    // one-seed exploration that reproduces it.
    std::string again;
    if (recorded < c.record_max) {
      run_options opt;
      opt.seed = f.seed;
      opt.explore = true;
      opt.db = db.get();
      opt.kind = "explore";
      auto out = run_scenario(sc, opt, &rt);
      ++recorded;
      again = fmt::format("execsim replay {} --db {}", out.run_id, c.db);
    } else {
      again = fmt::format("execsim explore {} --from {} --seeds 1", c.file,
                          f.seed);
    }
    std::cout << fmt::format("FAIL seed={} invariant={} order={}  replay: {}\n",
                             f.seed, f.invariant.empty() ? "-" : f.invariant,
                             f.order.empty() ? "-" : f.order, again);
    if (!f.error.empty())
      std::cout << "     error: " << f.error << "\n";
    if (!f.detail.empty())
      std::cout << "     " << f.detail << "\n";
    if (c.no_shrink || f.invariant.empty() || shrunk.count(f.invariant))
      continue;
    shrunk.insert(f.invariant);
    auto r = shrink(sc, f.seed, f.fired, f.invariant, rt);
    if (!r.reproduced) {
      std::cout << "     minimal: the fired faults alone do not reproduce "
                   "it; not shrunk\n";
      continue;
    }
    std::filesystem::create_directories(c.out_dir);
    auto path = fmt::format("{}/{}-seed{}-min.toml", c.out_dir, stem(c.file),
                            f.seed);
    auto text = to_toml(r.minimal);
    std::ofstream(path, std::ios::trunc) << text;
    // Prove the file reproduces before pointing anyone at it.
    auto reloaded = load_scenario_text(text, path);
    bool verified = false;
    if (reloaded.value) {
      run_options opt;
      auto out = run_scenario(*reloaded.value, opt, &rt);
      verified = out.pass;
    }
    std::cout << fmt::format("     minimal: {} ({} order{}, {} fault{}, {} "
                             "runs{})\n              execsim run {}\n",
                             path, r.minimal.orders.size(),
                             r.minimal.orders.size() == 1 ? "" : "s",
                             r.minimal.faults.size(),
                             r.minimal.faults.size() == 1 ? "" : "s", r.runs,
                             verified ? ", verified" : ", NOT reproduced",
                             path);
  }
  std::string per;
  for (const auto& [name, n] : by_invariant)
    per += fmt::format("{}{}: {}", per.empty() ? "" : ", ", name, n);
  std::cout << fmt::format("{} seeds, {} failing{}, {:.0f} seeds/s, wall {}, "
                           "digest {}\n",
                           report.seeds_run, report.failures.size(),
                           per.empty() ? "" : " (" + per + ")",
                           secs > 0 ? static_cast<double>(report.seeds_run)
                                        / secs
                                    : 0.0,
                           wall_text(secs * 1000), report.digest);
  return report.failures.empty() ? exit_pass : exit_fail;
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
  cmd->add_option("--from", c->from, "First seed")->capture_default_str();
  cmd->add_option("--shard", c->shard,
                  "Run every N-th seed starting at I (I/N, 0-based)")
    ->capture_default_str();
  cmd->add_option("-j,--jobs", c->jobs, "Threads")
    ->check(CLI::Range(1, 256))
    ->capture_default_str();
  cmd->add_option("--db", c->db, "Where failing runs are recorded")
    ->capture_default_str();
  cmd->add_option("--out", c->out_dir, "Where minimal scenarios are written")
    ->capture_default_str();
  cmd->add_option("--stop-after", c->stop_after,
                  "Stop after K failing seeds (0 = never)")
    ->capture_default_str();
  cmd->add_option("--record-max", c->record_max,
                  "Record at most this many failing runs")
    ->capture_default_str();
  cmd->add_flag("--no-shrink", c->no_shrink, "Do not shrink failures");
  cmd->add_flag("-q,--quiet", c->quiet, "No progress line");
  cmd->callback([c, &chosen] { chosen = [c] { return explore_command(*c); }; });
}

} // namespace execsim::cli
