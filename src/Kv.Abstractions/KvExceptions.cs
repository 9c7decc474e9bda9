namespace ContivKsr.Kv;

/// <summary>Base of every store error. <see cref="Exception.InnerException"/> keeps the backend's own cause.</summary>
public class KvException : Exception
{
    public KvException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>A backend-specific error code where the backend has one (ZooKeeper error code, HTTP status, gRPC status).</summary>
    public string? BackendCode { get; init; }
}

public sealed class KvKeyNotFoundException(string key, Exception? innerException = null)
    : KvException($"key not found: {key}", innerException)
{
    public string Key { get; } = key;
}

/// <summary>A compare-and-swap found the key changed since it was read.</summary>
public sealed class KvKeyModifiedException(string key, Exception? innerException = null)
    : KvException($"key was modified since it was read: {key}", innerException)
{
    public string Key { get; } = key;
}

/// <summary>A create-only write found the key already there.</summary>
public sealed class KvKeyExistsException(string key, Exception? innerException = null)
    : KvException($"key already exists: {key}", innerException)
{
    public string Key { get; } = key;
}

/// <summary>The store could not be reached within the connection timeout.</summary>
public sealed class KvNotReachableException(string message, Exception? innerException = null)
    : KvException(message, innerException);

/// <summary>The backend cannot do this call.</summary>
public sealed class KvCallNotSupportedException(string message, Exception? innerException = null)
    : KvException(message, innerException);

/// <summary>The store configuration is wrong (unknown backend, bad uri, unreadable TLS file...).</summary>
public sealed class KvInvalidConfigException(string message, Exception? innerException = null)
    : KvException(message, innerException);

/// <summary>The store refused the credentials.</summary>
public sealed class KvAccessDeniedException(string message, Exception? innerException = null)
    : KvException(message, innerException);
