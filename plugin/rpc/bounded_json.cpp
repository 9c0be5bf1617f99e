#include "plugin/rpc/bounded_json.hpp"

#include <string>
#include <utility>
#include <vector>

namespace mfd::rpc {
namespace {

using json = nlohmann::json;

/// nlohmann's SAX events turned into a document, with an explicit stack and a depth bound.
class BoundedBuilder {
public:
    explicit BoundedBuilder(std::size_t max_depth) : max_depth_(max_depth) {}

    bool null() { return put(nullptr) != nullptr; }
    bool boolean(bool v) { return put(v) != nullptr; }
    bool number_integer(json::number_integer_t v) { return put(v) != nullptr; }
    bool number_unsigned(json::number_unsigned_t v) { return put(v) != nullptr; }
    bool number_float(json::number_float_t v, const std::string&) { return put(v) != nullptr; }
    bool string(std::string& v) { return put(std::move(v)) != nullptr; }
    bool binary(json::binary_t& v) { return put(json::binary(std::move(v))) != nullptr; }
    bool start_object(std::size_t) { return open(json::object()); }
    bool start_array(std::size_t) { return open(json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool key(std::string& k) {
        key_ = std::move(k);
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const json::exception& e) {
        error_ = e.what();
        return false;
    }

    [[nodiscard]] bool too_deep() const noexcept { return too_deep_; }
    [[nodiscard]] const std::string& error() const noexcept { return error_; }
    [[nodiscard]] json take() { return std::move(root_); }

private:
    /// Places `v` in the open container (or as the root) and returns where it now lives. The
    /// pointers on stack_ stay valid: only the innermost open container ever grows.
    json* put(json v) {
        if (stack_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        json& parent = *stack_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(v));
            return &parent.back();
        }
        json& slot = parent[key_];
        slot = std::move(v);
        return &slot;
    }
    bool open(json container) {
        if (stack_.size() >= max_depth_) {
            too_deep_ = true;
            return false;
        }
        stack_.push_back(put(std::move(container)));
        return true;
    }
    bool close() {
        stack_.pop_back();
        return true;
    }

    std::size_t max_depth_;
    json root_;
    std::vector<json*> stack_;
    std::string key_;
    std::string error_;
    bool too_deep_ = false;
};

}  // namespace

core::Result<json> parse_bounded(std::string_view text, std::size_t max_depth) {
    // nlohmann's lexer takes a NUL byte for the end of input and would ignore what follows;
    // JSON never contains a raw NUL, so refuse it outright.
    if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
        return core::fail(core::Errc::kInvalidArgument,
                          "NUL byte at offset " + std::to_string(nul));
    }
    BoundedBuilder builder(max_depth);
    const char* begin = text.data();
    const bool ok = json::sax_parse(begin, begin + text.size(), &builder);
    if (builder.too_deep()) {
        return core::fail(core::Errc::kLimitExceeded,
                          "JSON nests deeper than " + std::to_string(max_depth) + " levels");
    }
    if (!ok) {
        return core::fail(core::Errc::kInvalidArgument,
                          builder.error().empty() ? "malformed JSON" : builder.error());
    }
    return builder.take();
}

}  // namespace mfd::rpc
