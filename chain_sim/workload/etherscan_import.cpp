#include "chain_sim/workload/etherscan_import.hpp"

#include <algorithm>
#include <map>
#include <queue>
#include <unordered_map>

#include "chain_sim/workload/csv_reader.hpp"
#include "chain_sim/workload/etherscan_row.hpp"
#include "chain_sim/workload/labels.hpp"

namespace mfd::chain::workload {
namespace {

using detail::ParsedRow;
using Order = std::vector<std::size_t>;

void note_bad(EtherscanImport& out, std::size_t line, std::string reason, std::size_t max) {
    ++out.bad_row_count;
    if (out.bad_rows.size() < max) out.bad_rows.push_back({line, std::move(reason)});
}

/// Reads every row; rows of one account keep their file order in `by_account`.
core::Result<std::vector<ParsedRow>> read_rows(const EtherscanOptions& options,
                                               EtherscanImport& out,
                                               std::vector<Order>& by_account) {
    auto csv = CsvReader::open(options.txs);
    if (!csv) return core::fail(csv.error());
    auto header = csv->next();
    if (!header) return core::fail(header.error());
    if (!*header) return core::fail(core::Errc::kCorruption, options.txs.string() + ": empty");
    auto columns = detail::etherscan_columns(**header);
    if (!columns) {
        return core::fail(core::Errc::kCorruption,
                          options.txs.string() + ":1: " + columns.error().message);
    }
    const std::size_t width = (*header)->fields.size();
    std::vector<ParsedRow> rows;
    std::unordered_map<std::string, std::size_t> account_index;
    for (;;) {
        auto record = csv->next();
        if (!record) return core::fail(record.error());
        if (!*record) break;
        ++out.rows_read;
        const CsvRecord& r = **record;
        if (!r.problem.empty()) {
            note_bad(out, r.line, r.problem, options.max_reported_bad_rows);
            continue;
        }
        if (r.fields.size() != width) {
            note_bad(
                out, r.line,
                std::to_string(r.fields.size()) + " fields, header has " + std::to_string(width),
                options.max_reported_bad_rows);
            continue;
        }
        auto row = detail::parse_etherscan_row(r.fields, *columns, options.account);
        if (!row) {
            note_bad(out, r.line, row.error().message, options.max_reported_bad_rows);
            continue;
        }
        row->info.line = r.line;
        auto [it, fresh] = account_index.emplace(row->event.account, by_account.size());
        if (fresh) by_account.emplace_back();
        by_account[it->second].push_back(rows.size());
        rows.push_back(std::move(*row));
    }
    return rows;
}

/// Within one block, rows of one sender take the positions they occupy in nonce order.
void nonce_order_block(Order::iterator begin, Order::iterator end,
                       const std::vector<ParsedRow>& rows) {
    std::map<core::Address, std::vector<Order::iterator>> by_sender;
    for (auto it = begin; it != end; ++it) by_sender[*rows[*it].event.claimed_sender].push_back(it);
    for (auto& [sender, slots] : by_sender) {
        if (slots.size() < 2) continue;
        Order ids;
        for (auto slot : slots) ids.push_back(*slot);
        std::stable_sort(ids.begin(), ids.end(), [&](std::size_t a, std::size_t b) {
            return rows[a].event.tx.nonce < rows[b].event.tx.nonce;
        });
        for (std::size_t i = 0; i < slots.size(); ++i) *slots[i] = ids[i];
    }
}

/// Chain order of one account: block number, then nonce per sender, then file order.
void chain_order(Order& ids, const std::vector<ParsedRow>& rows) {
    std::stable_sort(ids.begin(), ids.end(), [&](std::size_t a, std::size_t b) {
        return rows[a].info.block_number < rows[b].info.block_number;
    });
    for (auto begin = ids.begin(); begin != ids.end();) {
        const std::uint64_t block = rows[*begin].info.block_number;
        auto end = std::find_if(begin, ids.end(),
                                [&](std::size_t i) { return rows[i].info.block_number != block; });
        nonce_order_block(begin, end, rows);
        begin = end;
    }
}

/// A k-way merge of the accounts' sequences by the time of their next row (ties: account
/// order), so each account's chain order survives even if its times are not monotone.
Order merge_by_time(const std::vector<Order>& accounts, const std::vector<ParsedRow>& rows) {
    using Head = std::tuple<std::int64_t, std::size_t, std::size_t>;  // time, account, position
    std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
    for (std::size_t a = 0; a < accounts.size(); ++a) {
        if (!accounts[a].empty()) heads.emplace(rows[accounts[a][0]].event.time_ms, a, 0);
    }
    Order out;
    out.reserve(rows.size());
    while (!heads.empty()) {
        auto [time, a, pos] = heads.top();
        heads.pop();
        out.push_back(accounts[a][pos]);
        if (pos + 1 < accounts[a].size()) {
            heads.emplace(rows[accounts[a][pos + 1]].event.time_ms, a, pos + 1);
        }
    }
    return out;
}

/// Sets each event's label from its account; counts the accounts absent from `labels`.
std::size_t join_labels(std::vector<ParsedRow>& rows, const std::vector<Order>& accounts,
                        const AccountLabels& labels) {
    std::size_t unlabelled = 0;
    for (const Order& ids : accounts) {
        auto address = core::fixed_from_hex<20>(rows[ids.front()].event.account);
        auto it = address ? labels.find(*address) : labels.end();
        if (it == labels.end()) {
            ++unlabelled;
            continue;
        }
        for (std::size_t i : ids) rows[i].event.label = it->second;
    }
    return unlabelled;
}

/// read_labels into `labels`. Out of line: GCC 12 at -O3 reports a false
/// -Wfree-nonheap-object when the Result's destructor is inlined into import_etherscan.
[[gnu::noinline]] core::Result<void> load_labels(const std::filesystem::path& path,
                                                 AccountLabels& labels) {
    auto read = read_labels(path);
    if (!read) return core::fail(read.error());
    labels = std::move(*read);
    return {};
}

}  // namespace

core::Result<EtherscanImport> import_etherscan(const EtherscanOptions& options) {
    AccountLabels labels;
    if (options.labels) {
        if (auto ok = load_labels(*options.labels, labels); !ok) return core::fail(ok.error());
    }
    EtherscanImport out;
    std::vector<Order> accounts;
    auto rows = read_rows(options, out, accounts);
    if (!rows) return core::fail(rows.error());
    for (Order& ids : accounts) chain_order(ids, *rows);
    out.accounts = accounts.size();
    out.unlabelled_accounts =
        options.labels ? join_labels(*rows, accounts, labels) : accounts.size();
    Order order;
    if (options.order == EtherscanOrder::kByTime) {
        order = merge_by_time(accounts, *rows);
    } else {
        for (const Order& ids : accounts) order.insert(order.end(), ids.begin(), ids.end());
    }
    out.events.reserve(order.size());
    out.rows.reserve(order.size());
    for (std::size_t i : order) {
        out.events.push_back(std::move((*rows)[i].event));
        out.rows.push_back((*rows)[i].info);
    }
    return out;
}

}  // namespace mfd::chain::workload
