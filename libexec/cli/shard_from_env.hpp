// `--shard auto`: the shard a cluster engine gave this process, read from
// the variables the engine sets for each task, so a job definition needs no
// arithmetic of its own: Slurm job arrays, GitLab parallel jobs and
// Kubernetes Indexed Jobs. Recipes: docs/cluster.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace execsim::cli {

/// Reads one environment variable: nullptr when unset.
using env_lookup = std::function<const char*(const char*)>;

/// The process environment (std::getenv).
env_lookup process_env();

struct shard_choice {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
  std::string engine; ///< "Slurm", "GitLab" or "Kubernetes"; "" on error
  std::string error;  ///< why no shard could be read; "" when one was
};

/// The shard the environment names:
/// - Slurm: (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) /
///   SLURM_ARRAY_TASK_STEP of SLURM_ARRAY_TASK_COUNT (MIN 0 and STEP 1
///   when unset);
/// - GitLab: CI_NODE_INDEX - 1 of CI_NODE_TOTAL (GitLab counts from 1);
/// - Kubernetes: JOB_COMPLETION_INDEX of EXECSIM_SHARD_COUNT (Kubernetes
///   does not export the Job's completions; set it to that number).
/// No engine's variables, more than one engine's, or a value that is not
/// a whole number in range: `error` says which variable and why.
shard_choice shard_from_env(const env_lookup& env);

} // namespace execsim::cli
