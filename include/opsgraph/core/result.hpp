#pragma once
// opsgraph::result<T> — a value or an opsgraph::Error (Boost.Outcome). Check it before use:
// reading value() of a failed result throws bad_result_access_with<Error>, which the boundaries
// (graph nodes, the C ABI) turn into errc::internal; it is a bug, never a way to report errors.

#include <boost/outcome/basic_result.hpp>
#include <boost/outcome/policy/throw_bad_result_access.hpp>
#include <boost/outcome/try.hpp>
#include <opsgraph/core/error.hpp>

namespace opsgraph {

template <class T>
using result = boost::outcome_v2::basic_result<
    T, Error, boost::outcome_v2::policy::throw_bad_result_access<Error, void>>;

/// The success value of a result<void>: `return ok();`.
inline auto ok() noexcept {
  return boost::outcome_v2::success();
}

/// A failed result of any T: `return fail(errc::not_found, "no task " + id);`.
inline auto fail(errc code, std::string message, json::Value details = {}) {
  return boost::outcome_v2::failure(make_error(code, std::move(message), std::move(details)));
}
inline auto fail(Error error) {
  return boost::outcome_v2::failure(std::move(error));
}

}  // namespace opsgraph

/// OPSGRAPH_TRY(auto x, expr): evaluate expr (a result); on failure return its Error from the
/// enclosing function, else bind the value. OPSGRAPH_TRY(expr) for result<void>.
#define OPSGRAPH_TRY BOOST_OUTCOME_TRY
/// The same for coroutines (co_return instead of return).
#define OPSGRAPH_CO_TRY BOOST_OUTCOME_CO_TRY
