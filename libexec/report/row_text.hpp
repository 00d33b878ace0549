// A recorded row as one line of text, "table: column=value ...", times in
// the units the text report uses (format_duration: 0s, 520ms, 1.52s). What
// the HTML report shows when a mark is hovered or clicked. Plain text:
// escape it for the page.
#pragma once

#include "sim/records.hpp"

#include <string>

namespace execsim::cli {

std::string row_text(const attempt_row& a);
std::string row_text(const check_row& c);
std::string row_text(const fill_row& f);
std::string row_text(const event_row& e);
std::string row_text(const fault_row& f);
std::string row_text(const order_row& o);
std::string row_text(const violation_row& v);
std::string row_text(const trace_row& t);

} // namespace execsim::cli
