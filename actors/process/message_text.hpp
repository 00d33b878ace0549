// The process protocol's messages to the program as JSON text, written
// straight into a string: no JSON document is built and dumped per message
// (that was a sixth of execsim's cost per round trip). Keys stay in the
// sorted order nlohmann's dump gave them and strings are escaped by
// sim/json_text.hpp (bytes that are not UTF-8, possible in a backtest
// CSV, as U+FFFD), so a program decodes exactly what it did before.
#pragma once

#include "sim/decimal.hpp"
#include "sim/messages.hpp"
#include "sim/scenario.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace execsim {

/// The order of an `execute` message: {"id":...,"price":...,...}.
std::string order_text(const order_spec& o);

/// `{"type":"execute",...}` with its newline; `config_text` is the dumped
/// `config` object, "" for none (the asyncio harness, which has it from
/// the run's `run` message).
std::string execute_text(ns_t now, const order_spec& o,
                         std::string_view config_text);

std::string submit_answer_text(ns_t now, const std::string& order_id,
                               const submit_answer& a);
/// `status` as the program is told it (network_error is "failed").
std::string check_answer_text(ns_t now, const std::string& order_id,
                              const check_answer& a, check_status status);
std::string timer_text(ns_t now, const std::string& order_id,
                       std::uint64_t id);

} // namespace execsim
