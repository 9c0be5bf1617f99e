// Dispatcher, metrics and single-connection HTTP figures. Load with many connections is
// measured with wrk (bench/rpc/run_wrk.sh).

#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "plugin/rpc/dispatcher.hpp"
#include "plugin/rpc/metrics.hpp"
#include "plugin/rpc/server.hpp"

namespace {

using json = nlohmann::json;
namespace net = boost::asio;
namespace http = boost::beast::http;

constexpr std::string_view kCall = R"({"jsonrpc":"2.0","method":"eth_chainId","params":[],"id":1})";

mfd::rpc::MethodResult chain_id(const json&, const mfd::rpc::CallContext&) {
    return "0x539";
}

void BM_DispatchSingle(benchmark::State& state) {
    mfd::rpc::Dispatcher d;
    if (!d.add("eth_chainId", chain_id)) state.SkipWithError("add failed");
    for (auto _ : state) benchmark::DoNotOptimize(d.handle(kCall));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DispatchSingle);

void BM_DispatchSingleWithMetrics(benchmark::State& state) {
    mfd::rpc::Registry registry;
    mfd::rpc::Dispatcher d({}, &registry);
    if (!d.add("eth_chainId", chain_id)) state.SkipWithError("add failed");
    for (auto _ : state) benchmark::DoNotOptimize(d.handle(kCall));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DispatchSingleWithMetrics);

void BM_DispatchBatch(benchmark::State& state) {
    mfd::rpc::Dispatcher d;
    if (!d.add("eth_chainId", chain_id)) state.SkipWithError("add failed");
    json batch = json::array();
    for (int i = 0; i < state.range(0); ++i) batch.push_back(json::parse(kCall));
    const std::string body = batch.dump();
    for (auto _ : state) benchmark::DoNotOptimize(d.handle(body));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DispatchBatch)->Arg(10)->Arg(100);

void BM_DispatchParseError(benchmark::State& state) {
    mfd::rpc::Dispatcher d;
    for (auto _ : state) benchmark::DoNotOptimize(d.handle(R"({"jsonrpc":"2.0","method")"));
}
BENCHMARK(BM_DispatchParseError);

void BM_DeepNestingRefused(benchmark::State& state) {
    mfd::rpc::Dispatcher d;
    const std::string body(1024 * 1024, '[');
    for (auto _ : state) benchmark::DoNotOptimize(d.handle(body));
}
BENCHMARK(BM_DeepNestingRefused);

void BM_CounterInc(benchmark::State& state) {
    static mfd::rpc::Registry registry;
    static auto* counter = *registry.counter("bench_total", "x");
    for (auto _ : state) counter->inc();
}
BENCHMARK(BM_CounterInc)->Threads(1)->Threads(2);

void BM_HistogramObserve(benchmark::State& state) {
    static mfd::rpc::Registry registry;
    static auto* h = *registry.histogram("bench_seconds", "x");
    double v = 0;
    for (auto _ : state) h->observe(v += 1e-5);
}
BENCHMARK(BM_HistogramObserve)->Threads(1)->Threads(2);

void BM_FamilyLookup(benchmark::State& state) {
    mfd::rpc::Registry registry;
    auto* family = *registry.counter_family("bench_labelled_total", "x", {"method", "outcome"});
    for (auto _ : state) benchmark::DoNotOptimize(family->with({"eth_chainId", "ok"}));
}
BENCHMARK(BM_FamilyLookup);

void BM_RenderRegistry(benchmark::State& state) {
    mfd::rpc::Registry registry;
    auto* family = *registry.histogram_family("bench_method_seconds", "x", {"method"});
    for (int i = 0; i < 20; ++i) (*family->with({"m" + std::to_string(i)}))->observe(0.001);
    for (auto _ : state) benchmark::DoNotOptimize(registry.render());
}
BENCHMARK(BM_RenderRegistry);

/// One keep-alive connection, one request at a time: the latency floor of a round trip.
void BM_HttpRoundTrip(benchmark::State& state) {
    spdlog::set_level(spdlog::level::warn);
    mfd::rpc::Dispatcher d;
    if (!d.add("eth_chainId", chain_id)) state.SkipWithError("add failed");
    mfd::rpc::ServerOptions options;
    options.port = 0;
    options.io_threads = 1;
    options.worker_threads = static_cast<std::size_t>(state.range(0));
    mfd::rpc::Server server(d, options);
    if (!server.start()) return state.SkipWithError("server did not start");
    net::io_context ioc;
    boost::beast::tcp_stream stream(ioc);
    stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
    stream.socket().set_option(net::ip::tcp::no_delay(true));
    http::request<http::string_body> req{http::verb::post, "/", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    req.body() = std::string(kCall);
    req.prepare_payload();
    boost::beast::flat_buffer buffer;
    for (auto _ : state) {
        http::write(stream, req);
        http::response<http::string_body> res;
        http::read(stream, buffer, res);
        benchmark::DoNotOptimize(res.body().data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HttpRoundTrip)->Arg(0)->Arg(2)->UseRealTime();

}  // namespace
