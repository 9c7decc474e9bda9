using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ContivKsr.TestSupport.Consul;

/// <summary>
/// PUT /v1/txn with KV operations: applied atomically (200 with Results) or rolled back as a whole
/// (409 with every failed operation in Errors). More than 64 operations is a 413, as in Consul.
/// </summary>
internal sealed class ConsulTxnEndpoint(ConsulState state)
{
    public const int MaxOperations = 64;

    /// <summary>Consul's default txn_max_req_len (the suggested raft entry size).</summary>
    public const int MaxRequestBytes = 512 * 1024;

    private static readonly HashSet<string> WriteVerbs = ["set", "cas", "lock", "unlock", "delete", "delete-tree", "delete-cas"];

    public async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Method != "PUT")
        {
            throw new ConsulEmulatorException(405, $"method {context.Request.Method} not allowed on /v1/txn");
        }

        var body = await ConsulHttp.ReadBodyAsync(context, MaxRequestBytes, size => $"Request body({size} bytes) too large, max size: {MaxRequestBytes} bytes");
        List<TxnOpJson> operations;
        try
        {
            operations = JsonSerializer.Deserialize<List<TxnOpJson>>(body, EmulatorJson.Options) ?? [];
        }
        catch (JsonException e)
        {
            throw new ConsulEmulatorException(400, $"Failed to parse body: {e.Message}");
        }

        if (operations.Count > MaxOperations)
        {
            throw new ConsulEmulatorException(413, $"Transaction contains too many operations ({operations.Count} > {MaxOperations})");
        }

        var kvOperations = new List<TxnKvJson>(operations.Count);
        foreach (var operation in operations)
        {
            if (operation.Kv is null)
            {
                throw new ConsulEmulatorException(400, "Failed to parse body: this emulator implements only KV operations in transactions");
            }

            if (operation.Kv.Value is { Length: > ConsulHttp.MaxValueSize } value)
            {
                throw new ConsulEmulatorException(413, $"Value for key \"{operation.Kv.Key}\" is too large ({value.Length} > {ConsulHttp.MaxValueSize} bytes)");
            }

            kvOperations.Add(operation.Kv);
        }

        var response = kvOperations.Any(o => WriteVerbs.Contains(o.Verb))
            ? state.Apply(scope => Run(scope, kvOperations))
            : RunReadOnly(kvOperations);
        await ConsulHttp.WriteJsonAsync(context, response.Errors is null ? 200 : 409, response);
    }

    /// <summary>A transaction without writes is answered like a read in Consul: no raft apply, no new index.</summary>
    private TxnResponseJson RunReadOnly(List<TxnKvJson> operations)
    {
        lock (state.Gate)
        {
            var scope = new ConsulWriteScope(state, state.RaftIndex);
            return Run(scope, operations);
        }
    }

    private TxnResponseJson Run(ConsulWriteScope scope, List<TxnKvJson> operations)
    {
        var results = new List<TxnResultJson>();
        var errors = new List<TxnErrorJson>();
        for (var i = 0; i < operations.Count; i++)
        {
            try
            {
                foreach (var (entry, withValue) in Apply(scope, operations[i]))
                {
                    results.Add(new TxnResultJson { Kv = entry.ToJson(withValue) });
                }
            }
            catch (ConsulEmulatorException e)
            {
                // Consul keeps going and reports every failed operation, then rolls everything back.
                errors.Add(new TxnErrorJson { OpIndex = i, What = e.Message });
            }
        }

        if (errors.Count > 0)
        {
            scope.Rollback();
            return new TxnResponseJson { Errors = errors };
        }

        return new TxnResponseJson { Results = results };
    }

    private IEnumerable<(EmulatedEntry Entry, bool WithValue)> Apply(ConsulWriteScope scope, TxnKvJson op)
    {
        var key = op.Key;
        var value = op.Value ?? [];
        switch (op.Verb)
        {
            case "set":
                return [(ConsulKvOperations.Set(scope, key, value, op.Flags), false)];
            case "cas":
                var written = ConsulKvOperations.Cas(scope, key, value, op.Flags, op.Index)
                    ?? throw Fail($"failed to set key \"{key}\", index is stale");
                return [(written, false)];
            case "lock":
                var locked = ConsulKvOperations.Lock(scope, state, key, value, op.Flags, op.Session ?? "")
                    ?? throw Fail($"failed to lock key \"{key}\", lock is already held");
                return [(locked, false)];
            case "unlock":
                var unlocked = ConsulKvOperations.Unlock(scope, key, value, op.Flags, op.Session ?? "")
                    ?? throw Fail($"failed to unlock key \"{key}\", lock isn't held, or is held by another session");
                return [(unlocked, false)];
            case "get":
                return [(scope.Get(key) ?? throw Fail($"key \"{key}\" doesn't exist"), true)];
            case "get-tree":
                return scope.Tree(key).Select(e => (e, true)).ToList();
            case "check-index":
                var indexed = scope.Get(key) ?? throw Fail($"key \"{key}\" doesn't exist");
                return indexed.ModifyIndex == op.Index ? [(indexed, false)] : throw Fail($"current modify index {indexed.ModifyIndex} != {op.Index}");
            case "check-session":
                var held = scope.Get(key) ?? throw Fail($"key \"{key}\" doesn't exist");
                return held.Session == op.Session ? [(held, false)] : throw Fail($"failed session check for key \"{key}\", current session \"{held.Session}\" != \"{op.Session}\"");
            case "check-not-exists":
                return scope.Get(key) is null ? [] : throw Fail($"key \"{key}\" exists");
            case "delete":
                scope.Delete(key);
                return [];
            case "delete-tree":
                ConsulKvOperations.DeleteTree(scope, key);
                return [];
            case "delete-cas":
                return ConsulKvOperations.DeleteCas(scope, key, op.Index) ? [] : throw Fail($"failed to delete key \"{key}\", index is stale");
            default:
                throw Fail($"unknown KV verb \"{op.Verb}\"");
        }
    }

    private static ConsulEmulatorException Fail(string what) => new(409, what);
}
