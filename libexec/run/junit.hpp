// JUnit XML for CI test reporters (GitLab, Jenkins, GitHub): one testcase
// per scenario, a <failure> with what did not match, an <error> for bad
// input (a file that does not load, a broken executor program, a failed
// recording). The counts are the console summary's.
#pragma once

#include <string>
#include <vector>

namespace execsim::cli {

struct junit_case {
  std::string name;      // the scenario's name
  std::string classname; // its folder, see junit_classname
  double seconds = 0;    // wall time
  bool failed = false;
  bool error = false;    // bad input: <error> instead of <failure>
  std::string message;   // one line
  std::string details;   // the body
};

/// "scenarios/spec/x.toml" -> "scenarios.spec": the folder, '/' as '.',
/// dots within a folder name as '_' (reporters split classnames at dots);
/// "execsim" for a file without a folder.
std::string junit_classname(const std::string& file);

/// Writes the XML to `path`; false with `error` set when it cannot.
bool write_junit(const std::string& path, const std::string& suite,
                 const std::vector<junit_case>& cases, std::string& error);

} // namespace execsim::cli
