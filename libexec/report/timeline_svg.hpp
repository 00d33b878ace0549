// The HTML report's drawing of one run: an SVG with a lane per actor (the
// driver, an executor per order, the network, the exchange, the bus, ...)
// on a virtual-time axis the page's script lays out and zooms. Every mark
// carries its recorded row as a <title> (hover; a click shows it too) and
// a data-kind the browser test counts:
//   arrow   one per trace line, from its send time to its arrival
//   lost    one per dropped request, ack or check (faults row), a line
//           ending in a cross where it was lost; data-fault = its kind
//   fault   one per other faults row, data-fault = its kind
//   bar     data-bar="attempt" per attempts row, "check" per
//           duplicate_checks row, "backoff" per attempt after the first
//   fill    one per fills row;  event  one per events row
//   result  one per finished order, at its finish
// Times are nanoseconds in data-t0 (start) and data-t1 (end).
#pragma once

#include "libexec/report/timeline_events.hpp"
#include "sim/records.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace execsim::cli {

/// Trace lines drawn at most; past it the drawing says how many it left
/// out (and the svg's data-arrows-omitted holds the number).
constexpr std::size_t html_arrows_max = 20'000;

/// The <svg> element. `id` makes its element ids unique in the page.
std::string timeline_svg(const row_batch& rows,
                         const std::optional<report_timeouts>& timeouts,
                         const std::string& id,
                         std::size_t arrows_max = html_arrows_max);

} // namespace execsim::cli
