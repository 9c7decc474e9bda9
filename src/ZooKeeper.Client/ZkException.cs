using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.ZooKeeper.Client;

/// <summary>A ZooKeeper result code other than Ok, as a call of <see cref="ZkClient"/> throws it.</summary>
public class ZkException(ZkErrorCode code, string path, string? detail = null, Exception? innerException = null)
    : Exception(Describe(code, path, detail), innerException)
{
    public ZkErrorCode Code { get; } = code;

    public string Path { get; } = path;

    private static string Describe(ZkErrorCode code, string path, string? detail)
    {
        var text = $"ZooKeeper {code} ({(int)code})";
        if (path.Length > 0)
        {
            text += $" on {path}";
        }

        return detail is null ? text : $"{text}: {detail}";
    }
}
