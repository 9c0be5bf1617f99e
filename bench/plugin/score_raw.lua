-- wrk script: fraud_scoreRawTransaction of distinct raw transactions, read from the file named
-- by the first script argument (one 0x-hex per line), each connection from its own offset.
local bodies = {}
local next_body = 1

function init(args)
    for line in io.lines(args[1]) do
        bodies[#bodies + 1] = '{"jsonrpc":"2.0","id":1,"method":"fraud_scoreRawTransaction",' ..
                              '"params":["' .. line .. '"]}'
    end
    next_body = math.random(#bodies)
end

function request()
    next_body = next_body % #bodies + 1
    return wrk.format("POST", "/", {["Content-Type"] = "application/json"}, bodies[next_body])
end
