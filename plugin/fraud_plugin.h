/*
 * fraud_plugin.h: the C ABI of the fraud-detection validator plugin (libfraud_plugin.so).
 *
 * A node loads the library with dlopen, looks up the one exported symbol `fraud_plugin_api`
 * (FP_ENTRY_SYMBOL), and calls it with the ABI version it was built against. The plugin answers
 * with a table of function pointers, or NULL when it cannot serve that version. Everything
 * crossing the boundary is a plain C struct, a byte buffer or a NUL-terminated UTF-8 string, so a
 * node built with another compiler or language can use it. The plugin never throws across the
 * boundary, never calls exit/abort on bad input, and keeps no pointer the host passed after a
 * call returns.
 *
 * Threading: one instance (fp_plugin) may be called from several threads at once; every call
 * is thread-safe unless its comment says otherwise. Several instances may live in one process
 * (the chain simulator runs one per validator); each needs its own data directory.
 *
 * Memory: the host owns every buffer it passes; output buffers are sized by the host, and calls
 * that write variable-length output report the size they need (FP_ERR_BUFFER_TOO_SMALL).
 *
 * Scores: a probability (float, 0..1) and, wherever a score is carried as an integer (vote
 * extensions, committed flags), basis points 0..FP_MAX_SCORE, the scale of the consensus
 * engine's fraud flags.
 *
 * Budgets and failure policy (docs/plugin.md): check_tx, score_batch, prepare_proposal and
 * extend_vote score on a worker thread with the hook's latency budget. When the model throws,
 * fails or overruns, the hook still answers by the configured policy and marks the result
 * degraded: "fail-open" accepts and flags nothing, "fail-closed" rejects and flags. The
 * deterministic hooks (process_proposal, verify_vote_extension, finalize_block) never consult
 * the model and always run to completion; their budget is only measured.
 */
#ifndef MFD_FRAUD_PLUGIN_H
#define MFD_FRAUD_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes. Incremented on every incompatible change; fields
   appended to the end of fp_api (with struct_size growing) do not change it. */
#define FP_ABI_VERSION 1u

/* Passing FP_ABI_PROBE to the entry point returns the plugin's own table whatever its version,
   so that a host can report the version it found. Only abi_version, struct_size, name and
   version may be read from a probed table whose abi_version differs from the host's. */
#define FP_ABI_PROBE 0u

/* The name of the one exported symbol (a function of type fp_get_api_fn). */
#define FP_ENTRY_SYMBOL "fraud_plugin_api"

/* The largest integer score (basis points: probability x 10000, rounded). */
#define FP_MAX_SCORE 10000u

/* Size of fp_check_result.reason, the NUL included. */
#define FP_REASON_LEN 64

typedef struct fp_plugin fp_plugin; /* an opaque plugin instance */

typedef enum fp_status {
    FP_OK = 0,
    FP_ERR_INVALID_ARGUMENT = 1, /* a NULL pointer, a zero-length required buffer, ... */
    FP_ERR_CONFIG = 2,           /* the JSON config is malformed or has a bad value */
    FP_ERR_MODEL = 3,            /* the model file is missing, truncated or mismatching */
    FP_ERR_DECODE = 4,           /* a raw transaction does not decode */
    FP_ERR_TIMEOUT = 5,          /* the hook's latency budget ran out (policy applied) */
    FP_ERR_BUFFER_TOO_SMALL = 6, /* an output buffer is too small; the needed size is reported */
    FP_ERR_NOT_FOUND = 7,        /* a query found nothing */
    FP_ERR_STORAGE = 8,          /* the data directory cannot be opened or written */
    FP_ERR_INTERNAL = 9,         /* a bug; the message says what */
    FP_ERR_RPC = 10              /* query: the method failed; out holds the JSON-RPC error */
} fp_status;

typedef enum fp_verdict { FP_ACCEPT = 0, FP_REJECT = 1 } fp_verdict;

typedef struct fp_bytes {
    const uint8_t* data;
    size_t len;
} fp_bytes;

typedef struct fp_hash {
    uint8_t bytes[32];
} fp_hash;

typedef struct fp_address {
    uint8_t bytes[20];
} fp_address;

/* The plugin's verdict on one transaction. */
typedef struct fp_score {
    fp_hash tx_hash;     /* Keccak-256 of the raw bytes (zero when they do not decode) */
    float probability;   /* model probability of fraud, 0..1 */
    uint16_t score_bp;   /* the probability in basis points, 0..FP_MAX_SCORE */
    uint8_t flagged;     /* 1 when probability >= the configured threshold (or by the policy) */
    uint8_t degraded;    /* 1 when the failure policy decided instead of the model */
    uint32_t latency_us; /* time spent on this transaction (a batch's time / its size) */
    int32_t status;      /* fp_status of this transaction's scoring */
} fp_score;

/* Mempool admission of one raw transaction. */
typedef struct fp_check_result {
    fp_verdict verdict; /* FP_REJECT for undecodable or stateless-invalid transactions, for
                           flagged ones when the config says "reject_flagged", and for every
                           degraded one under "fail-closed" */
    fp_score score;
    char reason[FP_REASON_LEN]; /* "" when accepted without remark; otherwise the rule's name
                                   ("INVALID_CHAINID", "RLP_EOF", "OVERSIZED"), "FLAGGED",
                                   "TIMEOUT" or "SCORING_FAILED" */
} fp_check_result;

/* One flag in a vote extension. */
typedef struct fp_flag {
    fp_hash tx_hash;
    uint16_t score; /* basis points, 1..FP_MAX_SCORE */
} fp_flag;

/* What the host's chain state says of a transaction's two accounts before it executes: the
   sender's and the recipient's balance (big-endian wei) and account nonce. The *_with_state
   hooks take one per transaction; a hook given none (or an old host calling the hooks without
   state) scores with the state features masked, and the explanation says so. */
#define FP_STATE_SENDER 1u    /* sender_* are set */
#define FP_STATE_RECIPIENT 2u /* recipient_* are set (the transaction has a recipient) */

typedef struct fp_tx_state {
    uint32_t known; /* FP_STATE_* bits */
    uint64_t sender_nonce;
    uint8_t sender_balance[32];
    uint64_t recipient_nonce;
    uint8_t recipient_balance[32];
} fp_tx_state;

/* Why the host refused a transaction before scoring it (report_refusal). */
#define FP_REFUSED_NONCE_TOO_LOW 1u      /* its nonce is below the sender's account nonce */
#define FP_REFUSED_INSUFFICIENT_FUNDS 2u /* the sender cannot pay value + gas limit x fee cap */
#define FP_REFUSED_OTHER 3u              /* any other chain or pool rule */

/* The consensus outcome of a flagged transaction, as finalize_block reports it. */
typedef struct fp_committed_flag {
    fp_hash tx_hash;
    int64_t flagged_power; /* stake of the validators that flagged it */
    int64_t total_power;   /* stake of the whole validator set */
    uint16_t mean_score;   /* stake-weighted mean of the flaggers' scores, basis points */
    uint8_t excluded;      /* 1 when the flagged share reached the exclusion threshold */
} fp_committed_flag;

/* A committed block, as finalize_block sees it. */
typedef struct fp_block {
    uint64_t height; /* >= 1; heights at or below the last applied are skipped */
    fp_hash block_hash;
    int64_t time_ms;          /* the block's timestamp (simulated or wall clock) */
    const fp_bytes* executed; /* raw transactions executed by the block, in order */
    size_t n_executed;
    const fp_committed_flag* flags; /* consensus outcome of the flagged transactions */
    size_t n_flags;
} fp_block;

typedef struct fp_api {
    uint32_t abi_version; /* FP_ABI_VERSION the plugin was built with */
    uint32_t struct_size; /* sizeof(fp_api) in the plugin's build */
    const char* name;     /* "moe-fraud" */
    const char* version;  /* the plugin's version, e.g. "0.1.0" */

    /* Creates an instance from a JSON config (docs/plugin.md lists every key: model, device,
       threshold, target_fpr, budgets_us, failure_policy, data_dir, chain_id, max_flags,
       reject_flagged, rpc, ...). Opens (creating) the data directory, loads the model and starts
       the JSON-RPC server when asked. On failure writes a message into err (NUL-terminated,
       truncated to err_len; err may be NULL) and returns FP_ERR_CONFIG (naming the key),
       FP_ERR_MODEL, FP_ERR_STORAGE or FP_ERR_INVALID_ARGUMENT. */
    fp_status (*create)(const char* config_json, fp_plugin** out, char* err, size_t err_len);
    /* Stops the instance's RPC server and workers, closes its data directory and frees it.
       NULL is a no-op. Not thread-safe with other calls on the same instance. */
    void (*destroy)(fp_plugin* plugin);

    /* Mempool admission: decodes, checks the stateless rules and scores within the check_tx
       budget. Never fails on bad transaction bytes: those are FP_REJECT with a reason. Returns
       FP_ERR_INVALID_ARGUMENT for NULL pointers only; a timeout is FP_OK with the policy's
       verdict, degraded = 1 and score.status = FP_ERR_TIMEOUT. */
    fp_status (*check_tx)(fp_plugin* plugin, fp_bytes raw, fp_check_result* out);
    /* Scores n transactions in one batch (out has n entries) within the score_batch budget.
       Undecodable ones get status FP_ERR_DECODE in their entry; the call itself fails only on
       bad arguments. */
    fp_status (*score_batch)(fp_plugin* plugin, const fp_bytes* raws, size_t n, fp_score* out);

    /* ABCI++-shaped hooks. prepare_proposal orders the candidates: it writes into order[] a
       permutation of 0..n-1 (lowest local fraud score first, ties in the given order) and sets
       keep[i] = 0 for the ones it would rather not announce: locally flagged ones when the
       config says "reject_flagged", undecodable or stateless-invalid ones, and all of them when
       scoring fails under "fail-closed". */
    fp_status (*prepare_proposal)(fp_plugin* plugin, uint64_t height, const fp_bytes* raws,
                                  size_t n, uint32_t* order, uint8_t* keep);
    /* The plugin's deterministic check of a proposed block's transactions: *out = FP_ACCEPT
       when every one decodes, is at most the size cap and passes the stateless rules, else
       FP_REJECT. Model scores never decide it. */
    fp_status (*process_proposal)(fp_plugin* plugin, uint64_t height, const fp_bytes* raws,
                                  size_t n, fp_verdict* out);
    /* This validator's flags on a block's candidate transactions: the locally flagged ones,
       at most min(cap, max_flags) of them (the highest scores; ties: the smaller hash), written
       strictly ascending by tx hash (the consensus wire order), their count into n_out. */
    fp_status (*extend_vote)(fp_plugin* plugin, uint64_t height, const fp_bytes* raws, size_t n,
                             fp_flag* flags, size_t cap, size_t* n_out);
    /* Checks another validator's flags: height >= 1, at most max_flags, strictly ascending by
       tx hash (so no duplicates), scores at most FP_MAX_SCORE. Deterministic. */
    fp_status (*verify_vote_extension)(fp_plugin* plugin, fp_address validator, uint64_t height,
                                       const fp_flag* flags, size_t n, fp_verdict* out);
    /* Applies a committed block: adds the executed transactions to the account histories and
       stores the consensus outcome of the flags and the height, in one atomic write to the data
       directory. A height at or below the last applied one is skipped (FP_OK). Fails with
       FP_ERR_STORAGE when the write fails (nothing of the block is kept then). Calls are
       serialised internally. */
    fp_status (*finalize_block)(fp_plugin* plugin, const fp_block* block);

    /* Runs a JSON-RPC method of the plugin (every fraud_* method the RPC server serves, see
       docs/rpc.md) without HTTP: params_json is the params array or object (NULL: none). On
       FP_OK out holds the result as JSON ("null" when the method found nothing); on FP_ERR_RPC
       it holds the JSON-RPC error object {"code","message"[,"data"]} (unknown method: -32601).
       *needed gets the size the answer needs, NUL included; with FP_ERR_BUFFER_TOO_SMALL
       nothing was written and the host calls again with a larger buffer. */
    fp_status (*query)(fp_plugin* plugin, const char* method, const char* params_json, char* out,
                       size_t cap, size_t* needed);
    /* Loads a new model file and swaps it in without stopping scoring: calls in progress finish
       on the old model, later ones use the new one. On failure (FP_ERR_MODEL) the old model
       stays and err says why. */
    fp_status (*reload_model)(fp_plugin* plugin, const char* path, char* err, size_t err_len);
    /* "host:port" of the instance's JSON-RPC server, or "" when it serves none. */
    fp_status (*rpc_endpoint)(fp_plugin* plugin, char* out, size_t cap);

    /* The message of the last call on this thread that returned an error (any instance), into
       out (NUL-terminated, truncated to cap); returns its length. "" when none. */
    size_t (*last_error)(char* out, size_t cap);
    /* The instance's metrics in the Prometheus text format 0.0.4 (what its GET /metrics serves),
       for hosts that publish them themselves. *needed and FP_ERR_BUFFER_TOO_SMALL as query. */
    fp_status (*metrics)(fp_plugin* plugin, char* out, size_t cap, size_t* needed);

    /* Appended after ABI version 1's first table (a host reads them only when struct_size
       covers them; FP_API_STATE_SIZE): the scoring hooks with the host's state of each
       transaction's accounts, states[i] for raws[i] (states NULL: none, as the hooks above).
       Otherwise as check_tx, score_batch, prepare_proposal and extend_vote. */
    fp_status (*check_tx_with_state)(fp_plugin* plugin, fp_bytes raw, const fp_tx_state* state,
                                     fp_check_result* out);
    fp_status (*score_batch_with_state)(fp_plugin* plugin, const fp_bytes* raws,
                                        const fp_tx_state* states, size_t n, fp_score* out);
    fp_status (*prepare_proposal_with_state)(fp_plugin* plugin, uint64_t height,
                                             const fp_bytes* raws, const fp_tx_state* states,
                                             size_t n, uint32_t* order, uint8_t* keep);
    fp_status (*extend_vote_with_state)(fp_plugin* plugin, uint64_t height, const fp_bytes* raws,
                                        const fp_tx_state* states, size_t n, fp_flag* flags,
                                        size_t cap, size_t* n_out);

    /* Appended after the state hooks (a host calls it only when struct_size covers it;
       FP_API_REFUSAL_SIZE): the host refused `raw` at admission for `reason` (FP_REFUSED_*)
       without asking check_tx. A nonce-too-low refusal of a transaction that no finalised
       block executed counts against its sender: a conflicting copy of a spent nonce is how a
       replayed or stale transaction shows (the sender.stale_refused feature); it is kept with
       the next finalize_block. Other reasons are counted in the metrics only. Returns
       FP_ERR_INVALID_ARGUMENT for NULL pointers, an unknown reason or oversized bytes,
       FP_ERR_DECODE for bytes that do not decode, FP_ERR_STORAGE when the history cannot be
       read; nothing changes then. */
    fp_status (*report_refusal)(fp_plugin* plugin, fp_bytes raw, uint32_t reason);
} fp_api;

/* The size of the table up to the first field after `metrics`: a plugin whose struct_size is
   this serves ABI version 1 without the state hooks; every later field needs more. */
#define FP_API_V1_SIZE (offsetof(fp_api, check_tx_with_state))
/* The size a table needs for the *_with_state hooks. */
#define FP_API_STATE_SIZE (offsetof(fp_api, extend_vote_with_state) + sizeof(void*))
/* The size a table needs for report_refusal. */
#define FP_API_REFUSAL_SIZE (offsetof(fp_api, report_refusal) + sizeof(void*))

/* The exported entry point: returns the plugin's table when it can serve host_abi_version,
   NULL otherwise (see FP_ABI_PROBE). */
typedef const fp_api* (*fp_get_api_fn)(uint32_t host_abi_version);

#ifdef __cplusplus
}
#endif

#endif /* MFD_FRAUD_PLUGIN_H */
