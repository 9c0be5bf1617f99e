#include "plugin/fraud_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "json/bounded_json.hpp"
#include "plugin/feature_log_sink.hpp"
#include "plugin/fraud_methods.hpp"
#include "storage/rocks_store.hpp"

namespace mfd::plugin {

FraudService::FraudService(PluginConfig config)
    : config_(std::move(config)),
      rules_{config_.chain_id, true},
      scores_(config_.cache_scores),
      accounts_(config_.cache_scores),
      events_(std::min(config_.cache_scores, kMaxDecoded)),
      stale_refusals_(config_.cache_scores) {}

FraudService::~FraudService() {
    if (server_) server_->stop();
    runner_.reset();
    if (models_) models_->current()->detector->set_feature_sink({});
}

void FraudService::attach_feature_log(ModelState& model) {
    if (!feature_log_) return;
    FeatureLogSink* sink = feature_log_.get();
    model.detector->set_feature_sink([sink](const core::TxEvent& e, std::span<const float> row,
                                            fraud::GroupMask mask) { sink->add(e, row, mask); });
}

core::Result<std::unique_ptr<FraudService>> FraudService::create(PluginConfig config,
                                                                 fp_status& failed) {
    std::unique_ptr<FraudService> service(new FraudService(std::move(config)));
    if (auto r = service->open(failed); !r) return core::fail(r.error());
    return service;
}

core::Result<void> FraudService::open(fp_status& failed) {
    failed = FP_ERR_STORAGE;
    auto store = storage::RocksStore::open(config_.data_dir);
    if (!store) return core::fail(store.error());
    store_ = std::move(*store);
    auto head = store_->get(core::Column::kMeta, head_key());
    if (!head) return core::fail(head.error());
    if (*head) {
        auto decoded = decode_head(**head);
        if (!decoded) return core::fail(decoded.error());
        head_ = *decoded;
        time_ms_.store(head_.time_ms);
        head_height_.store(head_.height);
    }
    failed = FP_ERR_INTERNAL;
    auto metrics = PluginMetrics::create(registry_);
    if (!metrics) return core::fail(metrics.error());
    metrics_.emplace(*metrics);
    metrics_->count_block(head_.height, 0, 0);
    if (!config_.feature_log.empty()) {
        auto sink = FeatureLogSink::open(config_.feature_log);
        if (!sink) return core::fail(sink.error());
        feature_log_ = std::move(*sink);
    }
    failed = FP_ERR_MODEL;
    auto file = read_model_file(config_.model);
    if (!file) return core::fail(file.error());
    auto state = bind_model(*file, store_.get(), detector_options());
    if (!state) return core::fail(state.error());
    attach_feature_log(**state);
    metrics_->set_threshold((*state)->detector->threshold());
    models_ = std::make_unique<ModelSlot>(std::move(*state));
    failed = FP_ERR_INTERNAL;
    runner_ = std::make_unique<DeadlineRunner>(config_.workers);
    dispatcher_ = std::make_unique<rpc::Dispatcher>(rpc::DispatchLimits{}, &registry_);
    if (auto r = add_fraud_methods(*dispatcher_, *this); !r) return r;
    failed = FP_ERR_CONFIG;
    return config_.rpc.enabled ? start_rpc() : core::Result<void>();
}

core::Result<void> FraudService::start_rpc() {
    rpc::ServerOptions options;
    options.host = config_.rpc.host;
    options.port = config_.rpc.port;
    options.bearer_token = config_.rpc.token;
    options.io_threads = config_.rpc.io_threads;
    options.worker_threads = config_.rpc.worker_threads;
    server_ = std::make_unique<rpc::Server>(*dispatcher_, options, &registry_);
    if (auto r = server_->start(); !r) {
        server_.reset();
        return r;
    }
    spdlog::info("fraud plugin: JSON-RPC on {}", rpc_endpoint());
    return {};
}

fraud::DetectorOptions FraudService::detector_options() const {
    fraud::DetectorOptions o;
    o.device = config_.device;
    o.target_fpr = config_.target_fpr;
    o.threshold = config_.threshold;
    return o;
}

core::Result<void> FraudService::reload_model(const std::filesystem::path& path) {
    auto resolved = resolve_model_path(path);
    auto file = resolved ? read_model_file(*resolved)
                         : core::Result<ModelFile>(core::fail(resolved.error()));
    if (!file) {
        metrics_->count_reload(false, 0);
        spdlog::warn("fraud plugin: model reload refused: {}", file.error().to_string());
        return core::fail(file.error());
    }
    std::lock_guard lock(finalize_mu_);
    auto state = bind_model(*file, store_.get(), detector_options());
    if (!state) {
        metrics_->count_reload(false, 0);
        spdlog::warn("fraud plugin: model reload refused: {}", state.error().to_string());
        return core::fail(state.error());
    }
    const float threshold = (*state)->detector->threshold();
    const std::string version = *(*state)->version;
    attach_feature_log(**state);
    models_->swap(std::move(*state));
    reloads_.fetch_add(1);
    metrics_->count_reload(true, threshold);
    spdlog::info("fraud plugin: model {} ({}) in force", version, file->path.string());
    return {};
}

Head FraudService::head() const {
    std::lock_guard lock(finalize_mu_);
    return head_;
}

std::string FraudService::rpc_endpoint() const {
    if (!server_) return "";
    const bool v6 = config_.rpc.host.find(':') != std::string::npos;
    const std::string host = v6 ? "[" + config_.rpc.host + "]" : config_.rpc.host;
    return host + ":" + std::to_string(server_->port());
}

QueryAnswer FraudService::query(std::string_view method, std::string_view params_json) const {
    using json = nlohmann::json;
    json request = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", std::string(method)}};
    if (!params_json.empty()) {
        // One level less than the dispatcher allows: the request object around them is one.
        auto params = mfd::json::parse_bounded(params_json, rpc::DispatchLimits{}.max_depth - 1);
        if (!params) {
            const rpc::RpcError e(rpc::ErrorCode::kParseError, {},
                                  "params are not valid JSON: " + params.error().message);
            return {false, e.to_json().dump()};
        }
        if (!params->is_null()) request["params"] = std::move(*params);
    }
    const auto body = request.dump(-1, ' ', false, json::error_handler_t::replace);
    const auto response = dispatcher_->handle(body);
    const json doc = response ? json::parse(*response, nullptr, false) : json();
    if (doc.is_object() && doc.contains("result")) return {true, doc["result"].dump()};
    if (doc.is_object() && doc.contains("error")) return {false, doc["error"].dump()};
    return {false, rpc::RpcError(rpc::ErrorCode::kInternalError).to_json().dump()};
}

}  // namespace mfd::plugin
