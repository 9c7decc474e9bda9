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

    /// <summary>Every readable entry of <paramref name="network"/>, for GC; damaged ones are reported to <paramref name="skipped"/>.</summary>
    public IReadOnlyList<AttachmentState> All(string network, Action<StateDamagedException> skipped)
    {
        var networkDirectory = System.IO.Path.Combine(Directory, network);
        if (!System.IO.Directory.Exists(networkDirectory))
        {
            return [];
        }

        var states = new List<AttachmentState>();
        foreach (var file in System.IO.Directory.EnumerateFiles(networkDirectory, "*.json"))
        {
            try
            {
                if (ReadFile(file) is { } state && state.Network == network)
                {
                    states.Add(state);
                }
            }
            catch (StateDamagedException e)
            {
                skipped(e);
            }
        }

        return states;
    }

    /// <summary>
    /// Moves a damaged entry out of the way (to <c>&lt;file&gt;.damaged-&lt;UTC time&gt;</c>) so a human can
    /// look at it while libkv carries on as if there were none.
    /// </summary>
    /// <returns>Where it went.</returns>
    /// <exception cref="IOException">It could not be moved.</exception>
    public static string SetAside(string path)
    {
        var target = $"{path}.damaged-{DateTime.UtcNow:yyyyMMddTHHmmssfffZ}";
        if (System.IO.Directory.Exists(path))
        {
            System.IO.Directory.Move(path, target);
        }
        else
        {
            File.Move(path, target);
        }

        return target;
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
            throw new StateDamagedException(path, $"cannot read libkv state {path}: {e.Message}");
        }

        try
        {
            return AttachmentState.FromJson(JsonNode.Parse(bytes));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new StateDamagedException(path, $"libkv state {path} is damaged ({e.Message})");
        }
    }
}
