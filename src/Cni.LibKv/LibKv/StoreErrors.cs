using ContivKsr.Cni.Cni;
using ContivKsr.Kv;

namespace ContivKsr.Cni.LibKv;

/// <summary>Store failures as CNI errors: unreachable is "try again later" (11), as the spec intends.</summary>
internal static class StoreErrors
{
    public static CniException ToCni(KvException e, string key) => e switch
    {
        KvKeyNotFoundException => new CniException(LibKvErrorCode.NoStoredConfig,
            $"no NetConf array stored at key '{key}'", "store the array there (e.g. with kvctl put) before the container starts"),
        KvNotReachableException => new CniException(CniErrorCode.TryAgainLater, $"store not reachable: {e.Message}"),
        KvAccessDeniedException => new CniException(LibKvErrorCode.StoreAccessDenied, $"store refused access: {e.Message}"),
        KvInvalidConfigException => new CniException(CniErrorCode.InvalidNetworkConfig, $"libkv store configuration: {e.Message}"),
        KvCallNotSupportedException => new CniException(CniErrorCode.InvalidNetworkConfig, e.Message),
        _ => new CniException(LibKvErrorCode.StoreFailed, $"store failed reading '{key}': {e.Message}"),
    };
}
