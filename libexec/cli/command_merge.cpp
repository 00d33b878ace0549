// `execsim merge OUT SHARD...` (sim/recording_merge.hpp): shard recordings
// of `explore --shard I/N` (or any recordings) into one new recording.
#include "libexec/cli/commands.hpp"

#include "libexec/report/terminal_text.hpp"
#include "sim/recording_merge.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace execsim::cli {

namespace {

struct merge_cli {
  std::string out;
  std::vector<std::string> shards;
};

int merge_command(const merge_cli& c) {
  merge_summary summary;
  std::string error;
  if (!merge_recordings(c.out, c.shards, summary, error)) {
    std::cerr << "execsim merge: " << terminal_text(error) << "\n";
    return exit_bad_input;
  }
  std::cout << fmt::format("merged {} recording{} into {}: {} run{}, {} "
                           "exploration shard{}\n",
                           c.shards.size(), c.shards.size() == 1 ? "" : "s",
                           terminal_text(c.out), summary.runs,
                           summary.runs == 1 ? "" : "s", summary.explorations,
                           summary.explorations == 1 ? "" : "s");
  for (const auto& r : summary.ranges)
    std::cout << fmt::format("explore \"{}\" seeds {}..{}: {} shards, {} "
                             "seeds run, {} failing, digest {}\n",
                             terminal_text(r.scenario), r.seed_from,
                             r.seed_from + r.seeds - 1, r.shard_count,
                             r.seeds_run, r.failing_seeds, r.digest);
  return exit_pass;
}

} // namespace

void add_merge_command(CLI::App& app, action& chosen) {
  auto c = std::make_shared<merge_cli>();
  auto* cmd = app.add_subcommand(
    "merge", "Combine shard recordings (explore --shard I/N) into one new "
             "recording; every shard of a seed range must be there, once");
  cmd->add_option("out", c->out, "The new recording (must not exist)")
    ->required();
  cmd->add_option("shards", c->shards, "The shard recordings")->required();
  cmd->callback([c, &chosen] { chosen = [c] { return merge_command(*c); }; });
}

} // namespace execsim::cli
