#pragma once
// Copies SQLite's write-ahead log back into the database file on a thread of its own.
//
// SQLite's automatic WAL checkpoint runs in the connection that has just committed, so with one
// connection behind the store's lock, every thousandth page or so one write pays for copying the
// log into the database file (hundreds of pages, and two fsyncs) while every other call waits.
// Here a commit only looks at the log's length (SQLite's WAL hook); a thread with a connection of
// its own copies the log while the store goes on writing, and takes the store's lock only for a
// short final pass that lets the log start over: SQLite rewinds the log only when a write begins
// with every page of it copied, which under a steady stream of writes never happens by itself.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <opsgraph/core/result.hpp>
#include <string>
#include <thread>

#include "store/sqlite_connection.hpp"

namespace opsgraph::store::detail {

class WalCopier {
 public:
  /// Takes over `writer`'s WAL checkpoints (its automatic ones stop): a copy runs each time the
  /// log has grown by `pages` pages, and the log starts over once it holds 4 × `pages`. Should the
  /// copier fall behind, a commit that finds the log at 16 × `pages` copies it itself.
  /// `store_lock` is the lock every use of `writer` holds. Both must outlive the copier.
  static result<std::unique_ptr<WalCopier>> start(const std::string& path, Connection& writer,
                                                  std::mutex& store_lock, std::size_t pages,
                                                  bool sync_full);
  /// Gives the checkpoints back to the writer's connection; a copy under way finishes first.
  ~WalCopier();
  WalCopier(const WalCopier&) = delete;
  WalCopier& operator=(const WalCopier&) = delete;

 private:
  WalCopier(std::unique_ptr<Connection> own, Connection& writer, std::mutex& store_lock, int pages);
  // SQLite's WAL hook on the writer: runs after each commit, with the store's lock held.
  static int on_commit(void* copier, sqlite3* db, const char* schema, int log_pages) noexcept;
  void run();
  // One passive checkpoint on the copier's connection: the log's length in pages, or -1 when it
  // could not run.
  int copy();

  std::unique_ptr<Connection> own_;
  Connection& writer_;
  std::mutex& store_lock_;
  const int pages_;
  // The log length at which a commit asks for the next copy.
  std::atomic<int> next_copy_at_;
  // The log length when the last copy was asked for.
  std::atomic<int> asked_at_{0};

  // Held by whoever copies (the copier, or a commit at the backstop). Taken after store_lock_
  // when both are.
  std::mutex copying_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace opsgraph::store::detail
