#include "plugin/rpc/rpc_error.hpp"

#include <gtest/gtest.h>

#include "plugin/rpc/handler.hpp"

namespace mfd::rpc {
namespace {

using json = nlohmann::json;

TEST(RpcError, StandardCodesCarryStandardMessages) {
    EXPECT_EQ(RpcError(ErrorCode::kParseError).to_json(),
              (json{{"code", -32700}, {"message", "Parse error"}}));
    EXPECT_EQ(RpcError(ErrorCode::kInvalidRequest, {}, "why").to_json(),
              (json{{"code", -32600}, {"message", "Invalid Request"}, {"data", "why"}}));
    EXPECT_EQ(RpcError::invalid_params("param 0 (x): bad").to_json(),
              (json{{"code", -32602}, {"message", "param 0 (x): bad"}}));
}

TEST(RpcError, CoreErrorsMapThroughOneTable) {
    const auto code = [](core::Errc c) { return error_from(core::Error{c, "m"}).code(); };
    EXPECT_EQ(code(core::Errc::kInvalidArgument), -32602);
    EXPECT_EQ(code(core::Errc::kBadHex), -32602);
    EXPECT_EQ(code(core::Errc::kRlpTrailingBytes), -32602);
    EXPECT_EQ(code(core::Errc::kNotFound), -32001);
    EXPECT_EQ(code(core::Errc::kUnavailable), -32002);
    EXPECT_EQ(code(core::Errc::kTxInvalidChainId), -32003);
    EXPECT_EQ(code(core::Errc::kTxNonceTooLow), -32003);
    EXPECT_EQ(code(core::Errc::kLimitExceeded), -32005);
    EXPECT_EQ(code(core::Errc::kTimeout), -32010);
    EXPECT_EQ(code(core::Errc::kRevert), -32000);
    const RpcError io = error_from(core::Error{core::Errc::kIo, "disk /secret/path failed"});
    EXPECT_EQ(io.code(), -32603);
    EXPECT_EQ(io.message(), "Internal error");  // our own faults do not leak details
    const RpcError tx = error_from(core::Error{core::Errc::kTxInvalidChainId, "chain id 5"});
    EXPECT_EQ(tx.to_json(), (json{{"code", -32003},
                                  {"message", "chain id 5"},
                                  {"data", {{"reason", "INVALID_CHAINID"}}}}));
}

TEST(MethodResult, BuildsFromValuesAndErrors) {
    MethodResult a = 5;
    EXPECT_TRUE(a.ok());
    EXPECT_EQ(a.result(), 5);
    MethodResult b = json::array({1});
    EXPECT_EQ(b.result(), json::array({1}));
    MethodResult c = RpcError(ErrorCode::kResourceNotFound);
    EXPECT_FALSE(c.ok());
    EXPECT_EQ(c.error().code(), -32001);
    MethodResult d = core::fail(core::Errc::kNotFound, "no such block");
    EXPECT_EQ(d.error().message(), "no such block");
}

}  // namespace
}  // namespace mfd::rpc
