#include "sim/scenario_loader.hpp"

#include "sim/check_sql.hpp"
#include "sim/scenario_loader_explore.hpp"
#include "sim/scenario_loader_faults.hpp"
#include "sim/scenario_loader_fields.hpp"
#include "sim/scenario_loader_nesting.hpp"
#include "sim/scenario_loader_orders.hpp"
#include "sim/scenario_loader_profile.hpp"
#include "sim/scenario_loader_reconciler.hpp"
#include "sim/scenario_loader_venue.hpp"
#include "sim/scenario_loader_warnings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <system_error>

// Every table is read the same way: unknown keys first, then each key the
// table knows, then checks that span keys. A bad value is reported and left
// at its default so the rest of the file is still checked: a file's author
// sees all of its errors at once, not one per run.

namespace execsim {

namespace {

using namespace scenario_loading;

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

// Keys each table accepts, in the order of the spec (messages list them so).
const std::vector<std::string_view> top_level_keys = {
  "name",   "description", "seed",   "executor",          "exchange",
  "orders", "faults",      "expect", "check",             "expect_violations",
  "explore", "reconciler"};
const std::vector<std::string_view> executor_keys = {
  "kind",          "command",     "factory",      "python",
  "max_attempts",  "initial_backoff", "backoff_multiplier", "max_backoff",
  "jitter",        "submit_timeout", "check_timeout", "fatal_codes",
  "final_check", "honour_retry_after"};
const std::vector<std::string_view> exchange_keys = {
  "latency",    "latency_spikes", "on_duplicate_key", "reject_after_accept",
  "symbols",    "unknown_symbols", "prices",         "lookup_lag",
  "key_ttl",    "rate_limit",     "profile"};
const std::vector<std::string_view> check_keys = {"sql", "equals", "always"};

// -------------------------------------------------------------- executor

/// Reads `kind` and `command`, which only a "process" executor takes.
void read_executor_kind(const table_reader& t, executor_config& out) {
  bool kind_known = true;
  if (auto v = t.get("kind")) {
    auto kind = v->non_empty_string();
    kind_known = kind.has_value();
    out.kind = kind.value_or(out.kind);
  }
  if (!kind_known)
    return; // whether `command` belongs here cannot be told
  auto command = t.get("command");
  if (out.kind != "process") {
    if (command)
      command->fail(fmt::format("only used with kind = \"process\" (kind is "
                                "{})",
                                quoted(out.kind)));
    return;
  }
  command = t.require("command", " for kind \"process\"");
  if (!command)
    return;
  auto argv = command->strings();
  if (!argv)
    return;
  if (argv->empty())
    command->fail("must name the program to run (got an empty array)");
  else if (argv->front().empty())
    command->element(*command->node().as_array(), 0)
      .fail("must not be empty (it is the program to run)");
  else
    out.command = std::move(*argv);
}

/// Reads `factory` and `python`, which only an "asyncio" executor takes.
void read_executor_asyncio(const table_reader& t, executor_config& out) {
  auto factory = t.get("factory");
  auto python = t.get("python");
  if (out.kind != "asyncio") {
    for (const auto* v : {&factory, &python})
      if (*v)
        (*v)->fail(fmt::format("only used with kind = \"asyncio\" (kind is "
                               "{})",
                               quoted(out.kind)));
    return;
  }
  if (python)
    out.python = python->non_empty_string().value_or(out.python);
  factory = t.require("factory", " for kind \"asyncio\"");
  auto text = factory ? factory->non_empty_string() : std::nullopt;
  if (!text)
    return;
  auto colon = text->find(':');
  if (colon == 0 || colon == std::string::npos || colon + 1 == text->size())
    factory->fail(fmt::format("{} is not \"module:callable\" (e.g. "
                              "\"my_adapter:make_executor\")",
                              quoted(*text)));
  else
    out.factory = *text;
}

/// Returns the attempt limit faults are checked against: max_attempts, or
/// nullopt when it is itself wrong (so faults do not repeat that error).
std::optional<int> read_executor(const table_reader& t, executor_config& out) {
  t.reject_unknown_keys(executor_keys);
  read_executor_kind(t, out);
  read_executor_asyncio(t, out);
  bool attempts_valid = true;
  if (auto v = t.get("max_attempts")) {
    auto attempts = v->integer(1, max_attempts_max);
    attempts_valid = attempts.has_value();
    if (attempts)
      out.max_attempts = static_cast<int>(*attempts);
  }
  if (auto v = t.get("initial_backoff"))
    out.initial_backoff = v->duration(false).value_or(out.initial_backoff);
  if (auto v = t.get("backoff_multiplier"))
    out.backoff_multiplier = v->number(1, 100).value_or(out.backoff_multiplier);
  if (auto v = t.get("max_backoff"))
    out.max_backoff = v->duration(false).value_or(out.max_backoff);
  if (auto v = t.get("jitter"))
    out.jitter = read_enum(*v, "jitter mode", jitter_mode::decorrelated)
                   .value_or(out.jitter);
  if (auto v = t.get("submit_timeout"))
    out.submit_timeout = v->duration(true).value_or(out.submit_timeout);
  if (auto v = t.get("check_timeout"))
    out.check_timeout = v->duration(true).value_or(out.check_timeout);
  if (auto v = t.get("fatal_codes"))
    out.fatal_codes = v->strings().value_or(out.fatal_codes);
  if (auto v = t.get("final_check"))
    out.final_check = v->boolean().value_or(out.final_check);
  if (auto v = t.get("honour_retry_after"))
    out.honour_retry_after = v->boolean().value_or(out.honour_retry_after);
  if (!attempts_valid)
    return std::nullopt;
  return out.max_attempts;
}

// -------------------------------------------------------------- exchange

/// [exchange.prices]: symbol -> decimal string; any symbol may be a key.
void read_prices(const table_reader& t, std::map<std::string, decimal>& out) {
  for (auto&& [symbol, node] : t.table()) {
    if (auto bad = control_char_message(symbol.str(), {}, plain_text_rule)) {
      t.errors().add(position_of(symbol.source()),
                     fmt::format("{}: {}", t.path(), *bad));
      continue;
    }
    field value{node, t.path_of(symbol.str()), t.errors()};
    if (auto price = value.decimal_string(true))
      out[std::string(symbol.str())] = *price;
  }
}

/// `symbols` and `unknown_symbols`, which needs symbols to list some.
void read_symbols(const table_reader& t, exchange_config& out) {
  bool symbols_valid = true;
  if (auto v = t.get("symbols")) {
    auto symbols = v->plain_strings();
    symbols_valid = symbols.has_value();
    out.symbols = symbols.value_or(out.symbols);
  }
  auto v = t.get("unknown_symbols");
  if (!v)
    return;
  out.unknown_symbols =
    read_enum(*v, "unknown-symbol policy", symbol_policy::error)
      .value_or(out.unknown_symbols);
  if (out.unknown_symbols == symbol_policy::error && out.symbols.empty()
      && symbols_valid)
    v->fail("\"error\" needs the known symbols listed in [exchange] "
            "symbols (empty: every symbol is known)");
}

void read_exchange(const table_reader& t, exchange_config& out) {
  t.reject_unknown_keys(exchange_keys);
  if (auto v = t.get("latency"))
    out.latency = read_latency(*v).value_or(out.latency);
  if (auto v = t.get("latency_spikes"))
    out.latency_spikes = read_latency_spikes(*v).value_or(out.latency_spikes);
  read_duplicate_policy(t, out);
  read_symbols(t, out);
  if (auto prices = t.sub_table("prices", "in [exchange.prices]"))
    read_prices(*prices, out.prices);
  if (auto v = t.get("lookup_lag"))
    out.lookup_lag = v->duration(false).value_or(out.lookup_lag);
  if (auto v = t.get("key_ttl"))
    if (auto ttl = v->duration(true))
      out.key_ttl = *ttl;
  if (auto v = t.get("rate_limit"))
    out.rate_limit = read_rate_limit(*v);
}

// ----------------------------------------------------------------- check

std::optional<sql_value> read_sql_value(const field& value) {
  const auto& node = value.node();
  if (auto i = node.as_integer())
    return sql_value{i->get()};
  if (auto s = node.as_string())
    return sql_value{s->get()};
  if (auto f = node.as_floating_point())
    return sql_value{f->get()};
  value.fail(fmt::format("expected an integer, string or float (got {})",
                         describe(node)));
  return std::nullopt;
}

sql_check read_check(const table_reader& t) {
  t.reject_unknown_keys(check_keys);
  sql_check out;
  out.pos = t.pos();
  if (auto v = t.require("sql")) {
    out.sql = v->non_empty_string().value_or("");
    // Prepared now, so a broken query is bad input (file:line:column, exit
    // 2, nothing recorded), not a failed run found after the orders ran.
    if (!out.sql.empty())
      if (auto why = check_sql_error(out.sql))
        v->fail(*why);
  }
  if (auto v = t.require("equals"))
    out.equals = read_sql_value(*v).value_or(out.equals);
  if (auto v = t.get("always"))
    out.always = v->boolean().value_or(out.always);
  return out;
}

std::vector<std::string> read_expect_violations(const field& value) {
  std::vector<std::string_view> names;
  for (const auto& name : invariant_names())
    names.emplace_back(name);
  return value.names("invariant", names).value_or(
    std::vector<std::string>{});
}

// ------------------------------------------------------------ top level

void read_identity(const table_reader& top, scenario& out) {
  if (auto v = top.require("name"))
    out.name = v->plain_string().value_or("");
  if (auto v = top.get("description"))
    out.description = v->free_text().value_or("");
  if (auto v = top.get("seed"))
    out.seed = static_cast<std::uint64_t>(v->integer(0, int64_max).value_or(0));
}

/// [exchange], with its `profile` (scenario_loader_profile.hpp) applied.
void read_exchange_with_profile(const table_reader& t,
                                const std::string& file, exchange_config& out) {
  auto merged = apply_profile(t, file, &read_exchange);
  if (!merged) {
    read_exchange(t, out);
    return;
  }
  read_exchange(table_reader{*merged, t.path(), "in [exchange]", t.errors()},
                out);
}

scenario read_scenario(const toml::table& root, const std::string& file,
                       error_list& errors) {
  scenario out;
  table_reader top{root, "", "at top level", errors};
  top.reject_unknown_keys(top_level_keys);
  read_identity(top, out);
  // Executor and orders first: faults are checked against max_attempts and
  // faults and expectations against the order ids.
  std::optional<int> attempt_limit = out.executor.max_attempts;
  if (auto t = top.sub_table("executor", "in [executor]"))
    attempt_limit = read_executor(*t, out.executor);
  if (auto t = top.sub_table("exchange", "in [exchange]"))
    read_exchange_with_profile(*t, file, out.exchange);
  order_ids ids;
  for_each_table(top, "orders", [&](const table_reader& t) {
    out.orders.push_back(read_order(t, ids));
    check_known_symbol(t, out.orders.back(), out.exchange);
  });
  for_each_table(top, "faults", [&](const table_reader& t) {
    out.faults.push_back(read_fault(t, ids, attempt_limit));
  });
  for_each_table(top, "expect", [&](const table_reader& t) {
    out.expects.push_back(read_expect(t, ids));
  });
  for_each_table(top, "check", [&](const table_reader& t) {
    out.checks.push_back(read_check(t));
  });
  if (auto v = top.get("expect_violations"))
    out.expect_violations = read_expect_violations(*v);
  if (auto t = top.sub_table("explore", "in [explore]"))
    read_explore(*t, out.explore);
  if (auto t = top.sub_table("reconciler", "in [reconciler]"))
    read_reconciler(*t, out.reconciler);
  return out;
}

load_result failed(std::vector<load_error> errors) {
  return {std::nullopt, std::move(errors), {}};
}

load_result load_text(const std::string& text, const std::string& file_name) {
  error_list errors{file_name};
  // Before the parser: it would recurse once per level and overflow.
  if (auto deep = find_deep_nesting(text)) {
    errors.add(deep->pos, std::move(deep->message));
    return failed(errors.take_sorted());
  }
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    errors.add(position_of(e.source()),
               fmt::format("invalid TOML: {}", e.description()));
    return failed(errors.take_sorted());
  }
  auto value = read_scenario(root, file_name, errors);
  if (!errors.empty())
    return failed(errors.take_sorted());
  value.file = file_name;
  value.text = text;
  auto warnings = scenario_warnings(value, file_name);
  return {std::move(value), {}, std::move(warnings)};
}

/// Reads all of `path`; on failure returns nullopt and sets `reason`.
std::optional<std::string> read_whole_file(const std::string& path,
                                           std::string& reason) {
  auto close = [](std::FILE* f) { std::fclose(f); };
  std::unique_ptr<std::FILE, decltype(close)> file{
    std::fopen(path.c_str(), "rb"), close};
  if (!file) {
    reason = std::generic_category().message(errno);
    return std::nullopt;
  }
  std::string text;
  char buffer[8192];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0)
    text.append(buffer, got);
  // A directory opens fine on Linux; reading it is what fails (EISDIR).
  if (std::ferror(file.get())) {
    reason = std::generic_category().message(errno);
    return std::nullopt;
  }
  return text;
}

/// What the loader returns when something it did not foresee threw (out of
/// memory): the promise is that no exception leaves the loader.
load_result internal_error(const std::string& file, const char* what) {
  return failed({load_error{file, {}, fmt::format("internal error while "
                                                  "loading: {}",
                                                  what)}});
}

} // namespace

std::string load_error::to_string() const {
  if (pos.line == 0)
    return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}:{}: {}", file, pos.line, pos.column, message);
}

std::string load_error::to_warning_string() const {
  return load_error{file, pos, "warning: " + message}.to_string();
}

load_result load_scenario_text(const std::string& text,
                               const std::string& file_name) {
  try {
    return load_text(text, file_name);
  } catch (const std::exception& e) {
    return internal_error(file_name, e.what());
  }
}

load_result load_scenario_file(const std::string& path) {
  try {
    std::string reason;
    auto text = read_whole_file(path, reason);
    if (!text)
      return failed({load_error{
        path, {}, fmt::format("cannot read file ({})", reason)}});
    return load_text(*text, path);
  } catch (const std::exception& e) {
    return internal_error(path, e.what());
  }
}

} // namespace execsim
