using ContivKsr.Cni.Cni;

namespace ContivKsr.Cni.LibKv;

/// <summary>A state file that exists but cannot be read or understood (code 5 where it ends a verb).</summary>
public sealed class StateDamagedException(string path, string message)
    : CniException(CniErrorCode.IoFailure, message)
{
    public string Path { get; } = path;
}
