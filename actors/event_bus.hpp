// The event bus: publish/subscribe by channel name. Subscribers get every
// event of their channels (or of all channels) in publish order.
#pragma once

#include "sim/messages.hpp"

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>

#include <string>

namespace execsim {

struct run_context;

/// Subscribes `who` (named `name` in the trace) to `channel`; an empty
/// channel means every channel.
struct subscribe_msg {
  caf::actor who;
  std::string name;
  std::string channel;
};

caf::actor spawn_event_bus(run_context& ctx);

} // namespace execsim

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(execsim::subscribe_msg)
