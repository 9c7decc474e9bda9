namespace ContivKsr.TestSupport.Consul;

/// <summary>An error the emulator answers with the given HTTP status and plain-text body, as Consul does.</summary>
internal sealed class ConsulEmulatorException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
