#include "store/sqlite_wal_copier.hpp"

#include <sqlite3.h>

#include <climits>
#include <exception>
#include <utility>

namespace opsgraph::store::detail {
namespace {

// The log grows to this many copies' worth before the copier takes the store's lock to start it
// over: each start-over holds the store's writes for a pass with two fsyncs.
constexpr int kCopiesPerRound = 4;
// The backstop: a commit that finds this many copies' worth in the log copies it itself.
constexpr int kCopiesBeforeWriterCopies = 16;

}  // namespace

WalCopier::WalCopier(std::unique_ptr<Connection> own, Connection& writer, std::mutex& store_lock,
                     int pages)
    : own_(std::move(own)),
      writer_(writer),
      store_lock_(store_lock),
      pages_(pages),
      next_copy_at_(pages) {}

result<std::unique_ptr<WalCopier>> WalCopier::start(const std::string& path, Connection& writer,
                                                    std::mutex& store_lock, std::size_t pages,
                                                    bool sync_full) {
  // A passive checkpoint never waits for a lock, so the connection needs no busy timeout.
  OPSGRAPH_TRY(auto own, Connection::open(path, false, std::chrono::milliseconds{0}));
  // The checkpoint syncs the log and the file as this connection's level says.
  OPSGRAPH_TRY(own->exec(sync_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
                         "start the WAL copier"));
  std::unique_ptr<WalCopier> copier(
      new WalCopier(std::move(own), writer, store_lock, static_cast<int>(pages)));
  try {
    copier->thread_ = std::thread([c = copier.get()] { c->run(); });
  } catch (const std::exception& e) {
    return fail(errc::internal, std::string("sqlite: start the WAL copier: ") + e.what());
  }
  // Replaces SQLite's own hook, which is what runs the automatic checkpoints.
  sqlite3_wal_hook(writer.handle(), &WalCopier::on_commit, copier.get());
  return copier;
}

WalCopier::~WalCopier() {
  sqlite3_wal_autocheckpoint(writer_.handle(), pages_);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

int WalCopier::on_commit(void* copier, sqlite3* db, const char*, int log_pages) noexcept {
  auto& self = *static_cast<WalCopier*>(copier);
  if (log_pages >= self.pages_ * kCopiesBeforeWriterCopies) {
    // The copier has fallen far behind (starved of CPU, or held up by another process): copy
    // here, as SQLite itself would, so the log stays bounded. A copy of the copier's own would
    // hold SQLite's checkpoint lock and make this one fail at once, so it waits for that first.
    std::lock_guard copying(self.copying_);
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    self.next_copy_at_.store(self.pages_, std::memory_order_relaxed);
    return SQLITE_OK;
  }
  if (log_pages < self.next_copy_at_.load(std::memory_order_relaxed))
    return SQLITE_OK;
  // Asked once: the copier sets the next mark when it is done.
  self.next_copy_at_.store(INT_MAX, std::memory_order_relaxed);
  self.asked_at_.store(log_pages, std::memory_order_relaxed);
  {
    std::lock_guard lock(self.mutex_);
    self.due_ = true;
  }
  self.wake_.notify_one();
  return SQLITE_OK;
}

void WalCopier::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return due_ || stopping_; });
    if (stopping_)
      return;
    due_ = false;
    lock.unlock();
    int log_pages = 0;
    {
      std::lock_guard copying(copying_);
      log_pages = copy();
    }
    if (log_pages < 0) {
      // Another process's checkpoint holds the lock, or an I/O error: the pages are left to the
      // next copy, once the log has grown again.
      log_pages = asked_at_.load(std::memory_order_relaxed);
    } else if (log_pages >= pages_ * kCopiesPerRound) {
      // The final pass: with the store's writes held off, it copies the few pages written during
      // the first, and the next write starts the log over.
      std::lock_guard store(store_lock_);
      std::lock_guard copying(copying_);
      copy();
      log_pages = 0;
    }
    next_copy_at_.store(log_pages + pages_, std::memory_order_relaxed);
    lock.lock();
  }
}

int WalCopier::copy() {
  int log_pages = -1;
  if (sqlite3_wal_checkpoint_v2(own_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_pages,
                                nullptr) != SQLITE_OK)
    return -1;
  return log_pages;
}

}  // namespace opsgraph::store::detail
