// Fuzz target: a scenario file's text through the loader, as `execsim run`
// and `execsim replay` read it. Every input must come back as a scenario or
// as errors; a crash, a sanitizer report, an exception leaving the loader or
// an "internal error" (an exception the loader caught but did not foresee)
// is a finding.
#include "sim/scenario_loader.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto result = execsim::load_scenario_text(text, "fuzz.toml");
  if (result.value.has_value() == !result.errors.empty()) {
    std::fprintf(stderr, "loader returned %s a scenario and %zu errors\n",
                 result.value ? "both" : "neither", result.errors.size());
    std::abort();
  }
  for (const auto& error : result.errors) {
    // Only the loader's own message, without a position: the words may
    // well appear inside a message that quotes the input.
    if (error.pos.line == 0
        && error.message.rfind("internal error while loading", 0) == 0) {
      std::fprintf(stderr, "%s\n", error.to_string().c_str());
      std::abort();
    }
  }
  return 0;
}
