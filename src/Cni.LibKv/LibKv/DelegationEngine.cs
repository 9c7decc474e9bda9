using System.Text.Json;
using System.Text.Json.Nodes;
using ContivKsr.Cni.Cni;

namespace ContivKsr.Cni.LibKv;

/// <summary>
/// Runs the planned delegates for one attachment: ADD in order with rollback, DEL in reverse order
/// past failures, CHECK in order with cached results as prevResult. The state cache is kept up to
/// date around every step, so whatever happens, a later DEL knows what to undo.
/// </summary>
public sealed class DelegationEngine(CniEnvironment environment, StateCache cache, Log log, TimeSpan timeout)
{
    /// <summary>Adds every delegate; on a failure deletes the ones already added, newest first, and rethrows.</summary>
    /// <returns>The first delegate's result in the state's (libkv's) cniVersion.</returns>
    public byte[] Add(AttachmentState state, JsonNode? runtimeConfig)
    {
        var deadline = DateTime.UtcNow + timeout;
        byte[]? mainResult = null;
        state.Delegates[0].Added = true;
        // Not fsynced: it only has to survive libkv being killed mid-ADD (the page cache does); the
        // record DEL relies on after a crash of the machine is the final, durable write below.
        cache.Write(state, durable: false);
        for (var i = 0; i < state.Delegates.Count; i++)
        {
            var d = state.Delegates[i];
            byte[] output;
            try
            {
                log.Info($"ADD delegate {i} '{d.Type}' ifName={d.IfName}");
                output = Run(d, CniCommand.Add, WithRuntimeConfig(d.Conf, runtimeConfig), deadline);
            }
            catch (CniException e)
            {
                // A delegate whose ADD fails cleans up after itself (spec); the earlier ones are ours to undo.
                d.Added = false;
                log.Error($"ADD delegate {i} '{d.Type}' failed with code {e.Code}: {e.Message}; rolling back {i} delegate(s)");
                RollBack(state, e);
                throw;
            }

            try
            {
                d.Result = ParseResult(output, d.Type);
                mainResult ??= CniResultConverter.Convert(output, d.CniVersion, state.CniVersion, $"delegate '{d.Type}'");
            }
            catch (CniException e)
            {
                log.Error($"ADD delegate {i} '{d.Type}' succeeded but its result is unusable: {e.Message}; rolling back {i + 1} delegate(s)");
                RollBack(state, e);
                throw;
            }

            if (i + 1 < state.Delegates.Count)
            {
                state.Delegates[i + 1].Added = true;
            }

            cache.Write(state, durable: i + 1 == state.Delegates.Count);
        }

        return mainResult!;
    }

    /// <summary>Deletes every delegate that was added, newest first, going on past failures.</summary>
    /// <exception cref="CniException">The failure (or code 105 listing several); the state then keeps only what is left to delete.</exception>
    public void Del(AttachmentState state)
    {
        var failures = DeleteAdded(state, DateTime.UtcNow + timeout);
        Finish(state, failures);
    }

    /// <summary>CHECKs every delegate in order with its cached ADD result as prevResult; the first failure is returned.</summary>
    public void Check(AttachmentState state)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var d in state.Delegates)
        {
            if (!d.Added || (d.Result is null && !state.FromGoLibKv))
            {
                throw new CniException(CniErrorCode.UnknownContainer,
                    $"delegate '{d.Type}' ({d.IfName}) was never added successfully; DEL and ADD again");
            }

            if (!CniVersion.HasCheck(d.CniVersion))
            {
                log.Info($"CHECK skips delegate '{d.Type}' ({d.IfName}): its cniVersion {d.CniVersion} has no CHECK (0.4.0 and later)");
                continue;
            }

            Run(d, CniCommand.Check, WithPrevResult(d, CniCommand.Check), deadline);
        }
    }

    private void RollBack(AttachmentState state, CniException cause)
    {
        // The rollback gets its own deadline: the ADD's may be what just ran out.
        var failures = DeleteAdded(state, DateTime.UtcNow + timeout);
        if (failures.Count == 0)
        {
            cache.Remove(state.Network, state.ContainerId, state.IfName);
            return;
        }

        cache.Write(state);
        log.Error($"rollback left {failures.Count} delegate(s) in place after '{cause.Message}'; a DEL will retry them");
    }

    /// <summary>
    /// DEL in reverse order, then once more for the failures if anything else was deleted meanwhile:
    /// elements of one array can share what only the last of them may remove (two bridge elements of
    /// one network name share the ipMasq chain named after network name and container ID).
    /// </summary>
    private List<(DelegateState Delegate, CniException Error)> DeleteAdded(AttachmentState state, DateTime deadline)
    {
        var (deleted, failures) = DeletePass(state, deadline);
        if (failures.Count > 0 && deleted > 0)
        {
            foreach (var (d, e) in failures)
            {
                log.Info($"DEL delegate '{d.Type}' ({d.IfName}) failed with code {e.Code} ({e.Message}); retrying it now that the other elements are gone");
            }

            (_, failures) = DeletePass(state, deadline);
        }

        foreach (var (d, e) in failures)
        {
            log.Error($"DEL delegate '{d.Type}' ({d.IfName}) failed with code {e.Code}: {e.Message}");
        }

        return failures;
    }

    private (int Deleted, List<(DelegateState Delegate, CniException Error)> Failures) DeletePass(AttachmentState state, DateTime deadline)
    {
        var deleted = 0;
        var failures = new List<(DelegateState, CniException)>();
        for (var i = state.Delegates.Count - 1; i >= 0; i--)
        {
            var d = state.Delegates[i];
            if (!d.Added)
            {
                continue;
            }

            try
            {
                log.Info($"DEL delegate {i} '{d.Type}' ifName={d.IfName}");
                Run(d, CniCommand.Del, WithPrevResult(d, CniCommand.Del), deadline);
                d.Added = false;
                d.Result = null;
                deleted++;
            }
            catch (CniException e)
            {
                failures.Add((d, e));
            }
        }

        return (deleted, failures);
    }

    private void Finish(AttachmentState state, List<(DelegateState Delegate, CniException Error)> failures)
    {
        if (failures.Count == 0)
        {
            cache.Remove(state.Network, state.ContainerId, state.IfName);
            return;
        }

        cache.Write(state);
        if (failures.Count == 1)
        {
            throw failures[0].Error;
        }

        throw new CniException(LibKvErrorCode.SeveralDelegatesFailed,
            $"{failures.Count} delegates failed: " + string.Join("; ", failures.Select(f => $"'{f.Delegate.Type}' ({f.Delegate.IfName}): code {f.Error.Code} {f.Error.Message}")),
            string.Join("\n", failures.Select(f => f.Error.Details).Where(d => d is not null)));
    }

    private byte[] Run(DelegateState d, CniCommand command, JsonObject conf, DateTime deadline) =>
        DelegatePlugin.Run(d.Type, environment.Path, conf, new DelegateEnvironment(
            command, environment.ContainerId, environment.Netns, d.IfName, environment.RawArgs, environment.RawPath), deadline);

    private static JsonObject WithRuntimeConfig(JsonObject conf, JsonNode? runtimeConfig)
    {
        if (runtimeConfig is null || conf.ContainsKey("runtimeConfig"))
        {
            return conf;
        }

        var copy = (JsonObject)conf.DeepClone();
        copy["runtimeConfig"] = runtimeConfig.DeepClone();
        return copy;
    }

    /// <summary>
    /// DEL and CHECK carry the delegate's own ADD result from 0.4.0 on, as libcni passes it: in the
    /// delegate's own cniVersion, converted if it printed another. A DEL whose cached result cannot
    /// be converted goes ahead without it rather than never succeeding.
    /// </summary>
    private JsonObject WithPrevResult(DelegateState d, CniCommand command)
    {
        if (d.Result is null || !CniVersion.HasCheck(d.CniVersion))
        {
            return d.Conf;
        }

        JsonNode prevResult;
        try
        {
            prevResult = CniResultConverter.Convert(d.Result, d.CniVersion, d.CniVersion, $"delegate '{d.Type}'");
        }
        catch (CniException e) when (command == CniCommand.Del)
        {
            log.Warning($"DEL delegate '{d.Type}' without prevResult: its cached result is unusable ({e.Message})");
            return d.Conf;
        }

        var copy = (JsonObject)d.Conf.DeepClone();
        copy["prevResult"] = prevResult.DeepClone();
        return copy;
    }

    private static JsonNode? ParseResult(byte[] output, string type)
    {
        if (output.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(output);
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"delegate '{type}' printed a result that is not JSON: {e.Message}");
        }
    }
}
