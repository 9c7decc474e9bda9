namespace ContivKsr.Kv.Etcd.Core;

/// <summary>What only etcd's backends read, passed as <see cref="KvStoreConfig.BackendOptions"/>.</summary>
public sealed record EtcdOptions : KvBackendOptions
{
    /// <summary>
    /// Store every v3 key with a leading '/', as Go clients such as contiv's cn-infra did, so their
    /// watchers see ours (and we see theirs). Callers still see and pass normalised keys. Default
    /// false: keys are stored normalised. etcd's v2 keys always start with '/' and ignore it.
    /// </summary>
    public bool LeadingSlash { get; init; }

    /// <summary>The etcd options of <paramref name="config"/>: the defaults when it carries none, or another backend's.</summary>
    public static EtcdOptions Of(KvStoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.BackendOptions as EtcdOptions ?? new EtcdOptions();
    }
}
