// The one translation unit that compiles Asio and Beast. Everything else includes their headers
// with BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION (public definitions
// of the beast_impl target), so each Beast-using file compiles only its own templates.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
