#pragma once
/// A bounded map that forgets the least recently written entry first. Thread-safe: every member
/// takes the map's mutex (short critical sections, values are copied out).

#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

namespace mfd::plugin {

template <class K, class V>
class LruMap {
public:
    /// A map of at most `capacity` entries (at least one).
    explicit LruMap(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

    /// Stores `value` under `key` (replacing it) as the most recent entry; true when the key
    /// was not there before.
    bool put(const K& key, V value) {
        std::lock_guard lock(mu_);
        return upsert(key, std::move(value));
    }

    /// Changes the entry of `key` in place with `change(V&)`, creating it from `V{}` first when
    /// absent; it becomes the most recent entry.
    template <class F>
    void update(const K& key, F&& change) {
        std::lock_guard lock(mu_);
        auto it = index_.find(key);
        if (it == index_.end()) {
            upsert(key, V{});
            it = index_.find(key);
        } else {
            order_.splice(order_.begin(), order_, it->second);
        }
        change(it->second->second);
    }

    /// A copy of the value under `key`, std::nullopt when absent.
    [[nodiscard]] std::optional<V> get(const K& key) const {
        std::lock_guard lock(mu_);
        const auto it = index_.find(key);
        if (it == index_.end()) return std::nullopt;
        return it->second->second;
    }

    /// The number of entries.
    [[nodiscard]] std::size_t size() const {
        std::lock_guard lock(mu_);
        return index_.size();
    }

private:
    bool upsert(const K& key, V value) {
        if (auto it = index_.find(key); it != index_.end()) {
            it->second->second = std::move(value);
            order_.splice(order_.begin(), order_, it->second);
            return false;
        }
        order_.emplace_front(key, std::move(value));
        index_.emplace(key, order_.begin());
        if (index_.size() > capacity_) {
            index_.erase(order_.back().first);
            order_.pop_back();
        }
        return true;
    }

    std::size_t capacity_;
    mutable std::mutex mu_;
    std::list<std::pair<K, V>> order_;
    std::unordered_map<K, typename std::list<std::pair<K, V>>::iterator> index_;
};

}  // namespace mfd::plugin
