using ContivKsr.Kv;

namespace ContivKsr.Ksr.Config;

/// <summary>The store to write to, and the bound on one store call.</summary>
public sealed record StoreSettings(KvStoreConfig Store, TimeSpan OperationTimeout);
