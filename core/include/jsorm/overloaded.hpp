#pragma once
/// The visitor idiom for std::visit over several lambdas: `std::visit(Overloaded{...}, v)`.

#include <jsorm/api.hpp>

JSORM_NAMESPACE_BEGIN
namespace detail {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace detail
JSORM_NAMESPACE_END
