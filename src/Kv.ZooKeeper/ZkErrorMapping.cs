using System.Globalization;
using ContivKsr.ZooKeeper.Client;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.Kv.ZooKeeper;

/// <summary>Turns ZooKeeper failures into the typed IKvStore exceptions, keeping the ZooKeeper code (e.g. "-101") in BackendCode.</summary>
internal static class ZkErrorMapping
{
    public static KvException ToKvException(ZkException error, string key)
    {
        var code = ((int)error.Code).ToString(CultureInfo.InvariantCulture);
        return error.Code switch
        {
            ZkErrorCode.NoNode => new KvKeyNotFoundException(key, error) { BackendCode = code },
            ZkErrorCode.NodeExists => new KvKeyExistsException(key, error) { BackendCode = code },
            ZkErrorCode.BadVersion => new KvKeyModifiedException(key, error) { BackendCode = code },
            ZkErrorCode.NoAuth or ZkErrorCode.AuthFailed or ZkErrorCode.SessionClosedRequireSasl =>
                new KvAccessDeniedException($"ZooKeeper denied access to '{key}': {error.Message}", error) { BackendCode = code },
            ZkErrorCode.ConnectionLoss or ZkErrorCode.SessionExpired or ZkErrorCode.SessionMoved or ZkErrorCode.OperationTimeout or ZkErrorCode.RequestTimeout =>
                new KvNotReachableException(error.Message, error) { BackendCode = code },
            ZkErrorCode.Unimplemented =>
                new KvCallNotSupportedException($"the ZooKeeper server does not implement this request for '{key}': {error.Message}", error) { BackendCode = code },
            _ => new KvException($"ZooKeeper failed on '{key}': {error.Message}", error) { BackendCode = code },
        };
    }

    /// <summary>Any failure of a store call, as the KvException the caller sees.</summary>
    public static KvException ToKvException(Exception error, string key) => error switch
    {
        KvException kv => kv,
        ZkException zk => ToKvException(zk, key),
        ObjectDisposedException => new KvException("the ZooKeeper store was closed", error),
        _ => new KvNotReachableException($"ZooKeeper connection failed: {error.Message}", error),
    };
}
