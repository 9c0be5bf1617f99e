#include "chain_sim/node/node_stats.hpp"

namespace mfd::chain::node {

std::string_view phase_name(Phase phase) noexcept {
    switch (phase) {
    case Phase::kStatelessCheck:
        return "stateless_check";
    case Phase::kStateCheck:
        return "state_check";
    case Phase::kPluginCheckTx:
        return "plugin_check_tx";
    case Phase::kMempool:
        return "mempool";
    case Phase::kPrepare:
        return "plugin_prepare_proposal";
    case Phase::kProcess:
        return "process_proposal";
    case Phase::kExtendVote:
        return "plugin_extend_vote";
    case Phase::kVerifyExtension:
        return "plugin_verify_vote_extension";
    case Phase::kExecute:
        return "execute_block";
    case Phase::kCommit:
        return "commit_block";
    case Phase::kPluginFinalize:
        return "plugin_finalize_block";
    case Phase::kConsensus:
        return "consensus";
    }
    return "unknown";
}

}  // namespace mfd::chain::node
