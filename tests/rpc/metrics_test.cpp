#include "plugin/rpc/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "tests/rpc/prometheus_text.hpp"

namespace mfd::rpc {
namespace {

TEST(Metrics, CounterGaugeAndHistogramRenderAsPrometheusText) {
    Registry r;
    auto* requests = *r.counter("app_requests_total", "Requests served");
    auto* temperature = *r.gauge("app_temperature", "Degrees, with \\ and\nnewline");
    auto* latency = *r.histogram("app_latency_seconds", "Latency", {0.1, 0.5, 1});
    requests->inc();
    requests->inc(4);
    temperature->set(21.5);
    temperature->add(-1.25);
    for (double v : {0.0625, 0.125, 0.25, 2.0}) latency->observe(v);
    const std::string text = r.render();
    EXPECT_EQ(text,
              "# HELP app_latency_seconds Latency\n"
              "# TYPE app_latency_seconds histogram\n"
              "app_latency_seconds_bucket{le=\"0.1\"} 1\n"
              "app_latency_seconds_bucket{le=\"0.5\"} 3\n"
              "app_latency_seconds_bucket{le=\"1\"} 3\n"
              "app_latency_seconds_bucket{le=\"+Inf\"} 4\n"
              "app_latency_seconds_sum 2.4375\n"
              "app_latency_seconds_count 4\n"
              "# HELP app_requests_total Requests served\n"
              "# TYPE app_requests_total counter\n"
              "app_requests_total 5\n"
              "# HELP app_temperature Degrees, with \\\\ and\\nnewline\n"
              "# TYPE app_temperature gauge\n"
              "app_temperature 20.25\n");
    EXPECT_TRUE(test::parse_prometheus(text).errors.empty());
}

TEST(Metrics, LabelValuesAreEscaped) {
    Registry r;
    auto* family = *r.counter_family("hits_total", "Hits", {"path", "code"});
    (*family->with({"/a\"b\\c\nd", "200"}))->inc();
    const std::string text = r.render();
    EXPECT_NE(text.find("hits_total{path=\"/a\\\"b\\\\c\\nd\",code=\"200\"} 1\n"),
              std::string::npos)
        << text;
    const auto e = test::parse_prometheus(text);
    EXPECT_TRUE(e.errors.empty());
    EXPECT_EQ(e.value("hits_total", {{"path", "/a\"b\\c\nd"}, {"code", "200"}}), 1);
}

TEST(Metrics, LabelledHistogramsKeepSeriesApart) {
    Registry r;
    auto* family = *r.histogram_family("op_seconds", "Ops", {"op"}, {1, 2});
    (*family->with({"read"}))->observe(1.5);
    (*family->with({"write"}))->observe(3);
    const auto e = test::parse_prometheus(r.render());
    EXPECT_TRUE(e.errors.empty());
    EXPECT_EQ(e.value("op_seconds_bucket", {{"op", "read"}, {"le", "2"}}), 1);
    EXPECT_EQ(e.value("op_seconds_bucket", {{"op", "write"}, {"le", "2"}}), 0);
    EXPECT_EQ(e.value("op_seconds_count", {{"op", "write"}}), 1);
}

TEST(Metrics, WrongLabelCountIsAnError) {
    Registry r;
    auto* family = *r.counter_family("x_total", "X", {"a"});
    EXPECT_FALSE(family->with({}));
    EXPECT_FALSE(family->with({"1", "2"}));
    EXPECT_TRUE(family->with({"1"}));
}

TEST(Metrics, RegistrationRules) {
    Registry r;
    auto first = r.counter("same_total", "x");
    ASSERT_TRUE(first);
    auto again = r.counter("same_total", "other help is fine");
    ASSERT_TRUE(again);
    EXPECT_EQ(*first, *again);
    EXPECT_FALSE(r.gauge("same_total", "x"));                  // another kind
    EXPECT_FALSE(r.counter_family("same_total", "x", {"l"}));  // other labels
    EXPECT_FALSE(r.counter("9starts_with_digit", "x"));
    EXPECT_FALSE(r.counter("has-dash", "x"));
    EXPECT_FALSE(r.counter("", "x"));
    EXPECT_TRUE(r.counter("ns:with_colon", "x"));
    EXPECT_FALSE(r.counter_family("l_total", "x", {"__reserved"}));
    EXPECT_FALSE(r.counter_family("l_total", "x", {"a", "a"}));
    EXPECT_FALSE(r.counter_family("l_total", "x", {"a:b"}));
    EXPECT_FALSE(r.histogram_family("h", "x", {"le"}));
    EXPECT_FALSE(r.histogram("h", "x", {1, 1}));
    EXPECT_FALSE(r.histogram("h", "x", {2, 1}));
    EXPECT_FALSE(r.histogram("h", "x", {1, INFINITY}));
    EXPECT_TRUE(r.histogram("h", "x", {1, 2}));
    EXPECT_FALSE(r.histogram("h", "x", {1, 3}));  // other buckets
}

TEST(Metrics, HistogramEdges) {
    Histogram h({1, 2});
    h.observe(1);   // bounds are inclusive
    h.observe(-5);  // below every bound: first bucket
    h.observe(1e300);
    h.observe(NAN);  // ignored
    const auto s = h.snapshot();
    EXPECT_EQ(s.cumulative, (std::vector<std::uint64_t>{2, 2, 3}));
    EXPECT_EQ(s.count, 3u);
}

TEST(Metrics, SpecialValuesUseGoSyntax) {
    Registry r;
    (*r.gauge("g_inf", "x"))->set(INFINITY);
    (*r.gauge("g_nan", "x"))->set(NAN);
    (*r.gauge("g_neg", "x"))->set(-INFINITY);
    const std::string text = r.render();
    EXPECT_NE(text.find("g_inf +Inf\n"), std::string::npos);
    EXPECT_NE(text.find("g_nan NaN\n"), std::string::npos);
    EXPECT_NE(text.find("g_neg -Inf\n"), std::string::npos);
    EXPECT_TRUE(test::parse_prometheus(text).errors.empty());
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
    Registry r;
    auto* c = *r.counter("c_total", "x");
    auto* g = *r.gauge("g", "x");
    auto* h = *r.histogram("h_seconds", "x");
    auto* family = *r.counter_family("f_total", "x", {"t"});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10000; ++i) {
                c->inc();
                g->add(1);
                h->observe(0.001);
                (*family->with({std::to_string(t % 2)}))->inc();
                if (i % 1000 == 0) (void)r.render();
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(c->value(), 40000u);
    EXPECT_EQ(g->value(), 40000.0);
    EXPECT_EQ(h->snapshot().count, 40000u);
    EXPECT_NEAR(h->snapshot().sum, 40.0, 1e-6);
    const auto e = test::parse_prometheus(r.render());
    EXPECT_TRUE(e.errors.empty());
    EXPECT_EQ(e.value("f_total", {{"t", "0"}}) + e.value("f_total", {{"t", "1"}}), 40000);
}

TEST(PrometheusReader, RejectsMalformedText) {
    // The checker used by the server tests must itself catch mistakes.
    for (const char* bad : {"x 1",            // no trailing newline
                            "x{a=\"1\" 1\n",  // unclosed labels
                            "x{a=1} 1\n",     // unquoted value
                            "x abc\n",        // bad value
                            "# TYPE x counter\n# TYPE x counter\nx 1\n",
                            "x 1\n# TYPE x counter\n",  // TYPE after samples
                            "x 1\nx 1\n",               // duplicate series
                            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n"
                            "h_sum 1\nh_count 1\n",  // not cumulative
                            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n"}) {
        EXPECT_FALSE(test::parse_prometheus(bad).errors.empty()) << bad;
    }
    EXPECT_TRUE(
        test::parse_prometheus("# TYPE x counter\nx{a=\"\\\"\"} 1 1700000000\n").errors.empty());
}

}  // namespace
}  // namespace mfd::rpc
