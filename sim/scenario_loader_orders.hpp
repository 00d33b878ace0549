// The [[orders]] of a scenario file, and the [[expect]] tables that each
// name one of them.
#pragma once

#include "sim/scenario.hpp"
#include "sim/scenario_loader_fields.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace execsim::scenario_loading {

/// The ids of the file's orders, for the tables that name one.
class order_ids {
public:
  /// The field path of the order that has `id` ("orders[1]"), if any.
  std::optional<std::string> owner(const std::string& id) const;

  void add(const std::string& id, const std::string& path);

  /// "orders in this file: o1, o2", for messages.
  std::string listing() const;

private:
  std::map<std::string, std::string> owners_;
  std::vector<std::string> in_file_order_;
};

/// Reads one [[orders]] table; adds its id to `ids` (a duplicate is an
/// error).
order_spec read_order(const table_reader& t, order_ids& ids);

/// With [exchange] unknown_symbols = "error": reports the symbol of order
/// `o` (read from `t`) when `symbols` does not list it.
void check_known_symbol(const table_reader& t, const order_spec& o,
                        const exchange_config& x);

/// A value that must be the id of an order of the file.
std::optional<std::string> read_order_ref(const field& value,
                                          const order_ids& ids);

/// Reads one [[expect]] table.
expectation read_expect(const table_reader& t, const order_ids& ids);

} // namespace execsim::scenario_loading
