#include "libexec/run/junit.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace execsim::cli {

namespace {

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t'
            && c != '\r')
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

} // namespace

std::string junit_classname(const std::string& file) {
  std::string out;
  auto folder = std::filesystem::path(file).lexically_normal().parent_path();
  for (const auto& part : folder) {
    auto name = part.string();
    if (name.empty() || name == "/" || name == "." || name == "..")
      continue;
    for (auto& c : name)
      if (c == '.')
        c = '_';
    out += (out.empty() ? "" : ".") + name;
  }
  return out.empty() ? "execsim" : out;
}

bool write_junit(const std::string& path, const std::string& suite,
                 const std::vector<junit_case>& cases, std::string& error) {
  std::size_t failures = 0;
  std::size_t errors = 0;
  double total = 0;
  for (const auto& c : cases) {
    failures += c.failed && !c.error ? 1 : 0; // an error is never also a failure
    errors += c.error ? 1 : 0;
    total += c.seconds;
  }
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format("<testsuites name=\"{0}\" tests=\"{1}\" failures=\"{2}\" "
                     "errors=\"{3}\" time=\"{4:.6f}\">\n"
                     "  <testsuite name=\"{0}\" tests=\"{1}\" failures=\"{2}\" "
                     "errors=\"{3}\" time=\"{4:.6f}\">\n",
                     xml_escape(suite), cases.size(), failures, errors, total);
  for (const auto& c : cases) {
    xml += fmt::format("    <testcase name=\"{}\" classname=\"{}\" "
                       "time=\"{:.6f}\"",
                       xml_escape(c.name), xml_escape(c.classname), c.seconds);
    if (!c.failed && !c.error) {
      xml += "/>\n";
      continue;
    }
    xml += fmt::format(">\n      <{0} message=\"{1}\" type=\"{0}\">{2}</{0}>\n"
                       "    </testcase>\n",
                       c.error ? "error" : "failure", xml_escape(c.message),
                       xml_escape(c.details));
  }
  xml += "  </testsuite>\n</testsuites>\n";
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) {
    error = fmt::format("{}: cannot write ({})", path, std::strerror(errno));
    return false;
  }
  f << xml;
  f.close();
  if (!f) {
    error = fmt::format("{}: write failed", path);
    return false;
  }
  return true;
}

} // namespace execsim::cli
