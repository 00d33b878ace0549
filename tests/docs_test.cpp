// The documentation cannot fall behind the code: every key the scenario
// loader accepts is in docs/scenarios.md, in the section of its table;
// every command and option `execsim --help` prints is in README.md or a
// file of docs/; every source path the README and the project's reference
// pages name exists; the minimal files docs/exploring.md shows are the
// ones `execsim explore` writes.
//
// The key lists are read from the loader's own source (the very lists it
// checks unknown keys against), so a key added to the loader fails here
// until it is documented.
#include "sim/recording.hpp"
#include "sim/scenario.hpp"
#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <sys/wait.h>
#include <vector>

using execsim::testing::execsim_cli;
using execsim::testing::scratch_dir;
using execsim::testing::slurp;

namespace {

namespace fs = std::filesystem;

const fs::path source_root{EXECSIM_SOURCE_DIR};

/// One list of names in the loader's source.
struct name_list {
  std::string name; // the variable, or "inline" for reject_unknown_keys({...})
  std::string file;
  std::vector<std::string> names;
};

std::vector<std::string> quoted_strings(const std::string& text) {
  static const std::regex quoted{R"re("([^"]*)")re"};
  std::vector<std::string> out;
  for (std::sregex_iterator i{text.begin(), text.end(), quoted}, end; i != end;
       ++i)
    out.push_back((*i)[1]);
  return out;
}

std::vector<fs::path> loader_sources() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(source_root / "sim")) {
    auto name = e.path().filename().string();
    if (name.rfind("scenario_loader", 0) == 0 && e.path().extension() == ".cpp")
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// Every `std::vector<std::string_view> X = {...};` and every
/// `reject_unknown_keys({...})` of the loader's sources; `used` gets the
/// names passed as `reject_unknown_keys(X)`.
std::vector<name_list> loader_name_lists(std::set<std::string>& used) {
  static const std::regex named{
    R"(std::vector<std::string_view>\s+(\w+)\s*=\s*\{([^;]*)\};)"};
  static const std::regex inline_list{R"(reject_unknown_keys\(\{([^}]*)\}\))"};
  static const std::regex by_name{R"(reject_unknown_keys\((\w+)\))"};
  std::vector<name_list> out;
  for (const auto& path : loader_sources()) {
    auto text = slurp(path.string());
    auto file = path.filename().string();
    for (std::sregex_iterator i{text.begin(), text.end(), named}, end; i != end;
         ++i)
      out.push_back({(*i)[1], file, quoted_strings((*i)[2])});
    for (std::sregex_iterator i{text.begin(), text.end(), inline_list}, end;
         i != end; ++i)
      out.push_back({"inline", file, quoted_strings((*i)[1])});
    for (std::sregex_iterator i{text.begin(), text.end(), by_name}, end;
         i != end; ++i)
      used.insert((*i)[1]);
  }
  return out;
}

/// The text of docs/scenarios.md from the line `heading` to the next
/// heading of the same or a higher level ("" when the heading is missing).
std::string section(const std::string& doc, const std::string& heading) {
  auto start = doc.find("\n" + heading + "\n");
  if (start == std::string::npos)
    return "";
  auto level = heading.find(' ');
  auto end = start + heading.size() + 2;
  while (true) {
    end = doc.find("\n#", end);
    if (end == std::string::npos)
      return doc.substr(start);
    auto hashes = doc.find_first_not_of('#', end + 1) - (end + 1);
    if (hashes <= level && doc[end + 1 + hashes] == ' ')
      return doc.substr(start, end - start);
    ++end;
  }
}

/// The section of docs/scenarios.md that documents each key list.
std::string heading_of(const name_list& list) {
  static const std::map<std::string, std::string> headings{
    {"top_level_keys", "## Top level"},
    {"executor_keys", "## `[executor]`"},
    {"exchange_keys", "## `[exchange]`"},
    {"latency_keys", "### `exchange.latency`"},
    {"latency_spikes_keys", "### `exchange.latency_spikes`"},
    {"rate_limit_keys", "### `exchange.rate_limit`"},
    {"order_keys", "## `[[orders]]`"},
    {"fault_keys", "## `[[faults]]`"},
    {"expect_keys", "## `[[expect]]`"},
    {"check_keys", "## `[[check]]`"},
    {"explore_keys", "## `[explore]`"},
    {"reconciler_keys", "## `[reconciler]`"},
  };
  if (list.name == "inline" && list.file == "scenario_loader_explore.cpp")
    return "## `[explore]`";
  if (list.name == "inline" && list.file == "scenario_loader_profile.cpp")
    return "### Venue profiles";
  auto found = headings.find(list.name);
  return found == headings.end() ? "" : found->second;
}

bool is_key_list(const name_list& list) {
  return list.name == "inline"
         || (list.name.size() > 5
             && list.name.compare(list.name.size() - 5, 5, "_keys") == 0);
}

std::string all_docs() {
  std::string text = slurp((source_root / "README.md").string());
  std::vector<fs::path> pages;
  for (const auto& e : fs::directory_iterator(source_root / "docs"))
    if (e.path().extension() == ".md")
      pages.push_back(e.path());
  std::sort(pages.begin(), pages.end());
  for (const auto& p : pages)
    text += "\n" + slurp(p.string());
  return text;
}

/// Whether `word` occurs in `text` with no letter, digit, '-' or '_' on
/// either side.
bool mentions(const std::string& text, const std::string& word) {
  auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  };
  for (auto at = text.find(word); at != std::string::npos;
       at = text.find(word, at + 1)) {
    bool left = at == 0 || !is_word(text[at - 1]);
    auto after = at + word.size();
    bool right = after == text.size() || !is_word(text[after]);
    if (left && right)
      return true;
  }
  return false;
}

/// `execsim ARGS` (stdout and stderr), which must exit 0.
std::string execsim_help(const scratch_dir& dir, const std::string& args) {
  auto out = dir.file("help.txt");
  auto cmd = fmt::format("{} {} > {} 2>&1", EXECSIM_BINARY, args, out);
  auto status = std::system(cmd.c_str());
  INFO("execsim " << args);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return slurp(out);
}

/// The options (`--name`, `-x`) of a help text, in order of appearance.
std::vector<std::string> options(const std::string& help) {
  static const std::regex option{R"((^|[\s,\[])(--?[a-z][a-z0-9-]*))"};
  std::vector<std::string> out;
  for (std::sregex_iterator i{help.begin(), help.end(), option}, end; i != end;
       ++i)
    if (std::find(out.begin(), out.end(), (*i)[2]) == out.end())
      out.push_back((*i)[2]);
  return out;
}

/// The subcommands listed under "Subcommands:" of the top-level help.
std::vector<std::string> subcommands(const std::string& help) {
  std::vector<std::string> out;
  auto at = help.find("Subcommands:");
  if (at == std::string::npos)
    return out;
  static const std::regex line{R"(\n  ([a-z][a-z0-9-]*)\b)"};
  auto rest = help.substr(at);
  for (std::sregex_iterator i{rest.begin(), rest.end(), line}, end; i != end;
       ++i)
    out.push_back((*i)[1]);
  return out;
}

} // namespace

TEST_CASE("every key the scenario loader accepts is in docs/scenarios.md, "
          "in its table's section",
          "[docs]") {
  auto doc = slurp((source_root / "docs" / "scenarios.md").string());
  REQUIRE(!doc.empty());
  std::set<std::string> used;
  auto lists = loader_name_lists(used);
  std::set<std::string> listed;
  std::size_t keys = 0;
  for (const auto& list : lists) {
    listed.insert(list.name);
    if (!is_key_list(list)) {
      // Names of values (events): documented anywhere on the page.
      for (const auto& name : list.names) {
        INFO(list.file << ": " << list.name << " has \"" << name << "\"");
        CHECK(mentions(doc, "`" + name + "`"));
      }
      continue;
    }
    auto heading = heading_of(list);
    INFO(list.file << ": key list " << list.name
                   << " (add its section to heading_of in this test)");
    REQUIRE(!heading.empty());
    auto text = section(doc, heading);
    INFO("docs/scenarios.md section \"" << heading << "\"");
    REQUIRE(!text.empty());
    for (const auto& key : list.names) {
      INFO("key \"" << key << "\" needs a row \"| `" << key << "` |\"");
      CHECK(text.find("| `" + key + "` |") != std::string::npos);
      ++keys;
    }
  }
  // Every list the loader checks keys against was found above.
  for (const auto& name : used) {
    INFO("reject_unknown_keys(" << name << ") uses a list this test missed");
    CHECK(listed.count(name) == 1);
  }
  // The parse found the loader's lists (it has 60-odd keys today).
  CHECK(used.size() >= 9);
  CHECK(keys >= 60);
}

TEST_CASE("every name a scenario value may take is in docs/scenarios.md",
          "[docs]") {
  auto doc = slurp((source_root / "docs" / "scenarios.md").string());
  using namespace execsim;
  std::vector<std::string> names;
  for (int i = 0; i <= static_cast<int>(last_fault_kind); ++i)
    names.emplace_back(to_string(static_cast<fault_kind>(i)));
  for (int i = 0; i <= static_cast<int>(jitter_mode::decorrelated); ++i)
    names.emplace_back(to_string(static_cast<jitter_mode>(i)));
  for (int i = 0; i <= static_cast<int>(duplicate_policy::accept); ++i)
    names.emplace_back(to_string(static_cast<duplicate_policy>(i)));
  for (const auto& n : invariant_names())
    names.push_back(n);
  executor_config defaults;
  for (const auto& code : defaults.fatal_codes)
    names.push_back(code);
  for (const auto& name : names) {
    INFO(name);
    CHECK((mentions(doc, "`" + name + "`")
           || mentions(doc, "`\"" + name + "\"`")
           || mentions(doc, "\"" + name + "\"")));
  }
}

TEST_CASE("every command and option of execsim --help is documented",
          "[docs]") {
  scratch_dir dir;
  auto docs = all_docs();
  auto top = execsim_help(dir, "--help");
  auto commands = subcommands(top);
  CHECK(commands.size() >= 8); // run, replay, report, explore, backtest, ...
  for (const auto& option : options(top)) {
    INFO("execsim " << option);
    CHECK(mentions(docs, option));
  }
  for (const auto& command : commands) {
    {
      INFO("command " << command);
      CHECK(mentions(docs, "execsim " + command));
    }
    for (const auto& option :
         options(execsim_help(dir, command + " --help"))) {
      INFO("execsim " << command << " " << option);
      CHECK(mentions(docs, option));
    }
  }
}

TEST_CASE("every source path README.md and the reference pages name exists",
          "[docs]") {
  static const std::regex quoted_path{
    R"(`((sim|actors|libexec|tests|scenarios|cmake)/[A-Za-z0-9_./+-]*)`)"};
  for (const auto* page :
       {"README.md", "docs/architecture.md", "docs/scenarios.md"}) {
    auto text = slurp((source_root / page).string());
    REQUIRE(!text.empty());
    for (std::sregex_iterator i{text.begin(), text.end(), quoted_path}, end;
         i != end; ++i) {
      std::string path = (*i)[1];
      INFO(page << " names " << path);
      CHECK(fs::exists(source_root / path));
    }
  }
}

TEST_CASE("README never sends a reader outside the repository for the "
          "scenario format",
          "[docs]") {
  auto readme = slurp((source_root / "README.md").string());
  CHECK(readme.find("../shared") == std::string::npos);
  CHECK(readme.find("steering repo") == std::string::npos);
  CHECK(readme.find("scenario-format.md") == std::string::npos);
  CHECK(mentions(readme, "docs/scenarios.md"));
  CHECK(mentions(readme, "docs/architecture.md"));
}

namespace {

/// The first ```toml block of `doc` after the line `heading`.
std::string toml_block_after(const std::string& doc, const std::string& heading) {
  auto at = doc.find(heading);
  if (at == std::string::npos)
    return "";
  auto open = doc.find("```toml\n", at);
  if (open == std::string::npos)
    return "";
  open += 8;
  auto close = doc.find("\n```", open);
  return close == std::string::npos ? "" : doc.substr(open, close - open + 1);
}

/// Runs the scenario `text` with `execsim run`; returns the exit status and
/// the output.
std::pair<int, std::string> run_example(const scratch_dir& dir,
                                        const std::string& text) {
  auto file = dir.write("example.toml", text);
  auto out = dir.file("run.txt");
  auto cmd = fmt::format("{} run {} --db {} > {} 2>&1", EXECSIM_BINARY, file,
                         dir.file("example.sqlite"), out);
  auto status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out)};
}

} // namespace

TEST_CASE("the example scenarios of README.md and docs/scenarios.md run and "
          "pass",
          "[docs]") {
  scratch_dir dir;
  auto readme = slurp((source_root / "README.md").string());
  auto reference = slurp((source_root / "docs" / "scenarios.md").string());
  for (const auto& [page, text] :
       {std::pair{"README.md", toml_block_after(readme, "## Scenario files")},
        std::pair{"docs/scenarios.md",
                  toml_block_after(reference, "A complete file")}}) {
    INFO(page);
    REQUIRE(text.find("[[expect]]") != std::string::npos);
    auto [status, out] = run_example(dir, text);
    INFO(out);
    CHECK(status == 0);
    CHECK(out.find("1 passed, 0 failed, 0 errors") != std::string::npos);
  }
}

namespace {

/// The first block fenced by `fence` ("```toml\n", "```\n") after the
/// first `marker` of `doc`, without its fences ("" when missing).
std::string block_after(const std::string& doc, const std::string& marker,
                        const std::string& fence) {
  auto at = doc.find(marker);
  if (at == std::string::npos)
    return "";
  auto open = doc.find("\n" + fence, at);
  if (open == std::string::npos)
    return "";
  open += fence.size() + 1;
  auto close = doc.find("\n```", open);
  return close == std::string::npos ? "" : doc.substr(open, close - open + 1);
}

/// The minimal file `execsim ARGS --out ... ` writes as NAME.
std::string minimal_written(const scratch_dir& dir, const std::string& args,
                            const std::string& name) {
  auto r = execsim_cli(dir, fmt::format("{} -q --out {} --db {}", args,
                                        dir.file("out"), dir.file("x.sqlite")));
  INFO(r.out);
  CHECK(r.status == 1); // both find a failure (and lookup-lag's one seed
                        // misses its must_reach)
  return slurp(dir.file("out") + "/" + name);
}

} // namespace

TEST_CASE("the minimal files docs/exploring.md shows are the ones execsim "
          "explore writes",
          "[docs][explore]") {
  auto doc = slurp((source_root / "docs" / "exploring.md").string());
  auto whole = block_after(doc, "\n### The minimal file\n", "```toml\n");
  auto comment = block_after(doc, "\nWith a delay and a lag, from", "```\n");
  REQUIRE(whole.rfind("# Minimal scenario shrunk by execsim", 0) == 0);
  REQUIRE(comment.rfind("# Minimal scenario shrunk by execsim", 0) == 0);
  {
    scratch_dir dir;
    CHECK(minimal_written(dir, "explore scenarios/explore/"
                               "original-service.toml --seeds 200",
                          "original-service-seed40-min.toml")
          == whole);
  }
  {
    scratch_dir dir;
    auto text = minimal_written(dir, "explore scenarios/explore/lookup-lag.toml "
                                     "--from 25 --seeds 1",
                                "lookup-lag-seed25-min.toml");
    INFO(text);
    CHECK(text.rfind(comment, 0) == 0);
  }
}

TEST_CASE("docs/recording.md says what every schema version brought",
          "[docs]") {
  auto page = slurp((source_root / "docs/recording.md").string());
  auto at = page.find("The schema version is `PRAGMA user_version`:");
  REQUIRE(at != std::string::npos);
  auto list = page.substr(at, page.find("Opening a file", at) - at);
  std::replace(list.begin(), list.end(), '\n', ' ');
  // "1 (the tables ...), 2 (adds ...), ..., N (...)": one entry per step,
  // in order, the last being the version this execsim writes.
  std::size_t from = 0;
  for (int v = 1; v <= execsim::recording_schema_version; ++v) {
    auto entry = list.find(fmt::format("{} (", v), from);
    INFO("version " << v << " in: " << list);
    REQUIRE(entry != std::string::npos);
    from = entry + 1;
  }
  CHECK(list.find(fmt::format("{} (", execsim::recording_schema_version + 1),
                  from)
        == std::string::npos);
}
