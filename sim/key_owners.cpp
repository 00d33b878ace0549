#include "sim/key_owners.hpp"

#include "sim/assert.hpp"

#include <limits>

namespace execsim {

const char* key_record::keep(text_pool& pool, std::string_view key,
                             std::string_view id) {
  // Sizes are 32-bit: the packing's limit.
  EXECSIM_ASSERT(key.size() + id.size()
                 < std::numeric_limits<std::uint32_t>::max());
  const std::uint32_t sizes[2] = {static_cast<std::uint32_t>(key.size()),
                                  static_cast<std::uint32_t>(id.size())};
  const char* r = pool.keep(
    {std::string_view{reinterpret_cast<const char*>(sizes), sizeof sizes},
     key, id});
  EXECSIM_ASSERT(key_record::key(r) == key && key_record::id(r) == id);
  return r;
}

std::uint32_t key_owners::number_of(std::string_view key) const {
  return index_.find(key, [this](std::uint32_t i) {
    return key_record::key(owners_[i - 1]);
  });
}

std::string_view key_owners::claim(std::string_view key,
                                   std::string_view order_id) {
  if (auto n = number_of(key); n != 0)
    return key_record::id(owners_[n - 1]);
  EXECSIM_ASSERT(owners_.size() < std::numeric_limits<std::uint32_t>::max());
  owners_.push_back(key_record::keep(pool_, key, order_id));
  index_.insert(key, static_cast<std::uint32_t>(owners_.size()));
  return key_record::id(owners_.back());
}

} // namespace execsim
