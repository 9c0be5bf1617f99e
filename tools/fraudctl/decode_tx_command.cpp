// fraudctl decode-tx: one raw transaction in, one JSON object out.
#include <charconv>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "tools/fraudctl/commands.hpp"
#include "tools/fraudctl/tx_json.hpp"

namespace mfd::tools {
namespace {

struct DecodeTxOptions {
    std::string hex;
    std::string chain_id = "1";  // parsed here: CLI11 2.1 saturates out-of-range integers
};

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "fraudctl decode-tx: " << message << "\n";
    throw CLI::RuntimeError(kExitUsage);
}

std::uint64_t parse_chain_id(const std::string& text) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        usage_error("--chain-id must be a decimal integer in [0, 2^64-1], got '" + text + "'");
    }
    return value;
}

void run_decode_tx(const DecodeTxOptions& options) {
    const std::uint64_t chain_id = parse_chain_id(options.chain_id);
    auto raw = core::from_hex(options.hex);
    if (!raw) usage_error("the transaction is not hex: " + raw.error().message);
    auto checked = core::check_transaction(*raw, core::TxRules{chain_id});
    if (!checked) {
        std::cout << rejected_transaction_json(checked.error()).dump() << "\n";
        throw CLI::RuntimeError(kExitRejected);
    }
    std::cout << valid_transaction_json(*checked).dump() << "\n";
}

}  // namespace

void add_decode_tx_command(CLI::App& app) {
    auto options = std::make_shared<DecodeTxOptions>();
    CLI::App* cmd = app.add_subcommand(
        "decode-tx",
        "Decode, validate (Shanghai rules) and recover the sender of a raw "
        "transaction; prints one JSON object. Exit 0 valid, 1 rejected, 2 bad input");
    cmd->add_option("raw", options->hex, "the raw transaction as 0x-prefixed hex")->required();
    cmd->add_option("--chain-id", options->chain_id, "the chain id to validate against")
        ->capture_default_str();
    cmd->callback([options] { run_decode_tx(*options); });
}

}  // namespace mfd::tools
