# Every third-party package opsgraph builds against, found once. Debian bookworm names.
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED CONFIG)   # header-only parts: Outcome, Asio
find_package(simdjson REQUIRED CONFIG)     # private: JSON parsing
find_package(RapidJSON REQUIRED CONFIG)    # private: JSON writing
find_package(SQLite3 REQUIRED)             # private: the embedded store
find_package(CURL 7.88 REQUIRED)           # private: the LLM client (curl multi on Asio)
find_package(ICU REQUIRED COMPONENTS uc i18n)  # private: NFKC and confusable skeletons
find_package(OpenSSL 3 REQUIRED)          # private: SHA-256 (libcrypto); TLS of the mock server
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)  # private: RE2::Set rules; no CMake config

# RapidJSON's config exports variables, not a target.
if(NOT TARGET opsgraph_rapidjson)
  add_library(opsgraph_rapidjson INTERFACE)
  target_include_directories(opsgraph_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIRS})
  target_compile_definitions(opsgraph_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)
endif()

if(OPSGRAPH_BUILD_APPS)
  find_package(CLI11 REQUIRED CONFIG)      # the opsgraph CLI
endif()
if(OPSGRAPH_BUILD_TESTS)
  find_package(GTest REQUIRED CONFIG)
endif()
if(OPSGRAPH_BUILD_BENCH)
  find_package(benchmark REQUIRED CONFIG)
endif()

# The PostgreSQL store (src/store/postgres, private). On by default: scripts/setup installs
# libpq-dev, and a build that silently lacked a backend would fail only at run time.
option(OPSGRAPH_WITH_POSTGRES "Build the PostgreSQL TaskStore (needs libpq)" ON)
if(OPSGRAPH_WITH_POSTGRES)
  pkg_check_modules(PQ IMPORTED_TARGET libpq)
  if(NOT PQ_FOUND)
    message(FATAL_ERROR "OPSGRAPH_WITH_POSTGRES is ON but libpq was not found through "
                        "pkg-config: install libpq-dev (scripts/setup does), or configure with "
                        "-DOPSGRAPH_WITH_POSTGRES=OFF to build without the PostgreSQL store")
  endif()
endif()
