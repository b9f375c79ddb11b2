#pragma once
// How jsorm values cross libpq: bound parameters out, result cells back.

#include <jsorm/value.hpp>

#include <libpq-fe.h>

#include <string>
#include <vector>

namespace jsorm::pg {

/// Parameters for PQexecParams: text format, except bytea which is sent binary.
/// Points into `values`, which must outlive it.
class Params {
 public:
  explicit Params(const std::vector<Value>& values);

  int count() const noexcept { return static_cast<int>(pointers_.size()); }
  const Oid* types() const noexcept { return types_.data(); }
  const char* const* values() const noexcept { return pointers_.data(); }
  const int* lengths() const noexcept { return lengths_.data(); }
  const int* formats() const noexcept { return formats_.data(); }

 private:
  std::vector<std::string> text_;
  std::vector<Oid> types_;
  std::vector<const char*> pointers_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

/// One cell of a text-format result, typed by its column's type.
Value decodeCell(const PGresult* result, int row, int column);

}  // namespace jsorm::pg
