#include "libexec/backtest/backtest_extension.hpp"

#include "actors/event_bus.hpp"
#include "actors/exchange/exchange_book.hpp"
#include "actors/exchange/market_feed.hpp"
#include "sim/messages.hpp"
#include "sim/run_context.hpp"
#include "sim/run_log.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include <nlohmann/json.hpp>

namespace execsim::backtest {

namespace {

/// retry_count of a result event's payload (0 if it has none: an executor
/// plug-in may publish less than the built-in one).
int retry_count_of(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return 0;
  auto i = j.find("retry_count");
  return i != j.end() && i->is_number_integer() ? i->get<int>() : 0;
}

/// Takes the result events off the bus. It never traces: listening must
/// not change the run's digest.
caf::behavior result_listener(caf::event_based_actor*,
                              execution_stats* stats) {
  return {
    [=](const event_msg& e) {
      if (e.channel == event_channel::executed)
        stats->on_result(e.order_id, true, retry_count_of(e.payload));
      else if (e.channel == event_channel::execution_failed)
        stats->on_result(e.order_id, false, retry_count_of(e.payload));
    },
  };
}

void stop(caf::actor& a) {
  if (a)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  a = nullptr;
}

} // namespace

backtest_extension::backtest_extension(quote_stream& quotes, epoch_ns origin,
                                       execution_stats& stats,
                                       progress_fn progress,
                                       std::uint64_t progress_every)
  : quotes_(quotes),
    origin_(origin),
    stats_(stats),
    progress_(std::move(progress)),
    progress_every_(progress_every) {
}

backtest_extension::~backtest_extension() = default;

void backtest_extension::attach(run_context& ctx) {
  ctx_ = &ctx;
  book_ = std::make_unique<quote_book>(*ctx.book, quotes_, origin_, *ctx.tr);
  book_->on_fill([this](const exchange_order& o, std::int64_t qty,
                        const decimal& price, ns_t at) {
    stats_.on_fill(std::string{o.order_id()}, qty, price, at);
  });
  if (progress_)
    book_->on_progress(progress_every_, [this] { progress_(progress()); });
  ctx.book->set_market(book_.get());
  feed_ = spawn_market_feed(ctx, *book_);
  book_->on_rest([feed = feed_] { caf::anon_send(feed, market_wake_msg{}); });
  listener_ = ctx.rt->system().spawn(result_listener, &stats_);
  for (auto channel : {event_channel::executed, event_channel::execution_failed})
    caf::anon_send(ctx.bus,
                   subscribe_msg{listener_, "backtest", to_string(channel)});
}

bool backtest_extension::busy() const {
  // Orders rest and a quote is still to come that may fill them.
  return book_ && book_->resting() > 0 && book_->next_quote_at().has_value();
}

void backtest_extension::detach() {
  stop(feed_);
  stop(listener_);
  if (ctx_ != nullptr) {
    ctx_->book->set_market(nullptr);
    detached_at_ = ctx_->now();
  }
  ctx_ = nullptr; // the run's context goes with the run
}

void backtest_extension::note_arrival(const order_spec& spec) {
  book_->advance_to(spec.at);
  auto mid = book_->mid(spec.symbol);
  stats_.on_arrival(spec, mid);
  if (ctx_ != nullptr)
    ctx_->log->arrival(
      {spec.id, spec.symbol, to_string(spec.side), spec.at, mid});
}

progress_info backtest_extension::progress() const {
  progress_info p;
  if (book_)
    p.quotes = book_->quotes_applied();
  p.orders_sent = stats_.arrivals();
  p.orders_done = stats_.results();
  p.virtual_now = ctx_ != nullptr ? ctx_->now() : detached_at_;
  return p;
}

} // namespace execsim::backtest
