-- wrk script: every request is a JSON-RPC POST of a cheap method (eth_chainId).
wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","method":"eth_chainId","params":[],"id":1}'
wrk.headers["Content-Type"] = "application/json"
