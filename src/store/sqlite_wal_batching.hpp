#pragma once
// A SQLite VFS that hands each transaction's write-ahead log to the kernel in one write.
//
// SQLite writes a commit's log as two writes per page (a 24-byte frame header, then the page), so
// a commit of five pages costs ten pwrite calls; on a virtual machine a system call costs more
// than copying the page it carries. This VFS is the platform's default one, except that writes to
// a WAL file are gathered in memory while they extend it and reach the file together when the
// commit's last frame (the one carrying the commit mark) is written, before SQLite publishes the
// commit to other connections — so what other connections and processes read, what survives
// the process being killed, and every error SQLite sees are as before, at the same moments.
//
// Anything that could look at the file meanwhile (a read, its size, a sync, a truncation, a file
// control, closing it) first writes what was gathered. A WAL on a device without "powersafe
// overwrite" is left alone: SQLite pads such a log after the commit frame, and those writes come
// after the commit mark.

#include <opsgraph/export.hpp>

namespace opsgraph::store::detail {

/// The batching VFS over SQLite's default VFS, registered (not as the default) on first use, for
/// sqlite3_open_v2's zVfs. Null when it could not be registered: open with the default VFS then.
OPSGRAPH_API const char* batching_wal_vfs() noexcept;

}  // namespace opsgraph::store::detail
