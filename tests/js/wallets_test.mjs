// Ordinary wallet transfers through a running `chain_sim run --serve`, as three wallet libraries
// send them with their default fees: ethers 6, viem 2 and web3 4, legacy and EIP-1559, from the
// dev account (funded at genesis, old) and from a fresh account. Each must be mined (a receipt
// with status 1) and reported as executed by fraud_getTransactionStatus; none may be flagged.
// Usage: node wallets_test.mjs RPC_URL DEV_PRIVATE_KEY. Exits 0 when every transfer passed;
// prints one JSON line per transfer.
import { JsonRpcProvider, Wallet, parseEther } from "ethers";
import { createPublicClient, createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { Web3 } from "web3";

const [url, devKey] = process.argv.slice(2);
if (!url || !devKey) {
    console.error("usage: node wallets_test.mjs RPC_URL DEV_PRIVATE_KEY");
    process.exit(2);
}

const chain = defineChain({
    id: 1337,
    name: "mfd-chain-sim",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [url] } },
});
const publicClient = createPublicClient({ chain, transport: http(url) });
const provider = new JsonRpcProvider(url, undefined, { pollingInterval: 200 });
const web3 = new Web3(url);

async function rpc(method, params) {
    const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = await response.json();
    if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.result;
}

// The receipt of `hash`, polling up to `ms`; fails at once when the node reports the transaction
// neither pending nor executed (excluded, rejected, dropped).
async function receiptOf(hash, ms = 90000) {
    const until = Date.now() + ms;
    while (Date.now() < until) {
        const receipt = await rpc("eth_getTransactionReceipt", [hash]);
        if (receipt) return receipt;
        const status = await rpc("fraud_getTransactionStatus", [hash]);
        // Executed between the two calls: its receipt is there on the next turn.
        if (status && status.status === "executed") continue;
        if (status && status.status !== "pending") {
            throw new Error(`transaction ${hash} is ${status.status}: ${JSON.stringify(status)}`);
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no receipt for ${hash} after ${ms} ms`);
}

const results = [];

async function transfer(name, send) {
    const hash = await send();
    const receipt = await receiptOf(hash);
    const status = await rpc("fraud_getTransactionStatus", [hash]);
    const tx = await rpc("eth_getTransactionByHash", [hash]);
    const line = {
        name,
        hash,
        type: tx.type,
        fee_cap_gwei: Number(BigInt(tx.maxFeePerGas ?? tx.gasPrice)) / 1e9,
        status: receipt.status,
        fraud: status.status,
        score: status.score,
        flagged: status.flagged,
    };
    console.log(JSON.stringify(line));
    if (receipt.status !== "0x1") throw new Error(`${name}: receipt status ${receipt.status}`);
    if (status.status !== "executed") throw new Error(`${name}: status ${status.status}`);
    if (status.flagged) throw new Error(`${name}: flagged (score ${status.score})`);
    results.push(line);
}

// A wallet created now: funded by the dev account, then sending on its own.
const fresh = Wallet.createRandom();
const dev = new Wallet(devKey, provider);
const devViem = createWalletClient({ account: privateKeyToAccount(devKey), chain, transport: http(url) });
const freshViem = createWalletClient({
    account: privateKeyToAccount(fresh.privateKey),
    chain,
    transport: http(url),
});
web3.eth.accounts.wallet.add(devKey);
const devAddress = dev.address;
const friend = Wallet.createRandom().address;

async function main() {
    await transfer("ethers eip1559 dev->fresh", async () =>
        (await dev.sendTransaction({ to: fresh.address, value: parseEther("3") })).hash);
    await transfer("ethers legacy dev->fresh", async () =>
        (await dev.sendTransaction({ to: fresh.address, value: parseEther("0.25"), type: 0 })).hash);
    await transfer("viem eip1559 dev->friend", () =>
        devViem.sendTransaction({ to: friend, value: parseEther("0.4") }));
    await transfer("viem legacy dev->fresh", () =>
        devViem.sendTransaction({ to: fresh.address, value: parseEther("0.1"), type: "legacy" }));
    await transfer("web3 eip1559 dev->friend", async () => {
        const r = await web3.eth.sendTransaction({ from: devAddress, to: friend, value: web3.utils.toWei("0.2", "ether") });
        return r.transactionHash;
    });
    await transfer("web3 legacy dev->fresh", async () => {
        const gasPrice = await web3.eth.getGasPrice();
        const r = await web3.eth.sendTransaction({
            from: devAddress, to: fresh.address, value: web3.utils.toWei("0.05", "ether"), type: 0, gasPrice,
        });
        return r.transactionHash;
    });
    const freshEthers = fresh.connect(provider);
    await transfer("ethers eip1559 fresh->friend", async () =>
        (await freshEthers.sendTransaction({ to: friend, value: parseEther("0.5") })).hash);
    await transfer("viem legacy fresh->dev", () =>
        freshViem.sendTransaction({ to: devAddress, value: parseEther("0.3"), type: "legacy" }));
    await transfer("ethers legacy fresh->friend", async () =>
        (await freshEthers.sendTransaction({ to: friend, value: parseEther("0.2"), type: 0 })).hash);
    const balance = await publicClient.getBalance({ address: friend });
    if (balance !== parseEther("1.3")) throw new Error(`friend holds ${balance}, not 1.3 ether`);
    console.log(JSON.stringify({ passed: results.length }));
}

main().then(
    () => process.exit(0),
    (e) => {
        console.error(e.stack || String(e));
        process.exit(1);
    },
);
