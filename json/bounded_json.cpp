#include "json/bounded_json.hpp"

#include <string>
#include <utility>
#include <vector>

namespace mfd::json {
namespace {

using json = nlohmann::json;

/// nlohmann's SAX events turned into a document, with an explicit stack and a depth bound.
class BoundedBuilder {
public:
    BoundedBuilder(std::size_t max_depth, RawNumbers* raw) : max_depth_(max_depth), raw_(raw) {}

    bool null() { return put(nullptr) != nullptr; }
    bool boolean(bool v) { return put(v) != nullptr; }
    // The lexer reads "0" as unsigned, so a signed zero was written "-0".
    bool number_integer(json::number_integer_t v) {
        return v == 0 ? put_raw(v, "-0") : put(v) != nullptr;
    }
    bool number_unsigned(json::number_unsigned_t v) { return put(v) != nullptr; }
    bool number_float(json::number_float_t v, const std::string& text) { return put_raw(v, text); }
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
    // Not in arrays: their elements move as they grow, and a freed buffer could later hold
    // another value at a recorded address.
    bool put_raw(json v, const std::string& text) {
        const bool in_object = !stack_.empty() && stack_.back()->is_object();
        json* slot = put(std::move(v));
        if (raw_ != nullptr && in_object) (*raw_)[slot] = text;
        return slot != nullptr;
    }
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
        if (raw_ != nullptr) raw_->erase(&slot);  // a repeated key replaces the earlier value
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
    RawNumbers* raw_;
    json root_;
    std::vector<json*> stack_;
    std::string key_;
    std::string error_;
    bool too_deep_ = false;
};

}  // namespace

core::Result<json> parse_bounded(std::string_view text, std::size_t max_depth, RawNumbers* raw) {
    // nlohmann's lexer takes a NUL byte for the end of input and would ignore what follows;
    // JSON never contains a raw NUL, so refuse it outright.
    if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
        return core::fail(core::Errc::kInvalidArgument,
                          "NUL byte at offset " + std::to_string(nul));
    }
    if (raw != nullptr) raw->clear();
    BoundedBuilder builder(max_depth, raw);
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

}  // namespace mfd::json
