// HTTPS with a throwaway CA, and the TLS option errors.

#include <gtest/gtest.h>

#include "server_fixture.hpp"
#include "support/test_ca.hpp"

namespace opsgraph::http::testing {
namespace {

class HttpsServerTest : public HttpServerTest {
 protected:
  void SetUp() override {
    ca_ = opsgraph::testing::TestCa::create();
    ASSERT_TRUE(ca_);
    ServerOptions options;
    options.cert_file = ca_->server_cert();
    options.key_file = ca_->server_key();
    start(options);
  }

  HttpClient tls_client() {
    ClientOptions options;
    options.tls = true;
    options.ca_file = ca_->ca_cert();
    return HttpClient(server_->port(), options);
  }

  std::optional<opsgraph::testing::TestCa> ca_;
};

TEST_F(HttpsServerTest, ServesHttpsWithKeepAlive) {
  EXPECT_TRUE(server_->tls());
  auto client = tls_client();
  ASSERT_FALSE(client.connect_error()) << client.connect_error().message();
  for (int i = 0; i < 3; ++i) {
    const auto reply = client.get("/hello");
    ASSERT_FALSE(reply.error) << reply.error.message();
    EXPECT_EQ(reply.body, "hello");
  }
  // Bodies over one TLS record (16 KiB), both ways.
  for (std::size_t size : {1000u, 17000u, 100000u}) {
    SCOPED_TRACE(size);
    const auto reply = client.post("/echo", std::string(size, 'z'));
    EXPECT_EQ(reply.body.size(), size + 5) << reply.error.message();
  }
  EXPECT_EQ(client.get("/big").body, std::string(40000, 'b'));
  EXPECT_EQ(server_->open_connections(), 1u);
}

TEST_F(HttpsServerTest, StreamsOverTls) {
  auto client = tls_client();
  ASSERT_TRUE(client.send("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  EXPECT_FALSE(client.read_until("\r\n\r\n").empty());
  probe_->push_event("secure");
  EXPECT_FALSE(client.read_until("data: secure\n\n").empty());
  probe_->push_event("end");
  EXPECT_EQ(client.read_until("0\r\n\r\n"), "\r\n0\r\n\r\n");  // the chunk's end, the last
}

TEST_F(HttpsServerTest, PlainHttpOnTheTlsPortGetsNoAnswer) {
  auto plain = client();
  const auto reply = plain.get("/hello");
  EXPECT_TRUE(reply.error);
  EXPECT_EQ(reply.status, 0u);
}

TEST_F(HttpsServerTest, HalfOrBadTlsConfigurationsAreRefused) {
  ServerOptions half;
  half.cert_file = ca_->server_cert();
  auto started = Server::start(half, runtime_.executor(), handler());
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, errc::invalid_argument);

  ServerOptions missing;
  missing.cert_file = "/nonexistent/cert.pem";
  missing.key_file = ca_->server_key();
  started = Server::start(missing, runtime_.executor(), handler());
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, errc::not_found);

  ServerOptions bad;
  bad.cert_file = "/etc/hostname";
  bad.key_file = ca_->server_key();
  started = Server::start(bad, runtime_.executor(), handler());
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, errc::invalid_argument);
}

}  // namespace
}  // namespace opsgraph::http::testing
