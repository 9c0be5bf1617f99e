// fraudctl train: fit the mixture of experts (and optionally its dense baseline) on simulated
// traffic and/or Etherscan accounts; thresholds from the validation split; one model file out.
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "fraud/evaluation.hpp"
#include "fraud/feature_schema.hpp"
#include "fraud/thresholds.hpp"
#include "fraud/xgboost_baseline.hpp"
#include "models/scorer.hpp"
#include "models/train.hpp"
#include "tools/fraudctl/commands.hpp"
#include "tools/fraudctl/training_rows.hpp"

namespace mfd::tools {
namespace {

struct TrainCommandOptions {
    std::vector<std::string> data;
    std::vector<std::string> features;
    std::vector<std::string> calibrate;
    std::vector<std::string> hooks = {"check_tx", "extend_vote"};
    std::string eth_txs;
    std::string eth_labels;
    AccountSplit split;
    double eth_weight = 1.0;
    std::string out;
    std::string dense_out;
    std::uint64_t seed = 1;
    std::size_t epochs = 40;
    std::size_t batch = 512;
    std::size_t patience = 6;
    float lr = 3e-3F;
    std::vector<std::size_t> experts = {2, 3, 1};
    std::size_t top_k = 2;
    std::vector<std::size_t> hidden = {24};
    double mask_share = 0.02;
    float balance_alpha = 0.02F;
    int threads = 2;
    std::string shared = "none";
    float gate_noise = 1.0F;
    double no_balance_share = 0.0;
    bool uniform_gate = false;
    float distill = 0.0F;
    std::size_t distill_folds = 5;
};

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "fraudctl train: " << message << "\n";
    throw CLI::RuntimeError(kExitUsage);
}

/// The pooled training rows; `is_sim[i]` for the rows of simulated traffic; `groups[i]` keys
/// the teacher's folds (an Etherscan row's account, else the row itself); `teacher` the
/// teacher's out-of-fold probabilities with --distill.
struct Pool {
    fraud::TrainingSet set;
    std::vector<std::uint8_t> is_sim;
    std::vector<std::uint64_t> groups;
    std::vector<float> teacher;
    nlohmann::json sources = nlohmann::json::array();
};

/// Appends `rows`; `accounts` (Etherscan rows) gives each row's account, else each row is its
/// own group.
void add_rows(Pool& pool, const fraud::TrainingSet& rows, bool sim,
              const std::vector<core::Address>* accounts = nullptr) {
    const auto keys = accounts != nullptr ? account_keys(*accounts) : std::vector<std::uint64_t>{};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        pool.groups.push_back(keys.empty() ? (1ULL << 63) | pool.set.size() : keys[i]);
        pool.set.append(rows, i);
        pool.is_sim.push_back(sim ? 1 : 0);
    }
}

/// --distill: XGBoost's out-of-fold probability of every pooled row
/// (fraud::out_of_fold_predictions).
void add_teacher(const TrainCommandOptions& o, Pool& pool) {
    if (o.distill <= 0.0F) return;
    std::cerr << "train: teacher: XGBoost out-of-fold probabilities (" << o.distill_folds
              << " folds) of " << pool.set.size() << " rows\n";
    auto p = fraud::out_of_fold_predictions(pool.set.rows.values, fraud::kFeatures, pool.set.labels,
                                            pool.set.weights, pool.groups, o.distill_folds,
                                            {.seed = o.seed, .threads = o.threads});
    if (!p) usage_error(p.error().to_string());
    pool.teacher = std::move(*p);
}

/// Forgets the balances of about `share` of the events (as a caller without chain state would
/// score them), so that "balance known" does not tell simulated from imported rows.
void drop_balances(LabelledEvents& data, double share, std::uint64_t seed) {
    if (share <= 0 || data.contexts.empty()) return;
    std::mt19937_64 gen(seed ^ 0x62616c616e636573ULL);
    for (auto& ctx : data.contexts) {
        if (static_cast<double>(gen() >> 11) * 0x1.0p-53 < share) ctx = fraud::TxContext{};
    }
}

void load_sim(const TrainCommandOptions& o, Pool& pool) {
    for (const auto& source : o.data) {
        auto data = load_simulated(source);
        if (!data) usage_error(source + ": " + data.error().to_string());
        drop_balances(*data, o.no_balance_share, o.seed);
        auto rows = replay_rows(*data);
        if (!rows) usage_error(source + ": " + rows.error().to_string());
        add_rows(pool, *rows, true);
        std::cerr << "train: " << source << ": " << rows->size() << " transactions\n";
        pool.sources.push_back({{"sim", source}, {"rows", rows->size()}});
    }
}

void load_features(const TrainCommandOptions& o, Pool& pool) {
    if (o.features.empty()) return;
    auto rows = feature_log_rows(o.features, o.hooks);
    if (!rows) usage_error(rows.error().to_string());
    add_rows(pool, *rows, true);
    std::cerr << "train: feature logs: " << rows->size() << " served rows\n";
    pool.sources.push_back({{"feature_logs", o.features}, {"rows", rows->size()}});
}

void load_eth(const TrainCommandOptions& o, Pool& pool) {
    if (o.eth_txs.empty()) return;
    auto all = load_etherscan(o.eth_txs, o.eth_labels);
    if (!all) usage_error(all.error().to_string());
    const auto data = select(*all, training_accounts(*all, o.split));
    auto rows = replay_rows(data);
    if (!rows) usage_error(rows.error().to_string());
    const double sim_rows = static_cast<double>(pool.set.size());
    const double total = sim_rows > 0 ? sim_rows * o.eth_weight : static_cast<double>(rows->size());
    weigh_accounts(*rows, data.accounts, total);
    add_rows(pool, *rows, false, &data.accounts);
    std::cerr << "train: etherscan: " << rows->size() << " rows of the training accounts\n";
    pool.sources.push_back({{"etherscan", o.eth_txs},
                            {"rows", rows->size()},
                            {"split", split_kind_name(o.split.kind)},
                            {"split_seed", o.split.seed},
                            {"inner_split_seed", o.split.inner_seed},
                            {"holdout_fraction", o.split.holdout_fraction}});
}

void print_epoch(const models::EpochReport& r) {
    std::fprintf(stderr,
                 "epoch %3zu  loss %.4f (task %.4f bal %.4f z %.4f)  val loss %.4f "
                 "pr-auc %.4f roc-auc %.4f%s\n",
                 r.epoch, r.train_loss, r.train_task_loss, r.balance_loss, r.z_loss, r.val_loss,
                 r.val_pr_auc, r.val_roc_auc, r.best ? "  *" : "");
}

models::TrainOptions train_options(const TrainCommandOptions& o) {
    models::TrainOptions t;
    t.seed = o.seed;
    t.max_epochs = o.epochs;
    t.batch_size = o.batch;
    t.learning_rate = o.lr;
    t.patience = o.patience;
    t.threads = o.threads;
    t.uniform_gate = o.uniform_gate;
    t.distill_weight = o.distill;
    t.on_epoch = print_epoch;
    return t;
}

/// Thresholds for kThresholdFprs (0.05 %..1 %) on the calibration logs' rows (--calibrate: served
/// rows of a run the model did not train on) or else on the validation rows (simulated ones when
/// there are).
std::vector<fraud::ThresholdPoint> choose_thresholds(const models::Model& model, const Pool& pool,
                                                     const std::vector<std::size_t>& val,
                                                     const TrainCommandOptions& o) {
    std::vector<float> rows;
    std::vector<float> labels;
    if (!o.calibrate.empty()) {
        auto served = feature_log_rows(o.calibrate, o.hooks);
        if (!served) usage_error(served.error().to_string());
        rows = std::move(served->rows.values);
        labels = std::move(served->labels);
    } else {
        const bool any_sim = std::any_of(val.begin(), val.end(), [&](std::size_t i) {
            return i < pool.is_sim.size() && pool.is_sim[i];
        });
        for (std::size_t i : val) {
            if (any_sim && !(i < pool.is_sim.size() && pool.is_sim[i])) continue;
            const auto row = pool.set.rows.row(i);
            rows.insert(rows.end(), row.begin(), row.end());
            labels.push_back(pool.set.labels[i]);
        }
    }
    auto points = thresholds_on(model, rows, labels);
    if (!points) usage_error(points.error().to_string());
    return *points;
}

models::Model fit(const models::MoeConfig& config, const Pool& pool, const TrainCommandOptions& o,
                  const std::string& what, const std::string& path) {
    std::cerr << "train: " << what << " on " << pool.set.size() << " rows\n";
    auto result = models::train(
        config, {pool.set.rows.values, pool.set.labels, pool.set.weights, pool.teacher},
        train_options(o));
    if (!result) usage_error(result.error().to_string());
    const auto& best = result->history[result->best_epoch - 1];
    const auto points = choose_thresholds(result->model, pool, result->validation_rows, o);
    nlohmann::json metrics = {{"best_epoch", result->best_epoch},
                              {"val_pr_auc", best.val_pr_auc},
                              {"val_roc_auc", best.val_roc_auc},
                              {"val_utilisation", best.val_utilisation},
                              {"rows", pool.set.size()},
                              {"seed", o.seed},
                              {"sources", pool.sources},
                              {"calibration", o.calibrate},
                              {"distill", o.distill},
                              {"distill_folds", o.distill_folds}};
    models::Model model = result->model;
    model.set_info(
        {std::string(fraud::kSchemaVersion), fraud::thresholds_json(points), metrics.dump()});
    if (auto saved = model.save(path); !saved) usage_error(saved.error().to_string());
    std::cerr << "train: wrote " << path << " (best epoch " << result->best_epoch
              << ", validation PR-AUC " << best.val_pr_auc << ")\n";
    return model;
}

/// The columns named by --shared: "none", "avail" (every group's availability bit), or a
/// comma-separated list of groups ("tx,state").
std::vector<std::size_t> shared_columns(const std::string& names) {
    std::vector<std::size_t> cols;
    if (names == "none") return cols;
    if (names == "avail") {
        for (std::size_t g = 0; g < fraud::kGroups; ++g) {
            cols.push_back(fraud::group_span(static_cast<fraud::Group>(g)).offset);
        }
        return cols;
    }
    for (std::size_t start = 0; start <= names.size();) {
        const std::size_t comma = std::min(names.find(',', start), names.size());
        const std::string name = names.substr(start, comma - start);
        bool found = false;
        for (std::size_t g = 0; g < fraud::kGroups && !found; ++g) {
            const auto span = fraud::group_span(static_cast<fraud::Group>(g));
            if (span.name != name) continue;
            found = true;
            for (std::size_t c = span.offset; c < span.offset + span.size; ++c) cols.push_back(c);
        }
        if (!found) {
            usage_error(
                "--shared takes none, avail or groups (tx, account, signature, state) "
                "separated by commas, not '" +
                names + "'");
        }
        start = comma + 1;
    }
    return cols;
}

void run_train(const TrainCommandOptions& o) {
    if (o.data.empty() && o.features.empty() && o.eth_txs.empty()) {
        usage_error("give --features, --data and/or --etherscan-txs");
    }
    if (!o.eth_txs.empty() && o.eth_labels.empty()) usage_error("--etherscan-labels is required");
    if (o.experts.size() != 3 && o.experts.size() != 4) {
        usage_error("--experts takes three or four counts: tx,account,signature[,state]");
    }
    if (o.hidden.empty()) usage_error("--hidden needs at least one width");
    if (o.uniform_gate && o.top_k != 0) {
        usage_error("--uniform-gate mixes every expert: give --top-k 0");
    }
    if (o.distill < 0.0F || o.distill > 1.0F) usage_error("--distill takes a weight in [0, 1]");
    if (o.distill > 0.0F && o.distill_folds < 2) usage_error("--distill-folds must be >= 2");
    Pool pool;
    load_features(o, pool);
    load_sim(o, pool);
    load_eth(o, pool);
    for (auto source : fraud::add_masked_copies(pool.set, o.mask_share, o.seed)) {
        pool.groups.push_back(pool.groups[source]);
    }
    add_teacher(o, pool);
    auto config = fraud::schema_config(
        {o.experts[0], o.experts[1], o.experts[2], o.experts.size() > 3 ? o.experts[3] : 0},
        o.top_k, o.hidden.front());
    config.hidden = o.hidden;
    config.balance_alpha = o.balance_alpha;
    config.shared_columns = shared_columns(o.shared);
    config.gate_noise_std = o.gate_noise;
    if (auto valid = models::validate(config); !valid) usage_error(valid.error().to_string());
    (void)fit(config, pool, o, "mixture of experts", o.out);
    if (!o.dense_out.empty()) {
        (void)fit(models::dense_baseline(config), pool, o, "dense baseline", o.dense_out);
    }
}

}  // namespace

void add_train_command(CLI::App& app) {
    auto o = std::make_shared<TrainCommandOptions>();
    CLI::App* cmd = app.add_subcommand(
        "train",
        "Train the fraud detector's mixture of experts on labelled simulator traffic "
        "and/or Etherscan accounts (deterministic for a seed on the CPU)");
    cmd->add_option("--data", o->data,
                    "simulator streams (.jsonl.gz) or sim:SEED:ACCOUNTS:TXS:FRAUD_RATE");
    cmd->add_option("--features", o->features,
                    "labelled feature logs of running chains (chain_sim run --feature-log): "
                    "train on the rows the plugin served");
    cmd->add_option("--calibrate", o->calibrate,
                    "labelled feature logs of another run to choose the thresholds on");
    cmd->add_option("--hooks", o->hooks, "which scoring hooks' rows of the feature logs to use")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_option("--etherscan-txs", o->eth_txs, "Etherscan txlist CSV (gzip or plain)");
    cmd->add_option("--etherscan-labels", o->eth_labels, "address,label CSV");
    cmd->add_option("--split-seed", o->split.seed, "seed of the account hold-out split")
        ->capture_default_str();
    cmd->add_option_function<std::string>(
           "--split",
           [o](const std::string& name) {
               const auto kind = parse_split_kind(name);
               if (!kind) throw CLI::ValidationError("--split", "random or temporal");
               o->split.kind = *kind;
           },
           "random (by --split-seed) or temporal: within each class, the Etherscan accounts "
           "whose first transaction comes latest are held out")
        ->default_str("random");
    cmd->add_option("--holdout-fraction", o->split.holdout_fraction,
                    "share of Etherscan accounts held out of training")
        ->capture_default_str();
    cmd->add_option("--inner-split-seed", o->split.inner_seed,
                    "also leave out a selection part of the training accounts (0: none)")
        ->capture_default_str();
    cmd->add_option("--shared", o->shared,
                    "columns every expert sees besides its group: none, avail (the availability "
                    "bits) or groups separated by commas (tx, account, signature, state)")
        ->capture_default_str();
    cmd->add_option("--etherscan-weight", o->eth_weight,
                    "total weight of Etherscan rows relative to the simulated rows")
        ->capture_default_str();
    cmd->add_option("--out", o->out, "model file to write")->required();
    cmd->add_option("--dense-out", o->dense_out,
                    "also train the dense baseline of equal active parameters into this file");
    cmd->add_option("--seed", o->seed, "seed of weights, split and shuffles")
        ->capture_default_str();
    cmd->add_option("--epochs", o->epochs, "maximum epochs")->capture_default_str();
    cmd->add_option("--batch", o->batch, "mini-batch rows")->capture_default_str();
    cmd->add_option("--patience", o->patience, "epochs without improvement before stopping")
        ->capture_default_str();
    cmd->add_option("--lr", o->lr, "learning rate")->capture_default_str();
    cmd->add_option("--experts", o->experts,
                    "experts per group: tx,account,signature[,state] (state: 0 by default)")
        ->delimiter(',')
        ->expected(3, 4);
    cmd->add_option("--top-k", o->top_k, "experts per row (0: dense gating)")
        ->capture_default_str();
    cmd->add_option("--hidden", o->hidden, "hidden layer widths of each expert (e.g. 32 or 32,16)")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_option("--balance-alpha", o->balance_alpha, "load-balancing loss coefficient")
        ->capture_default_str();
    cmd->add_option("--no-balance-share", o->no_balance_share,
                    "share of simulated rows scored without sender/recipient balances")
        ->capture_default_str();
    cmd->add_option("--gate-noise", o->gate_noise, "std of the gate's training noise")
        ->capture_default_str();
    cmd->add_flag("--uniform-gate", o->uniform_gate,
                  "hold the gate at zero: every expert mixed with equal weights (with --top-k 0; "
                  "the uniform-gate row of eval --ablations)");
    cmd->add_option("--distill", o->distill,
                    "λ in [0, 1]: train towards (1 - λ)·label + λ·XGBoost's out-of-fold "
                    "probability of the row (0: labels only)")
        ->capture_default_str();
    cmd->add_option(
           "--distill-folds", o->distill_folds,
           "folds of the teacher's out-of-fold probabilities (an account's rows share one)")
        ->capture_default_str();
    cmd->add_option("--mask-share", o->mask_share,
                    "share of rows copied with a group masked (missing-feature training)")
        ->capture_default_str();
    cmd->add_option("--threads", o->threads, "LibTorch threads")->capture_default_str();
    cmd->callback([o] { run_train(*o); });
}

}  // namespace mfd::tools
