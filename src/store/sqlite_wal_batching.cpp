#include "store/sqlite_wal_batching.hpp"

#include <sqlite3.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace opsgraph::store::detail {
namespace {

// The WAL's own header; frames follow it.
constexpr sqlite3_int64 kWalHeaderBytes = 32;
// A frame's header: page number, then (non-zero on a commit's last frame) the database's size in
// pages after the commit, then salts and checksums.
constexpr int kFrameHeaderBytes = 24;
// A transaction's log beyond this is written as it comes, in pieces of about this size: the unix
// VFS writes less than 128 KiB a call (it masks the length), and a page is at most 64 KiB.
constexpr std::size_t kMaxGathered = std::size_t{64} << 10;

struct BatchingVfs {
  sqlite3_vfs vfs;  // what SQLite holds; its pAppData points back here
  sqlite3_vfs* base;
};

// A WAL file opened through the batching VFS. SQLite allocates the file object (the VFS's
// szOsFile bytes); this struct comes first and the base VFS's own file object follows it.
struct WalFile {
  sqlite3_file file;  // first, so that SQLite's pointer is this struct's
  sqlite3_file* base;
  bool batching;
  // What was written and has not reached the file: `size` bytes from file offset `start`.
  char* data;
  std::size_t size;
  std::size_t capacity;
  sqlite3_int64 start;
  // The commit frame's header is gathered: the page that follows ends the transaction.
  bool commit_pending;
};

constexpr std::size_t kBaseOffset = (sizeof(WalFile) + alignof(std::max_align_t) - 1) /
                                    alignof(std::max_align_t) * alignof(std::max_align_t);

WalFile& wal(sqlite3_file* file) {
  return *reinterpret_cast<WalFile*>(file);
}

sqlite3_vfs* base_vfs(sqlite3_vfs* vfs) {
  return static_cast<BatchingVfs*>(vfs->pAppData)->base;
}

bool commit_mark(const void* frame_header) {
  unsigned char size_after_commit[4];
  std::memcpy(size_after_commit, static_cast<const char*>(frame_header) + 4, 4);
  return (size_after_commit[0] | size_after_commit[1] | size_after_commit[2] |
          size_after_commit[3]) != 0;
}

// Writes what was gathered. A failed write drops it: SQLite treats the call that asked for the
// write (and so its transaction) as failed.
int flush(WalFile& f) {
  if (f.size == 0)
    return SQLITE_OK;
  const int rc = f.base->pMethods->xWrite(f.base, f.data, static_cast<int>(f.size), f.start);
  f.size = 0;
  return rc;
}

bool reserve(WalFile& f, std::size_t bytes) {
  if (bytes <= f.capacity)
    return true;
  std::size_t capacity = f.capacity == 0 ? 16 * 1024 : f.capacity;
  while (capacity < bytes)
    capacity *= 2;
  void* grown = std::realloc(f.data, capacity);
  if (grown == nullptr)
    return false;
  f.data = static_cast<char*>(grown);
  f.capacity = capacity;
  return true;
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile& f = wal(file);
  if (!f.batching)
    return f.base->pMethods->xWrite(f.base, data, amount, offset);
  const auto bytes = static_cast<std::size_t>(amount);
  const sqlite3_int64 end = f.start + static_cast<sqlite3_int64>(f.size);
  // A page or frame header the transaction writes again before it reached the file.
  if (f.size > 0 && offset >= f.start && offset + amount <= end) {
    std::memcpy(f.data + (offset - f.start), data, bytes);
    return SQLITE_OK;
  }
  // The write after the commit frame's header is its page: the transaction's log is complete.
  const bool ends_commit = std::exchange(f.commit_pending, false);
  const bool extends = f.size > 0 && offset == end;
  if (!extends || f.size + bytes > kMaxGathered) {
    if (const int rc = flush(f); rc != SQLITE_OK)
      return rc;
    if (bytes > kMaxGathered)
      return f.base->pMethods->xWrite(f.base, data, amount, offset);
    f.start = offset;
  }
  if (!reserve(f, f.size + bytes))
    return SQLITE_IOERR_NOMEM;
  std::memcpy(f.data + f.size, data, bytes);
  f.size += bytes;
  if (ends_commit)
    return flush(f);
  f.commit_pending = amount == kFrameHeaderBytes && offset >= kWalHeaderBytes && commit_mark(data);
  return SQLITE_OK;
}

int wal_close(sqlite3_file* file) {
  WalFile& f = wal(file);
  const int flushed = flush(f);
  const int closed = f.base->pMethods->xClose(f.base);
  std::free(f.data);
  f.data = nullptr;
  return flushed != SQLITE_OK ? flushed : closed;
}

// The calls that may look at the file: what was gathered reaches it first.
int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  WalFile& f = wal(file);
  if (const int rc = flush(f); rc != SQLITE_OK)
    return rc;
  return f.base->pMethods->xRead(f.base, out, amount, offset);
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  WalFile& f = wal(file);
  if (const int rc = flush(f); rc != SQLITE_OK)
    return rc;
  return f.base->pMethods->xTruncate(f.base, size);
}

int wal_sync(sqlite3_file* file, int flags) {
  WalFile& f = wal(file);
  if (const int rc = flush(f); rc != SQLITE_OK)
    return rc;
  return f.base->pMethods->xSync(f.base, flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  WalFile& f = wal(file);
  if (const int rc = flush(f); rc != SQLITE_OK)
    return rc;
  return f.base->pMethods->xFileSize(f.base, size);
}

int wal_file_control(sqlite3_file* file, int op, void* arg) {
  WalFile& f = wal(file);
  if (const int rc = flush(f); rc != SQLITE_OK)
    return rc;
  return f.base->pMethods->xFileControl(f.base, op, arg);
}

int wal_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  WalFile& f = wal(file);
  *out = nullptr;
  if (const int rc = flush(f); rc != SQLITE_OK)
    return rc;
  if (f.base->pMethods->iVersion < 3)
    return SQLITE_OK;  // no mapping: SQLite reads instead
  return f.base->pMethods->xFetch(f.base, offset, amount, out);
}

// The rest pass straight through.
int wal_lock(sqlite3_file* file, int level) {
  return wal(file).base->pMethods->xLock(wal(file).base, level);
}
int wal_unlock(sqlite3_file* file, int level) {
  return wal(file).base->pMethods->xUnlock(wal(file).base, level);
}
int wal_check_reserved_lock(sqlite3_file* file, int* out) {
  return wal(file).base->pMethods->xCheckReservedLock(wal(file).base, out);
}
int wal_sector_size(sqlite3_file* file) {
  return wal(file).base->pMethods->xSectorSize(wal(file).base);
}
int wal_device_characteristics(sqlite3_file* file) {
  return wal(file).base->pMethods->xDeviceCharacteristics(wal(file).base);
}
// SQLite keeps the wal-index with the database file, never the WAL; these exist for the method
// table's version.
int wal_shm_map(sqlite3_file*, int, int, int, void volatile** out) {
  *out = nullptr;
  return SQLITE_IOERR_SHMMAP;
}
int wal_shm_lock(sqlite3_file*, int, int, int) {
  return SQLITE_IOERR_SHMLOCK;
}
void wal_shm_barrier(sqlite3_file*) {}
int wal_shm_unmap(sqlite3_file*, int) {
  return SQLITE_OK;
}
int wal_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  WalFile& f = wal(file);
  if (f.base->pMethods->iVersion < 3)
    return SQLITE_OK;
  return f.base->pMethods->xUnfetch(f.base, offset, page);
}

const sqlite3_io_methods kWalMethods = {
    3,
    wal_close,
    wal_read,
    wal_write,
    wal_truncate,
    wal_sync,
    wal_file_size,
    wal_lock,
    wal_unlock,
    wal_check_reserved_lock,
    wal_file_control,
    wal_sector_size,
    wal_device_characteristics,
    wal_shm_map,
    wal_shm_lock,
    wal_shm_barrier,
    wal_shm_unmap,
    wal_fetch,
    wal_unfetch,
};

int vfs_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* base = base_vfs(vfs);
  if ((flags & SQLITE_OPEN_WAL) == 0)
    return base->xOpen(base, name, file, flags, out_flags);  // the base's own file, untouched
  auto* f = new (file) WalFile{};
  f->base = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kBaseOffset);
  f->file.pMethods = nullptr;
  const int rc = base->xOpen(base, name, f->base, flags, out_flags);
  if (rc != SQLITE_OK) {
    // SQLite closes only a file whose methods are set: close the base's here if it set them.
    if (f->base->pMethods != nullptr)
      f->base->pMethods->xClose(f->base);
    return rc;
  }
  // Without powersafe overwrite SQLite pads the log past the commit frame (see the header).
  f->batching =
      (f->base->pMethods->xDeviceCharacteristics(f->base) & SQLITE_IOCAP_POWERSAFE_OVERWRITE) != 0;
  f->file.pMethods = &kWalMethods;
  return SQLITE_OK;
}

int vfs_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return base_vfs(vfs)->xDelete(base_vfs(vfs), name, sync_dir);
}
int vfs_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return base_vfs(vfs)->xAccess(base_vfs(vfs), name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return base_vfs(vfs)->xFullPathname(base_vfs(vfs), name, size, out);
}
void* vfs_dl_open(sqlite3_vfs* vfs, const char* name) {
  return base_vfs(vfs)->xDlOpen(base_vfs(vfs), name);
}
void vfs_dl_error(sqlite3_vfs* vfs, int size, char* out) {
  base_vfs(vfs)->xDlError(base_vfs(vfs), size, out);
}
void (*vfs_dl_sym(sqlite3_vfs* vfs, void* library, const char* symbol))(void) {
  return base_vfs(vfs)->xDlSym(base_vfs(vfs), library, symbol);
}
void vfs_dl_close(sqlite3_vfs* vfs, void* library) {
  base_vfs(vfs)->xDlClose(base_vfs(vfs), library);
}
int vfs_randomness(sqlite3_vfs* vfs, int size, char* out) {
  return base_vfs(vfs)->xRandomness(base_vfs(vfs), size, out);
}
int vfs_sleep(sqlite3_vfs* vfs, int microseconds) {
  return base_vfs(vfs)->xSleep(base_vfs(vfs), microseconds);
}
int vfs_current_time(sqlite3_vfs* vfs, double* out) {
  return base_vfs(vfs)->xCurrentTime(base_vfs(vfs), out);
}
int vfs_get_last_error(sqlite3_vfs* vfs, int size, char* out) {
  return base_vfs(vfs)->xGetLastError(base_vfs(vfs), size, out);
}
int vfs_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return base_vfs(vfs)->xCurrentTimeInt64(base_vfs(vfs), out);
}

// Registers a batching VFS named `name` over `base`. SQLITE_OK, or SQLite's code for why not.
int register_vfs(const char* name, sqlite3_vfs* base) noexcept {
  if (base == nullptr || base->iVersion < 2)
    return SQLITE_MISUSE;
  // Registered VFSes live as long as the process: SQLite keeps the pointer.
  auto* made = new (std::nothrow) BatchingVfs{};
  if (made == nullptr)
    return SQLITE_NOMEM;
  sqlite3_vfs& vfs = made->vfs;
  made->base = base;
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(kBaseOffset) + base->szOsFile;
  vfs.mxPathname = base->mxPathname;
  vfs.zName = name;
  vfs.pAppData = made;
  vfs.xOpen = vfs_open;
  vfs.xDelete = vfs_delete;
  vfs.xAccess = vfs_access;
  vfs.xFullPathname = vfs_full_pathname;
  vfs.xDlOpen = vfs_dl_open;
  vfs.xDlError = vfs_dl_error;
  vfs.xDlSym = vfs_dl_sym;
  vfs.xDlClose = vfs_dl_close;
  vfs.xRandomness = vfs_randomness;
  vfs.xSleep = vfs_sleep;
  vfs.xCurrentTime = vfs_current_time;
  vfs.xGetLastError = vfs_get_last_error;
  vfs.xCurrentTimeInt64 = vfs_current_time_int64;
  const int rc = sqlite3_vfs_register(&vfs, /*makeDflt=*/0);
  if (rc != SQLITE_OK)
    delete made;
  return rc;
}

}  // namespace

const char* batching_wal_vfs() noexcept {
  static constexpr const char* kName = "opsgraph-batching-wal";
  static const bool registered = [] {
    return sqlite3_initialize() == SQLITE_OK &&
           register_vfs(kName, sqlite3_vfs_find(nullptr)) == SQLITE_OK;
  }();
  return registered ? kName : nullptr;
}

}  // namespace opsgraph::store::detail
