// `explore --shard auto` (#18): the shard read from the variables Slurm job
// arrays, GitLab parallel jobs and Kubernetes Indexed Jobs set, so a job
// definition passes the same command to every task.
#include "libexec/cli/shard_from_env.hpp"

#include <catch2/catch.hpp>

#include "tests/cli_support.hpp"

#include <cstdlib>
#include <map>
#include <string>

using namespace execsim::cli;
using execsim::testing::execsim_cli;
using execsim::testing::scratch_dir;

namespace {

shard_choice from(const std::map<std::string, std::string>& vars) {
  return shard_from_env([&vars](const char* name) -> const char* {
    auto i = vars.find(name);
    return i == vars.end() ? nullptr : i->second.c_str();
  });
}

std::string text(const shard_choice& c) {
  if (!c.error.empty())
    return "error: " + c.error;
  return c.engine + " " + std::to_string(c.index) + "/"
         + std::to_string(c.count);
}

/// Sets environment variables for the lifetime of the guard.
struct env_guard {
  std::map<std::string, std::string> vars;
  explicit env_guard(std::map<std::string, std::string> v) : vars(std::move(v)) {
    for (const auto& [k, val] : vars)
      ::setenv(k.c_str(), val.c_str(), 1);
  }
  ~env_guard() {
    for (const auto& kv : vars)
      ::unsetenv(kv.first.c_str());
  }
};

} // namespace

TEST_CASE("shard auto reads Slurm's, GitLab's and Kubernetes' variables",
          "[cli][shard]") {
  CHECK(text(from({{"SLURM_ARRAY_TASK_ID", "2"},
                   {"SLURM_ARRAY_TASK_COUNT", "4"}}))
        == "Slurm 2/4");
  // --array=1-4: ids 1..4
  CHECK(text(from({{"SLURM_ARRAY_TASK_ID", "4"},
                   {"SLURM_ARRAY_TASK_MIN", "1"},
                   {"SLURM_ARRAY_TASK_COUNT", "4"}}))
        == "Slurm 3/4");
  // --array=0-12:4: ids 0, 4, 8, 12
  CHECK(text(from({{"SLURM_ARRAY_TASK_ID", "8"},
                   {"SLURM_ARRAY_TASK_STEP", "4"},
                   {"SLURM_ARRAY_TASK_COUNT", "4"}}))
        == "Slurm 2/4");
  CHECK(text(from({{"CI_NODE_INDEX", "1"}, {"CI_NODE_TOTAL", "3"}}))
        == "GitLab 0/3");
  CHECK(text(from({{"JOB_COMPLETION_INDEX", "7"},
                   {"EXECSIM_SHARD_COUNT", "8"}}))
        == "Kubernetes 7/8");
}

TEST_CASE("shard auto without a usable engine's variables says which and "
          "why",
          "[cli][shard]") {
  CHECK(text(from({}))
        == "error: none of SLURM_ARRAY_TASK_ID (Slurm), CI_NODE_INDEX "
           "(GitLab) or JOB_COMPLETION_INDEX (Kubernetes) is set");
  CHECK(text(from({{"SLURM_ARRAY_TASK_ID", "1"}, {"CI_NODE_INDEX", "1"}}))
        == "error: both SLURM_ARRAY_TASK_ID (Slurm) and CI_NODE_INDEX "
           "(GitLab) are set: give --shard I/N");
  CHECK(text(from({{"SLURM_ARRAY_TASK_ID", "1"}}))
        == "error: Slurm: SLURM_ARRAY_TASK_COUNT is not set");
  CHECK(text(from({{"SLURM_ARRAY_TASK_ID", "5"},
                   {"SLURM_ARRAY_TASK_STEP", "2"},
                   {"SLURM_ARRAY_TASK_COUNT", "4"}}))
        == "error: Slurm: SLURM_ARRAY_TASK_ID 5 is not SLURM_ARRAY_TASK_MIN "
           "0 plus a multiple of SLURM_ARRAY_TASK_STEP 2");
  CHECK(text(from({{"CI_NODE_INDEX", "0"}, {"CI_NODE_TOTAL", "3"}}))
        == "error: GitLab: CI_NODE_INDEX=\"0\" is not a whole number in "
           "1..1000000");
  CHECK(text(from({{"CI_NODE_INDEX", "4"}, {"CI_NODE_TOTAL", "3"}}))
        == "error: CI_NODE_INDEX gives shard 3 of 3: the index must be below "
           "the count");
  CHECK(text(from({{"JOB_COMPLETION_INDEX", "1"}}))
        == "error: Kubernetes: EXECSIM_SHARD_COUNT is not set (Kubernetes "
           "does not export the Job's completions: set EXECSIM_SHARD_COUNT "
           "to that number in the Job's env)");
  CHECK(text(from({{"JOB_COMPLETION_INDEX", "x1"},
                   {"EXECSIM_SHARD_COUNT", "2"}}))
        == "error: Kubernetes: JOB_COMPLETION_INDEX=\"x1\" is not a whole "
           "number in 0..1000000");
}

TEST_CASE("explore --shard auto runs the shard the environment names; "
          "without one it exits 2",
          "[cli][shard]") {
  scratch_dir dir;
  const std::string file = "scenarios/explore/defaults.toml";
  {
    env_guard env({{"CI_NODE_INDEX", "2"}, {"CI_NODE_TOTAL", "4"}});
    auto r = execsim_cli(dir, "explore " + file + " --seeds 4000 --shard auto "
                                  "--format json --db " + dir.file("a.sqlite"));
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("\"shard\": \"1/4\"") != std::string::npos);
  }
  for (const char* v :
       {"SLURM_ARRAY_TASK_ID", "CI_NODE_INDEX", "JOB_COMPLETION_INDEX"})
    ::unsetenv(v); // as on a machine no engine started
  auto none = execsim_cli(dir, "explore " + file + " --shard auto --db "
                                   + dir.file("b.sqlite"));
  CHECK(none.status == 2);
  CHECK(none.out
        == "execsim explore: --shard auto: none of SLURM_ARRAY_TASK_ID "
           "(Slurm), CI_NODE_INDEX (GitLab) or JOB_COMPLETION_INDEX "
           "(Kubernetes) is set\n");
}
