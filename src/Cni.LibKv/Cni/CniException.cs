namespace ContivKsr.Cni.Cni;

/// <summary>A failure that becomes the spec's error JSON on stdout and a non-zero exit.</summary>
public class CniException(int code, string message, string? details = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    public int Code { get; } = code;

    public string? Details { get; } = details;

    public CniError ToError(string cniVersion) => new(cniVersion, Code, Message, Details);
}
