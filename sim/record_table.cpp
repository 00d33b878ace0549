#include "sim/record_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace execsim {

namespace {

std::string create_table_sql(const table_schema& table) {
  std::vector<const column_schema*> columns;
  std::size_t width = 0;
  for (const auto& c : table.columns) {
    if (column_since(table, c) != table.since)
      continue;
    columns.push_back(&c);
    width = std::max(width, std::strlen(c.name));
  }
  std::string out = fmt::format("CREATE TABLE IF NOT EXISTS {} (\n",
                                table.name);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& c = *columns[i];
    bool last = i + 1 == columns.size();
    out += fmt::format("  {:<{}} {}{}", c.name, width, c.decl,
                       last ? "" : ",");
    if (*c.comment != '\0')
      out += fmt::format(" -- {}", c.comment);
    out += '\n';
  }
  out += ");\n";
  out += table.indexes;
  return out;
}

} // namespace

std::string migrate_table_sql(const table_schema& table, int version) {
  if (table.since == version)
    return create_table_sql(table);
  std::string out;
  if (table.since > version)
    return out;
  for (const auto& c : table.columns)
    if (column_since(table, c) == version)
      out += fmt::format("ALTER TABLE {} ADD COLUMN {} {};{}\n", table.name,
                         c.name, c.decl,
                         *c.comment != '\0' ? fmt::format(" -- {}", c.comment)
                                             : std::string{});
  return out;
}

std::string insert_sql(const table_schema& table, const std::string& into) {
  std::string names;
  std::string values;
  int n = 0;
  for (const auto& c : table.columns) {
    if ((c.written & written_at_insert) == 0)
      continue;
    names += fmt::format("{}{}", n == 0 ? "" : ", ", c.name);
    values += fmt::format("{}?{}", n == 0 ? "" : ", ", n + 1);
    ++n;
  }
  return fmt::format("INSERT INTO {} ({}) VALUES ({})",
                     into.empty() ? table.name : into, names, values);
}

std::string finish_sql(const table_schema& table, const char* key,
                       const std::string& into) {
  std::string sets;
  int n = 0;
  for (const auto& c : table.columns) {
    if ((c.written & written_at_finish) == 0)
      continue;
    sets += fmt::format("{}{} = ?{}", n == 0 ? "" : ", ", c.name, n + 1);
    ++n;
  }
  return fmt::format("UPDATE {} SET {} WHERE {} = ?{}",
                     into.empty() ? table.name : into, sets, key, n + 1);
}

std::string select_sql(const table_schema& table, const char* order_by,
                       int version) {
  std::string names;
  for (std::size_t i = 1; i < table.columns.size(); ++i) {
    const auto& c = table.columns[i];
    bool absent = version > 0 && column_since(table, c) > version;
    names += fmt::format("{}{}", i == 1 ? "" : ", ", absent ? "NULL" : c.name);
  }
  return fmt::format("SELECT {} FROM {} WHERE {} = ?1 ORDER BY {}", names,
                     table.name, table.columns.front().name, order_by);
}

} // namespace execsim
