using System.Text.Json.Nodes;
using ContivKsr.Cni.Cni;
using ContivKsr.Kv;

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

        var (key, value) = ReadArray(config, env);
        var plans = NetConfArray.Plan(value, key, config, env.IfName!);
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
        var state = OwnStateForDel(config, env, cache) ?? AdoptGoLibKvState(config, env, cache) ?? StateFromStore(config, env);
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
            ?? new GoLibKvState(config.GoStateDir).Read(config.Name, env.ContainerId!, env.IfName!, env.Netns)
            ?? throw new CniException(CniErrorCode.UnknownContainer,
                $"libkv has no record of container {env.ContainerId} interface {env.IfName} on network {config.Name}");
        Engine(config, env, cache).Check(state);
    }

    /// <summary>
    /// Deletes every attachment of this network that the runtime no longer lists as valid: libkv's own,
    /// and those the Go libkv left (whose interface it assumes to be eth0, the name every Kubernetes
    /// runtime gives a pod's main interface, since its record does not say).
    /// </summary>
    public void Gc(CniRequest request)
    {
        var (config, env, cache) = Setup(request);
        var valid = ValidAttachments.Read(request.Config);
        var failures = new List<string>();
        var stale = cache.All(config.Name, damaged => log.Warning($"GC leaves {damaged.Path} alone: {damaged.Message}"))
            .Where(state => !valid.Contains((state.ContainerId, state.IfName)))
            .ToList();
        var goState = new GoLibKvState(config.GoStateDir);
        foreach (var containerId in goState.ContainerIds())
        {
            if (!valid.Any(v => v.ContainerId == containerId) && AdoptGoLibKvState(config, env with { ContainerId = containerId, IfName = "eth0" }, cache) is { } adopted)
            {
                stale.Add(adopted);
            }
        }

        foreach (var state in stale)
        {
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

    /// <summary>The container's array, or the default key's when the container's own key holds nothing.</summary>
    /// <returns>The key that was read, and its value.</returns>
    private (string Key, byte[] Value) ReadArray(LibKvConfig config, CniEnvironment env)
    {
        var key = StoreKeys.ForContainer(config, env);
        var fallback = StoreKeys.Default(config);
        using var reader = OpenReader(config, key);
        try
        {
            return (key, Get(reader, config, key));
        }
        catch (KvKeyNotFoundException e) when (fallback is not null)
        {
            log.Info($"nothing stored at '{key}': reading the default key '{fallback}'");
            try
            {
                return (fallback, Get(reader, config, fallback));
            }
            catch (KvKeyNotFoundException)
            {
                throw new CniException(LibKvErrorCode.NoStoredConfig, $"no NetConf array stored at key '{key}' nor at the default key '{fallback}'",
                    "store the array at one of them (e.g. with kvctl put) before the container starts", e);
            }
            catch (KvException other)
            {
                throw StoreErrors.ToCni(other, fallback);
            }
        }
        catch (KvException e)
        {
            throw StoreErrors.ToCni(e, key);
        }
    }

    private IKvReader OpenReader(LibKvConfig config, string key)
    {
        try
        {
            return openReader(config.Store);
        }
        catch (KvException e)
        {
            throw StoreErrors.ToCni(e, key);
        }
    }

    private static byte[] Get(IKvReader reader, LibKvConfig config, string key)
    {
        try
        {
            // Readers that bound every wait with socket timeouts (etcd's gateway) get no deadline
            // token: arming its timer and making HttpClient's send cancellable cost ≈ 0.9 ms per
            // ADD+DEL (measured).
            using var deadline = KvReaders.BoundsItsOwnWaits(reader) ? null : new CancellationTokenSource(config.Timeout);
            return reader.Get(key, deadline?.Token ?? CancellationToken.None).Value;
        }
        catch (OperationCanceledException)
        {
            throw new CniException(CniErrorCode.TryAgainLater, $"reading '{key}' from the store did not finish within the timeout");
        }
    }

    /// <summary>libkv's own record for DEL; a damaged one is set aside for a human and DEL goes on without it.</summary>
    private AttachmentState? OwnStateForDel(LibKvConfig config, CniEnvironment env, StateCache cache)
    {
        try
        {
            return cache.Read(config.Name, env.ContainerId!, env.IfName!);
        }
        catch (StateDamagedException e)
        {
            SetAside(e);
            return null;
        }
    }

    /// <summary>
    /// The Go libkv's record of this container, made libkv's own before anything runs (so a DEL cut
    /// short leaves libkv's state, as for any other attachment) and removed from the Go plugin's directory.
    /// </summary>
    private AttachmentState? AdoptGoLibKvState(LibKvConfig config, CniEnvironment env, StateCache cache)
    {
        var goState = new GoLibKvState(config.GoStateDir);
        AttachmentState? state;
        try
        {
            state = goState.Read(config.Name, env.ContainerId!, env.IfName!, env.Netns);
        }
        catch (StateDamagedException e)
        {
            SetAside(e);
            return null;
        }

        if (state is null)
        {
            return null;
        }

        log.Info($"adopting the Go libkv's record {goState.PathOf(state.ContainerId)} ({state.Delegates.Count} delegate(s))");
        cache.Write(state);
        goState.Remove(state.ContainerId);
        return state;
    }

    private void SetAside(StateDamagedException damage)
    {
        try
        {
            var moved = StateCache.SetAside(damage.Path);
            log.Error($"{damage.Message}; moved to {moved} for a human to look at; going on without it");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error($"{damage.Message}; it could not be moved aside ({e.Message}); going on without it");
        }
    }

    /// <summary>
    /// DEL with no record of libkv's or the Go plugin's: nothing libkv ran can be left (the record is
    /// written before the first delegate runs), but an attachment made before the record existed, or
    /// one whose record was damaged, may be. Undo what the store describes if it can be read;
    /// otherwise succeed, since a DEL that cannot ever succeed would block the runtime's clean-up for good.
    /// </summary>
    private AttachmentState? StateFromStore(LibKvConfig config, CniEnvironment env)
    {
        string key;
        IReadOnlyList<DelegatePlan> plans;
        try
        {
            (key, var value) = ReadArray(config, env);
            plans = NetConfArray.Plan(value, key, config, env.IfName!);
        }
        catch (CniException e)
        {
            log.Warning($"DEL without a record and without a usable stored array ({e.Message}); nothing to undo");
            return null;
        }

        log.Info($"DEL without a record: undoing the {plans.Count} delegate(s) stored at '{key}'");
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
