#pragma once
/// A server on an ephemeral loopback port with the test methods, for the HTTP tests.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "plugin/rpc/server.hpp"
#include "tests/rpc/http_client.hpp"
#include "tests/rpc/test_methods.hpp"

namespace mfd::rpc::test {

class ServerFixture : public ::testing::Test {
protected:
    ServerFixture() { register_test_methods(dispatcher_, log_); }
    ~ServerFixture() override {
        if (server_) server_->stop();
    }

    /// Options with short timeouts so that timeout tests finish quickly.
    static ServerOptions test_options() {
        ServerOptions o;
        o.port = 0;
        o.idle_timeout = std::chrono::seconds(5);
        o.read_timeout = std::chrono::seconds(5);
        o.request_timeout = std::chrono::seconds(5);
        o.drain_timeout = std::chrono::seconds(5);
        return o;
    }

    void start(ServerOptions options = test_options()) {
        server_ = std::make_unique<Server>(dispatcher_, options, &registry_);
        auto started = server_->start();
        ASSERT_TRUE(started) << started.error().message;
        ASSERT_NE(server_->port(), 0);
    }

    [[nodiscard]] std::unique_ptr<HttpClient> connect() {
        return std::make_unique<HttpClient>(server_->port());
    }

    MethodLog log_;
    Registry registry_;
    Dispatcher dispatcher_{DispatchLimits{}, &registry_};
    std::unique_ptr<Server> server_;
};

}  // namespace mfd::rpc::test
