namespace ContivKsr.Kv;

/// <summary>
/// Settings that only one backend understands, such as etcd's leading slash. Each backend's assembly
/// derives its own record (as kvtools/valkeyrie gives every backend its own config); a backend
/// ignores options that are not its own.
/// </summary>
public abstract record KvBackendOptions;
