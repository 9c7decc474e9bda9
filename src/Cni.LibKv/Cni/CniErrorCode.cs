namespace ContivKsr.Cni.Cni;

/// <summary>The error codes of the CNI specification (1.1.0, "Error"); 100 and up belong to the plugin.</summary>
public static class CniErrorCode
{
    public const int IncompatibleVersion = 1;
    public const int UnsupportedField = 2;
    public const int UnknownContainer = 3;
    public const int InvalidEnvironment = 4;
    public const int IoFailure = 5;
    public const int DecodingFailure = 6;
    public const int InvalidNetworkConfig = 7;
    public const int TryAgainLater = 11;
    public const int PluginNotAvailable = 50;
    public const int LimitedConnectivity = 51;

    /// <summary>An exception nobody expected; reported as an error rather than a stack trace.</summary>
    public const int Internal = 999;
}
