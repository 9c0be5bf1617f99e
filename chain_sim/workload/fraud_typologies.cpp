// The table of fraud typologies the generator starts (docs/typologies.md); the weights set how
// often each starts relative to the others.
#include "chain_sim/workload/behaviours.hpp"

namespace mfd::chain::workload::detail {

const std::vector<Typology>& fraud_typologies() {
    static const std::vector<Typology> kAll = {
        {"fraud:drain", 1.0, start_drain},
        {"fraud:phishing", 1.2, start_phishing},
        {"fraud:approval_phishing", 1.0, start_approval_phishing},
        {"fraud:peel_chain", 0.8, start_peel_chain},
        {"fraud:sybil", 0.5, start_sybil},
        {"fraud:wash_trading", 0.6, start_wash_trading},
        {"fraud:nonce_reuse", 0.7, start_nonce_reuse},
        {"fraud:replay", 0.8, start_replay},
        {"fraud:high_s", 1.0, start_high_s},
        {"fraud:sig_mismatch", 1.0, start_sig_mismatch},
    };
    return kAll;
}

}  // namespace mfd::chain::workload::detail
