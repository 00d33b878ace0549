// A backtest's summary for people (text) and machines (JSON).
#pragma once

#include "libexec/backtest/backtest.hpp"

#include <string>

namespace execsim::backtest {

/// Several lines, each ending in '\n'. `db` names where it was recorded.
std::string summary_text(const backtest_inputs& in, const backtest_result& r,
                         const std::string& db);

/// One JSON object (keys in a fixed order), ending in '\n'.
std::string summary_json(const backtest_inputs& in, const backtest_result& r,
                         const std::string& db);

} // namespace execsim::backtest
