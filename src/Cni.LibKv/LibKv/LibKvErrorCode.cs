using ContivKsr.Cni.Cni;

namespace ContivKsr.Cni.LibKv;

/// <summary>libkv's own error codes (the spec leaves 100 and up to plugins).</summary>
public static class LibKvErrorCode
{
    /// <summary>The store holds no NetConf array for this container.</summary>
    public const int NoStoredConfig = 100;

    /// <summary>The store refused libkv's credentials.</summary>
    public const int StoreAccessDenied = 101;

    public const int DelegateNotFound = DelegatePlugin.NotFoundCode;
    public const int DelegateTimedOut = DelegatePlugin.TimedOutCode;
    public const int DelegateFailed = DelegatePlugin.FailedCode;

    /// <summary>More than one delegate failed during DEL or GC; msg lists them all.</summary>
    public const int SeveralDelegatesFailed = 105;

    /// <summary>ADD for an attachment libkv already set up and that was not deleted since.</summary>
    public const int AlreadyAdded = 106;

    /// <summary>A store failure that is neither unreachable nor access denied.</summary>
    public const int StoreFailed = 107;
}
