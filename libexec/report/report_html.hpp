// `execsim report --format html`: one recorded run as a self-contained HTML
// page (inline SVG, CSS and script; it opens from disk, with no network).
// At the top the run's header, each order's result and the violations;
// then the timeline drawing (libexec/report/timeline_svg.hpp) and, per
// order, the text report's timeline lines in the same causal order. The
// same run gives the same bytes: nothing in it depends on when or where
// the page was made.
#pragma once

#include "libexec/report/timeline_events.hpp"
#include "sim/recorded_run.hpp"
#include "sim/records.hpp"

#include <optional>
#include <string>

namespace execsim::cli {

/// The whole page. `rows` holds the run's trace too (rows.trace).
std::string report_html(const recorded_run& run, const row_batch& rows,
                        const std::optional<report_timeouts>& timeouts);

/// One run as a <section> (ids made unique by `id`), for a page that
/// shows several (the exploration report). The text report's lines are in
/// a <details>, opened with `lines_open`.
std::string run_section_html(const recorded_run& run, const row_batch& rows,
                             const std::optional<report_timeouts>& timeouts,
                             const std::string& id, bool lines_open);

/// A page around `body`: the style sheet, the error box the browser test
/// reads (#js-errors) and the script. `title` is plain text.
std::string html_page(const std::string& title, const std::string& body);

} // namespace execsim::cli
