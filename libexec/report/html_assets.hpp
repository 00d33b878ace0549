// The HTML reports' style sheet and scripts, inlined in every page so a
// report opens from disk with no network.
#pragma once

#include <string>

namespace execsim::cli {

/// The page's CSS.
const char* html_style();

/// First in <head>: counts any script error into #js-errors (its
/// data-errors attribute), where a person and the browser test see it.
const char* html_error_script();

/// Last in <body>: lays out and zooms every svg.timeline (nanoseconds to
/// hours: wheel, drag, the +, -, fit buttons; a URL ending in
/// #view=FROM,TO in nanoseconds opens there), shows a clicked mark's
/// recorded row, and marks <body data-ready="1"> when done.
std::string html_script();

} // namespace execsim::cli
