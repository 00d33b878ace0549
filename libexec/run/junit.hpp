// JUnit XML for CI test reporters (GitLab, Jenkins, GitHub): one testcase
// per scenario, a <failure> with what did not match.
#pragma once

#include <string>
#include <vector>

namespace execsim::cli {

struct junit_case {
  std::string name;      // the scenario's name
  std::string classname; // its file
  double seconds = 0;    // wall time
  bool failed = false;
  bool error = false;    // bad input: <error> instead of <failure>
  std::string message;   // one line
  std::string details;   // the body
};

/// Writes the XML to `path`; false with `error` set when it cannot.
bool write_junit(const std::string& path, const std::string& suite,
                 const std::vector<junit_case>& cases, std::string& error);

} // namespace execsim::cli
