#pragma once
// TestCa — a throwaway certificate authority and a server certificate it signed (for
// IP:127.0.0.1 and DNS:localhost, EC P-256, valid two days), made at test time by the openssl CLI
// (spawned without a shell, never forked) in a temporary directory that goes away with the object.
// Not thread-safe to create; the files may be read from any thread while the object lives.

#include <memory>
#include <optional>
#include <string>

#include "support/temp_dir.hpp"

namespace opsgraph::testing {

class TestCa {
 public:
  /// Makes the CA and the server certificate; nullopt (with a test failure) when openssl fails.
  static std::optional<TestCa> create();

  /// PEM certificate of the CA: what a client that should trust the server loads.
  std::string ca_cert() const { return dir_->file("ca.crt"); }
  /// PEM certificate of the server, signed by the CA.
  std::string server_cert() const { return dir_->file("server.crt"); }
  /// PEM private key of the server (unencrypted).
  std::string server_key() const { return dir_->file("server.key"); }

 private:
  explicit TestCa(std::unique_ptr<TempDir> dir) : dir_(std::move(dir)) {}
  std::unique_ptr<TempDir> dir_;
};

}  // namespace opsgraph::testing
