#include "models/train.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/detail/net.hpp"
#include "models/detail/train_data.hpp"
#include "models/metrics.hpp"

namespace mfd::models {
namespace {

using core::Errc;
using core::fail;
using detail::NetParams;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t kEvalChunk = 65536;

/// Sets LibTorch's intra-op thread count for a scope and restores it after.
class ThreadScope {
public:
    explicit ThreadScope(int threads) : previous_(torch::get_num_threads()) {
        if (threads > 0) torch::set_num_threads(threads);
    }
    ~ThreadScope() { torch::set_num_threads(previous_); }
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;

private:
    int previous_;
};

/// The rows as tensors: features normalised, labels, training targets (the labels, or mixed
/// with a teacher's probabilities), loss weights.
struct DataTensors {
    torch::Tensor x;
    torch::Tensor y;
    torch::Tensor target;
    torch::Tensor w;
};

struct Losses {
    torch::Tensor total;
    torch::Tensor task;
    torch::Tensor balance;
    torch::Tensor z;
};

torch::Tensor index_tensor(const std::vector<std::size_t>& rows) {
    std::vector<std::int64_t> v(rows.begin(), rows.end());
    return torch::tensor(v, torch::kLong);
}

DataTensors select_rows(const DataTensors& all, const torch::Tensor& index) {
    return {all.x.index_select(0, index), all.y.index_select(0, index),
            all.target.index_select(0, index), all.w.index_select(0, index)};
}

/// Per-row BCE with logits (or focal) against targets `y` in [0, 1], times the row weights `w`,
/// averaged.
torch::Tensor task_loss(const torch::Tensor& logit, const torch::Tensor& y, const torch::Tensor& w,
                        float gamma) {
    auto loss = torch::softplus(logit) - y * logit;
    if (gamma > 0.0F) {
        const auto p = torch::sigmoid(logit);
        const auto p_true = y * p + (1 - y) * (1 - p);
        loss = loss * (1 - p_true).pow(gamma);
    }
    return (loss * w).mean();
}

Losses losses(const detail::ForwardOut& f, const DataTensors& d, const MoeConfig& c, float gamma) {
    Losses l;
    l.task = task_loss(f.logit, d.target, d.w, gamma);
    if (c.is_dense()) {
        l.balance = l.z = torch::zeros({}, torch::kFloat);
    } else {
        // Switch: f_i = share of routed slots that went to expert i, P_i = mean gate prob.
        const auto e = static_cast<double>(c.total_experts());
        const auto share = f.selected.mean(1) / static_cast<double>(c.active_experts());
        l.balance = c.balance_alpha * e * (share * f.gate_probs.mean(1)).sum();
        l.z = c.z_loss_coef * torch::logsumexp(f.gate_logits, 0).pow(2).mean();
    }
    l.total = l.task + l.balance + l.z;
    return l;
}

/// One training run: the state that lives across epochs.
class Trainer {
public:
    Trainer(const MoeConfig& config, const TrainOptions& options, DataTensors train,
            DataTensors val, NetParams params, std::uint64_t seed)
        : config_(config),
          options_(options),
          train_(std::move(train)),
          val_(std::move(val)),
          params_(std::move(params)),
          masks_(detail::masks_for(config)),
          generator_(at::detail::createCPUGenerator(seed)),
          optimizer_(trainable(params_, options.uniform_gate),
                     torch::optim::AdamWOptions(options.learning_rate)
                         .weight_decay(options.weight_decay)) {}

    /// Runs the epochs; returns the best parameters and fills `history`.
    NetParams run(detail::Rng& rng, std::vector<EpochReport>& history, std::size_t& best_epoch);

private:
    /// The parameters the optimiser updates: all of them, less a uniform gate (zeroed here).
    static std::vector<torch::Tensor> trainable(NetParams& p, bool uniform_gate) {
        const bool fixed = uniform_gate && p.gate_w.defined();
        if (fixed) {
            p.gate_w.zero_();
            p.gate_b.zero_();
        }
        std::vector<torch::Tensor> out;
        for (auto& t : p.all()) {
            if (fixed && (t.is_same(p.gate_w) || t.is_same(p.gate_b))) continue;
            out.push_back(t.requires_grad_(true));
        }
        return out;
    }
    void train_epoch(std::vector<std::int64_t>& order, detail::Rng& rng, EpochReport& report);
    void evaluate(EpochReport& report);
    void mask_gradients();

    const MoeConfig& config_;
    const TrainOptions& options_;
    DataTensors train_;
    DataTensors val_;
    NetParams params_;
    detail::GroupMasks masks_;
    at::Generator generator_;
    torch::optim::AdamW optimizer_;
};

void Trainer::mask_gradients() {
    for (std::size_t g = 0; g < masks_.size(); ++g) {
        if (masks_[g].defined()) params_.group_w[g].grad().mul_(masks_[g]);
    }
}

void Trainer::train_epoch(std::vector<std::int64_t>& order, detail::Rng& rng, EpochReport& report) {
    rng.shuffle(order);
    const auto e = static_cast<std::int64_t>(config_.total_experts());
    auto routed = torch::zeros({e}, torch::kDouble);
    double sums[4] = {0, 0, 0, 0};
    const detail::ForwardOptions fo{config_.active_experts(), true, config_.gate_noise_std,
                                    config_.dropout, generator_};
    const auto n = static_cast<std::int64_t>(order.size());
    const auto batch = static_cast<std::int64_t>(options_.batch_size);
    for (std::int64_t start = 0; start < n; start += batch) {
        const auto b = std::min(batch, n - start);
        const auto index = torch::from_blob(order.data() + start, {b}, torch::kLong);
        const auto d = select_rows(train_, index);
        const auto f = detail::forward(params_, d.x, fo);
        const auto l = losses(f, d, config_, options_.focal_gamma);
        optimizer_.zero_grad();
        l.total.backward();
        mask_gradients();
        optimizer_.step();
        const auto weight = static_cast<double>(b);
        for (int i = 0; const auto* t : {&l.total, &l.task, &l.balance, &l.z}) {
            sums[i++] += t->item<double>() * weight;
        }
        routed += f.selected.detach().sum(1).to(torch::kDouble);
    }
    report.train_loss = sums[0] / static_cast<double>(n);
    report.train_task_loss = sums[1] / static_cast<double>(n);
    report.balance_loss = sums[2] / static_cast<double>(n);
    report.z_loss = sums[3] / static_cast<double>(n);
    routed /= static_cast<double>(n);
    report.train_utilisation.assign(routed.data_ptr<double>(), routed.data_ptr<double>() + e);
}

void Trainer::evaluate(EpochReport& report) {
    report.val_loss = report.val_pr_auc = report.val_roc_auc = kNaN;
    const auto n = val_.x.size(0);
    if (n == 0) return;
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> logits;
    auto routed = torch::zeros({static_cast<std::int64_t>(config_.total_experts())});
    const detail::ForwardOptions fo{config_.active_experts()};
    for (std::int64_t start = 0; start < n; start += kEvalChunk) {
        const auto f =
            detail::forward(params_, val_.x.narrow(0, start, std::min(kEvalChunk, n - start)), fo);
        logits.push_back(f.logit);
        routed += f.selected.sum(1);
    }
    const auto logit = torch::cat(logits);
    report.val_loss = task_loss(logit, val_.y, val_.w, options_.focal_gamma).item<double>();
    const auto prob = torch::sigmoid(logit).contiguous();
    const auto y = val_.y.contiguous();
    const std::span<const float> p(prob.data_ptr<float>(), static_cast<std::size_t>(n));
    const std::span<const float> labels(y.data_ptr<float>(), static_cast<std::size_t>(n));
    report.val_pr_auc = average_precision(p, labels);
    report.val_roc_auc = roc_auc(p, labels);
    routed /= static_cast<double>(n);
    report.val_utilisation.assign(routed.data_ptr<float>(),
                                  routed.data_ptr<float>() + routed.numel());
}

NetParams Trainer::run(detail::Rng& rng, std::vector<EpochReport>& history,
                       std::size_t& best_epoch) {
    std::vector<std::int64_t> order(static_cast<std::size_t>(train_.x.size(0)));
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int64_t>(i);
    NetParams best = params_.to(torch::kCPU, true);
    double best_score = -std::numeric_limits<double>::infinity();
    std::size_t stale = 0;
    for (std::size_t epoch = 1; epoch <= options_.max_epochs; ++epoch) {
        EpochReport report;
        report.epoch = epoch;
        train_epoch(order, rng, report);
        evaluate(report);
        const bool use_ap =
            options_.stop_metric == StopMetric::kPrAuc && !std::isnan(report.val_pr_auc);
        const double score = std::isnan(report.val_loss) ? static_cast<double>(epoch)
                             : use_ap                    ? report.val_pr_auc
                                                         : -report.val_loss;
        report.best = score > best_score + 1e-6;
        if (report.best) {
            best_score = score;
            best = params_.to(torch::kCPU, true);
            best_epoch = epoch;
            stale = 0;
        } else {
            ++stale;
        }
        history.push_back(report);
        if (options_.on_epoch) options_.on_epoch(report);
        if (stale >= options_.patience && !std::isnan(report.val_loss)) break;
    }
    return best;
}

DataTensors to_tensors(const TrainData& data, const detail::Normalisation& norm,
                       std::vector<float>& weights, float distill_weight) {
    const auto n = static_cast<std::int64_t>(data.labels.size());
    const auto f = static_cast<std::int64_t>(norm.mean.size());
    auto* rows = const_cast<float*>(data.rows.data());
    auto* labels = const_cast<float*>(data.labels.data());
    auto* mean = const_cast<float*>(norm.mean.data());
    auto* stdev = const_cast<float*>(norm.std.data());
    const auto x = (torch::from_blob(rows, {n, f}, torch::kFloat) -
                    torch::from_blob(mean, {f}, torch::kFloat)) /
                   torch::from_blob(stdev, {f}, torch::kFloat);
    const auto y = torch::from_blob(labels, {n}, torch::kFloat).clone();
    auto target = y;
    if (distill_weight > 0.0F) {
        auto* teacher = const_cast<float*>(data.teacher.data());
        target = (1.0F - distill_weight) * y +
                 distill_weight * torch::from_blob(teacher, {n}, torch::kFloat);
    }
    return {x.contiguous(), y, target.contiguous(),
            torch::from_blob(weights.data(), {n}, torch::kFloat).clone()};
}

core::Result<Model> to_model(const MoeConfig& config, const NetParams& params,
                             const detail::Normalisation& norm) {
    auto tensors = detail::tensors_from_params(config, params);
    const auto f = static_cast<std::int64_t>(config.n_features);
    tensors["norm.mean"] = HostTensor{{f}, norm.mean};
    tensors["norm.std"] = HostTensor{{f}, norm.std};
    return Model::from_tensors(config, std::move(tensors), {});
}

}  // namespace

core::Result<TrainResult> train(const MoeConfig& config, const TrainData& data,
                                const TrainOptions& options) {
    if (auto r = validate(config); !r) return fail(r.error());
    if (auto r = detail::check_options(options); !r) return fail(r.error());
    if (auto r = detail::check_data(config, data); !r) return fail(r.error());
    if (options.distill_weight > 0.0F && data.teacher.empty()) {
        return fail(Errc::kInvalidArgument,
                    "train: distill_weight > 0 needs teacher probabilities");
    }
    detail::Rng rng(options.seed);
    const auto split = detail::stratified_split(data.labels, options.validation_fraction, rng);
    std::size_t positives = 0;
    for (auto i : split.train) positives += data.labels[i] == 1.0F;
    if (positives == 0 || positives == split.train.size()) {
        return fail(Errc::kInvalidArgument, "train: the training split needs both classes");
    }
    const auto norm = detail::fit_normalisation(data.rows, config.n_features, split.train);
    auto weights = detail::loss_weights(data, split, options.class_weighting);
    auto initial = Model::initialise(config, rng.next());
    if (!initial) return fail(initial.error());
    const std::uint64_t torch_seed = rng.next();
    try {
        const ThreadScope threads(options.threads);
        const auto all = to_tensors(data, norm, weights, options.distill_weight);
        Trainer trainer(config, options, select_rows(all, index_tensor(split.train)),
                        select_rows(all, index_tensor(split.val)),
                        detail::params_from_model(*initial), torch_seed);
        TrainResult result{*initial, {}, 0, split.val};
        std::sort(result.validation_rows.begin(), result.validation_rows.end());
        const auto best = trainer.run(rng, result.history, result.best_epoch);
        auto model = to_model(config, best, norm);
        if (!model) return fail(model.error());
        result.model = std::move(*model);
        return result;
    } catch (const std::exception& e) {
        return fail(Errc::kInternal, std::string("train: LibTorch failed: ") + e.what());
    }
}

}  // namespace mfd::models
