using System.Text.Json.Nodes;
using ContivKsr.Cni.Cni;
using ContivKsr.Kv;
using ContivKsr.Kv.Stores;

namespace ContivKsr.Cni.LibKv;

/// <summary>
/// The libkv meta-plugin: loads the NetConf array for a container from the store and delegates
/// each element in order. ADD reads the store; DEL and CHECK work from the state cache and touch
/// the store only when the cache has no entry (DEL) — so DEL works with the store down.
/// </summary>
public sealed class LibKvPlugin(Func<KvStoreConfig, IKvReader> openReader) : ICniPlugin
{
    private Log log = Log.Default;

    public byte[] Add(CniRequest request)
    {
        var (config, env, cache) = Setup(request);
        if (cache.Read(config.Name, env.ContainerId!, env.IfName!) is not null)
        {
            throw new CniException(LibKvErrorCode.AlreadyAdded,
                $"container {env.ContainerId} interface {env.IfName} on network {config.Name} is already set up; DEL it before adding it again");
        }

        var key = StoreKey(config, env);
        var plans = NetConfArray.Plan(Read(config, key), key, config, env.IfName!);
        var state = new AttachmentState
        {
            Network = config.Name,
            ContainerId = env.ContainerId!,
            IfName = env.IfName!,
            Netns = env.Netns,
            StoreKey = key,
            CniVersion = config.CniVersion,
            Delegates = plans.Select(DelegateState.From).ToList(),
        };
        log.Info($"ADD {plans.Count} delegate(s) from '{key}'");
        return Engine(config, env, cache).Add(state, request.Config["runtimeConfig"]);
    }

    public void Del(CniRequest request)
    {
        var (config, env, cache) = Setup(request);
        var state = cache.Read(config.Name, env.ContainerId!, env.IfName!) ?? StateFromStore(config, env);
        if (state is null)
        {
            return;
        }

        Engine(config, env, cache).Del(state);
    }

    public void Check(CniRequest request)
    {
        var (config, env, cache) = Setup(request);
        var state = cache.Read(config.Name, env.ContainerId!, env.IfName!)
            ?? throw new CniException(CniErrorCode.UnknownContainer,
                $"libkv has no record of container {env.ContainerId} interface {env.IfName} on network {config.Name}");
        Engine(config, env, cache).Check(state);
    }

    /// <summary>Deletes every cached attachment of this network that the runtime no longer lists as valid.</summary>
    public void Gc(CniRequest request)
    {
        var (config, env, cache) = Setup(request);
        var valid = ValidAttachments.Read(request.Config);
        var failures = new List<string>();
        foreach (var state in cache.All(config.Name))
        {
            if (valid.Contains((state.ContainerId, state.IfName)))
            {
                continue;
            }

            log.Info($"GC removes stale attachment {state.ContainerId}/{state.IfName}");
            var attachmentEnv = env with { ContainerId = state.ContainerId, IfName = state.IfName, Netns = state.Netns };
            try
            {
                Engine(config, attachmentEnv, cache).Del(state);
            }
            catch (CniException e)
            {
                failures.Add($"{state.ContainerId}/{state.IfName}: code {e.Code} {e.Message}");
            }
        }

        if (failures.Count > 0)
        {
            throw new CniException(LibKvErrorCode.SeveralDelegatesFailed, $"GC could not remove {failures.Count} attachment(s): {string.Join("; ", failures)}");
        }
    }

    /// <summary>Ready when the store answers: libkv cannot add anything without it.</summary>
    public void Status(CniRequest request)
    {
        var (config, _, _) = Setup(request);
        try
        {
            using var reader = openReader(config.Store);
            reader.Get(KvKey.DirectoryPrefix(config.BasePath) + ".libkv-status");
        }
        catch (KvKeyNotFoundException)
        {
            // Answered: reachable.
        }
        catch (KvException e)
        {
            throw new CniException(CniErrorCode.PluginNotAvailable, $"the {config.Store.Backend} store is not available: {e.Message}");
        }
    }

    public void ReportUnexpected(Exception exception) => log.Error($"unexpected failure: {exception}");

    private (LibKvConfig Config, CniEnvironment Env, StateCache Cache) Setup(CniRequest request)
    {
        var config = LibKvConfig.Parse(request.Config, request.CniVersion);
        log = new Log(config.LogFile, config.LogLevel) { ContainerId = request.Environment.ContainerId ?? "-" };
        log.Debug($"{request.Environment.Command.ToWire()} ifName={request.Environment.IfName} netns={request.Environment.Netns}");
        return (config, request.Environment, new StateCache(config.StateDir));
    }

    private DelegationEngine Engine(LibKvConfig config, CniEnvironment env, StateCache cache) => new(env, cache, log, config.Timeout);

    private static string StoreKey(LibKvConfig config, CniEnvironment env)
    {
        var id = env.ContainerId!;
        if (config.Identifier is { } identifier)
        {
            id = env.Arg(identifier) is { Length: > 0 } value
                ? value
                : throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_ARGS has no '{identifier}' entry, which the libkv 'identifier' setting names");
        }

        return KvKey.DirectoryPrefix(config.BasePath) + id;
    }

    private byte[] Read(LibKvConfig config, string key)
    {
        try
        {
            using var reader = openReader(config.Store);
            // Readers that bound every wait with socket timeouts (etcd's gateway) get no deadline
            // token: arming its timer and making HttpClient's send cancellable cost ≈ 0.9 ms per
            // ADD+DEL (measured).
            using var deadline = KvReaders.BoundsItsOwnWaits(reader) ? null : new CancellationTokenSource(config.Timeout);
            return reader.Get(key, deadline?.Token ?? CancellationToken.None).Value;
        }
        catch (KvException e)
        {
            throw StoreErrors.ToCni(e, key);
        }
        catch (OperationCanceledException)
        {
            throw new CniException(CniErrorCode.TryAgainLater, $"reading '{key}' from the store did not finish within the timeout");
        }
    }

    /// <summary>
    /// DEL without a cache entry: nothing libkv ran can be left (the entry is written before the first
    /// delegate runs), but an attachment made before the cache existed may be. Undo what the store
    /// describes if it can be read; otherwise succeed, since a DEL that cannot ever succeed would
    /// block the runtime's clean-up for good.
    /// </summary>
    private AttachmentState? StateFromStore(LibKvConfig config, CniEnvironment env)
    {
        string key;
        IReadOnlyList<DelegatePlan> plans;
        try
        {
            key = StoreKey(config, env);
            plans = NetConfArray.Plan(Read(config, key), key, config, env.IfName!);
        }
        catch (CniException e)
        {
            log.Warning($"DEL without cached state and without a usable stored array ({e.Message}); nothing to undo");
            return null;
        }

        log.Info($"DEL without cached state: undoing the {plans.Count} delegate(s) stored at '{key}'");
        return new AttachmentState
        {
            Network = config.Name,
            ContainerId = env.ContainerId!,
            IfName = env.IfName!,
            Netns = env.Netns,
            StoreKey = key,
            CniVersion = config.CniVersion,
            Delegates = plans.Select(p => { var d = DelegateState.From(p); d.Added = true; return d; }).ToList(),
        };
    }
}
