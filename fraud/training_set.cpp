#include "fraud/training_set.hpp"

#include <algorithm>

namespace mfd::fraud {

void TrainingSet::append(const TrainingSet& other, std::size_t i) {
    float row[kFeatures];  // `other` may be this set: copy before growing
    std::copy_n(other.rows.values.data() + i * kFeatures, kFeatures, row);
    const GroupMask mask = other.rows.masks[i];
    const float label = other.labels[i];
    const float weight = other.weights.empty() ? 1.0F : other.weights[i];
    rows.values.insert(rows.values.end(), row, row + kFeatures);
    rows.masks.push_back(mask);
    labels.push_back(label);
    weights.push_back(weight);
}

void mask_group(std::span<float> row, Group g) {
    const GroupSpan span = group_span(g);
    std::fill_n(row.begin() + static_cast<std::ptrdiff_t>(span.offset), span.size, 0.0F);
}

double unit_hash(std::uint64_t key, std::uint64_t seed) noexcept {
    std::uint64_t z = key + seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
}

std::vector<std::size_t> add_masked_copies(TrainingSet& set, double share, std::uint64_t seed) {
    std::vector<std::size_t> sources;
    if (set.weights.empty()) set.weights.assign(set.size(), 1.0F);
    const std::size_t n = set.size();
    for (Group g : {Group::kAccount, Group::kSignature, Group::kState}) {
        const auto bit = static_cast<GroupMask>(1U << static_cast<unsigned>(g));
        for (std::size_t i = 0; i < n; ++i) {
            if (!(set.rows.masks[i] & bit)) continue;
            if (unit_hash(i * 4 + static_cast<std::uint64_t>(g), seed) >= share) continue;
            set.append(set, i);
            sources.push_back(i);
            const std::size_t last = set.size() - 1;
            mask_group({set.rows.values.data() + last * kFeatures, kFeatures}, g);
            set.rows.masks[last] &= static_cast<GroupMask>(~bit);
        }
    }
    return sources;
}

}  // namespace mfd::fraud
