// The market feed: while orders rest at the exchange, it wakes at each
// quote's time and applies the quote, so a resting order fills when a
// later quote crosses it, at that quote's virtual time. With nothing
// resting it sleeps: quotes are then applied in bulk when an order arrives.
#pragma once

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>

namespace execsim {

struct run_context;
class quote_book;

/// Book -> feed: an order rests now; follow the quotes.
struct market_wake_msg {};
/// Feed -> itself: the next quote is due.
struct market_tick_msg {};

caf::actor spawn_market_feed(run_context& ctx, quote_book& book);

} // namespace execsim

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::market_wake_msg)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::market_tick_msg)
