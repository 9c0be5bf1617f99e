// ethers.js against a running `chain_sim run --serve`: reads the chain, signs and sends a
// transfer with the dev account's key, waits for its receipt, and calls an ERC20's read
// functions. Usage: node ethers_test.mjs http://127.0.0.1:PORT 0xDEV_KEY
// Exits 0 when every check passed; prints what failed otherwise.
import { Contract, JsonRpcProvider, Wallet, parseEther, parseUnits } from "ethers";

const [url, key] = process.argv.slice(2);
if (!url || !key) {
    console.error("usage: node ethers_test.mjs RPC_URL DEV_PRIVATE_KEY");
    process.exit(2);
}

const erc20Abi = [
    "function name() view returns (string)",
    "function symbol() view returns (string)",
    "function totalSupply() view returns (uint256)",
    "function balanceOf(address) view returns (uint256)",
];

function check(condition, what) {
    if (!condition) throw new Error(`check failed: ${what}`);
}

// The first contract deployed on the chain that answers ERC20's name().
async function findToken(provider, head) {
    for (let n = 1; n <= head; n++) {
        const block = await provider.getBlock(n, true);
        for (const tx of block.prefetchedTransactions) {
            if (tx.to !== null) continue;
            const receipt = await provider.getTransactionReceipt(tx.hash);
            if (!receipt?.contractAddress) continue;
            const token = new Contract(receipt.contractAddress, erc20Abi, provider);
            try {
                await token.name();
                return token;
            } catch {
                // another kind of contract
            }
        }
    }
    return null;
}

async function main() {
    const provider = new JsonRpcProvider(url, undefined, { pollingInterval: 200 });
    const network = await provider.getNetwork();
    check(network.chainId === 1337n, `chainId 1337, got ${network.chainId}`);
    const head = await provider.getBlockNumber();
    check(head >= 1, `a committed block, got height ${head}`);

    const wallet = new Wallet(key, provider);
    const balance = await provider.getBalance(wallet.address);
    check(balance > parseEther("1"), `a funded dev account, got ${balance}`);

    const to = "0x00000000000000000000000000000000000000aa";
    const before = await provider.getBalance(to);
    // Fees like the traffic's (fee caps around 40 gwei): the detector compares a transaction's
    // fees with the pool's median, and one paying a fortieth of the going rate is flagged and
    // kept out by the validators (docs/simulator.md, "Wallets").
    const tx = await wallet.sendTransaction({
        to,
        value: parseEther("1.5"),
        maxFeePerGas: parseUnits("40", "gwei"),
        maxPriorityFeePerGas: parseUnits("1.5", "gwei"),
    });
    const receipt = await tx.wait(1, 60000);
    check(receipt.status === 1, `a successful receipt, got status ${receipt.status}`);
    check(receipt.hash === tx.hash, "the receipt of the sent transaction");
    const after = await provider.getBalance(to);
    check(after - before === parseEther("1.5"), `1.5 ether received, got ${after - before}`);
    const mined = await provider.getBlock(receipt.blockNumber);
    check(mined.transactions.includes(tx.hash), "the block lists the transaction");

    const token = await findToken(provider, head);
    check(token !== null, "an ERC20 deployed by the traffic");
    const [name, symbol, supply] = await Promise.all([
        token.name(),
        token.symbol(),
        token.totalSupply(),
    ]);
    check(name.length > 0 && symbol.length > 0, "ERC20 name and symbol");
    check(supply > 0n, "a positive total supply");
    console.log(JSON.stringify({
        chainId: network.chainId.toString(), head, sent: tx.hash, block: receipt.blockNumber,
        token: await token.getAddress(), name, symbol, supply: supply.toString(),
    }));
}

main().then(() => process.exit(0), (e) => {
    console.error(e?.stack ?? String(e));
    process.exit(1);
});
