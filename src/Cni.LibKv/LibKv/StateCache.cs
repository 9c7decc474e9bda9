using System.Text.Json;
using System.Text.Json.Nodes;
using ContivKsr.Cni.Cni;

namespace ContivKsr.Cni.LibKv;

/// <summary>
/// One file per attachment, <c>stateDir/&lt;network&gt;/&lt;containerId&gt;@&lt;ifName&gt;.json</c>
/// (a container ID never holds '@', so names cannot collide), readable by root only (it may hold credentials
/// from NetConfs). Writes are atomic: a temp file is written, fsynced (for durable writes) and
/// renamed over the old one, so a crash leaves either the old or the new state, never half of one.
/// </summary>
public sealed class StateCache(string directory)
{
    public string Directory { get; } = directory;

    public string PathOf(string network, string containerId, string ifName) =>
        System.IO.Path.Combine(Directory, network, $"{containerId}@{ifName}.json");

    /// <returns>Null when there is no entry.</returns>
    public AttachmentState? Read(string network, string containerId, string ifName) => ReadFile(PathOf(network, containerId, ifName));

    /// <param name="durable">fsync before the rename, so the entry survives a crash of the machine.</param>
    public void Write(AttachmentState state, bool durable = true)
    {
        var path = PathOf(state.Network, state.ContainerId, state.IfName);
        var temp = path + ".tmp";
        try
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var bytes = CniJson.Write(state.WriteTo);
            using (var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.IoFailure, $"cannot write libkv state {path}: {e.Message}");
        }
    }

    public void Remove(string network, string containerId, string ifName)
    {
        var path = PathOf(network, containerId, ifName);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Never written (DEL of an attachment known only from the store): nothing to remove.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.IoFailure, $"cannot remove libkv state {path}: {e.Message}");
        }
    }

    /// <summary>Every entry of <paramref name="network"/>, for GC.</summary>
    public IReadOnlyList<AttachmentState> All(string network)
    {
        var networkDirectory = System.IO.Path.Combine(Directory, network);
        if (!System.IO.Directory.Exists(networkDirectory))
        {
            return [];
        }

        var states = new List<AttachmentState>();
        foreach (var file in System.IO.Directory.EnumerateFiles(networkDirectory, "*.json"))
        {
            if (ReadFile(file) is { } state && state.Network == network)
            {
                states.Add(state);
            }
        }

        return states;
    }

    private static AttachmentState? ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.IoFailure, $"cannot read libkv state {path}: {e.Message}");
        }

        try
        {
            return AttachmentState.FromJson(JsonNode.Parse(bytes));
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new CniException(CniErrorCode.IoFailure, $"libkv state {path} is damaged ({e.Message}); remove it by hand after checking what it held");
        }
    }
}
