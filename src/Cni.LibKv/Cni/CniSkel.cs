using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContivKsr.Cni.Cni;

/// <summary>
/// The one entry point of a CNI plugin process: reads CNI_COMMAND and the other variables, reads
/// the config from stdin, checks its cniVersion, calls the plugin, and prints either the result or
/// the spec's error JSON (exit 1). Checks run in a fixed order so each failure has one code:
/// environment (4), stdin decoding (6), cniVersion (1); the plugin then checks its own fields (7).
/// A config without cniVersion is 0.1.0, as the spec and libcni read it.
/// </summary>
public static class CniSkel
{
    public static int Run(ICniPlugin plugin, Func<string, string?> variable, Stream stdin, Stream stdout)
    {
        var versionForErrors = CniVersion.Latest;
        try
        {
            if (!CniCommands.TryParse(variable("CNI_COMMAND"), out var command))
            {
                var given = variable("CNI_COMMAND");
                throw new CniException(CniErrorCode.InvalidEnvironment, string.IsNullOrEmpty(given)
                    ? "CNI_COMMAND is not set"
                    : $"unknown CNI_COMMAND '{given}'; expected ADD, DEL, CHECK, VERSION, GC or STATUS");
            }

            if (command == CniCommand.Version)
            {
                var requested = TryReadVersion(stdin);
                var info = new CniVersionInfo(CniVersion.IsSupported(requested) ? requested! : CniVersion.Latest, CniVersion.Supported);
                Write(stdout, JsonSerializer.SerializeToUtf8Bytes(info, CniJsonContext.Default.CniVersionInfo));
                return 0;
            }

            var environment = CniEnvironment.Read(command, variable);
            var config = ReadConfig(stdin);
            versionForErrors = config["cniVersion"] is null ? CniVersion.Unstated
                : CniJson.StringOf(config["cniVersion"]) is { } text && CniVersion.IsSupported(CniVersion.OrUnstated(text)) ? CniVersion.OrUnstated(text) : CniVersion.Latest;
            var cniVersion = CheckVersion(config, command);
            var request = new CniRequest(environment, config, cniVersion);
            switch (command)
            {
                case CniCommand.Add:
                    Write(stdout, plugin.Add(request));
                    break;
                case CniCommand.Del:
                    plugin.Del(request);
                    break;
                case CniCommand.Check:
                    plugin.Check(request);
                    break;
                case CniCommand.Gc:
                    plugin.Gc(request);
                    break;
                case CniCommand.Status:
                    plugin.Status(request);
                    break;
            }

            return 0;
        }
        catch (CniException e)
        {
            WriteError(stdout, e.ToError(versionForErrors));
            return 1;
        }
        catch (Exception e)
        {
            plugin.ReportUnexpected(e);
            WriteError(stdout, new CniError(versionForErrors, CniErrorCode.Internal, $"internal error: {e.Message}", e.GetType().Name));
            return 1;
        }
    }

    private static JsonObject ReadConfig(Stream stdin)
    {
        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            stdin.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        catch (IOException e)
        {
            throw new CniException(CniErrorCode.IoFailure, $"cannot read the network configuration from stdin: {e.Message}");
        }

        if (bytes.Length == 0)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "no network configuration on stdin");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"the network configuration on stdin is not valid JSON: {e.Message}");
        }

        return node as JsonObject
            ?? throw new CniException(CniErrorCode.DecodingFailure, "the network configuration on stdin is not a JSON object");
    }

    private static string CheckVersion(JsonObject config, CniCommand command)
    {
        var version = CniVersion.Unstated;
        if (config.TryGetPropertyValue("cniVersion", out var node) && node is not null)
        {
            var text = CniJson.StringOf(node) ?? throw new CniException(CniErrorCode.DecodingFailure, "cniVersion must be a string such as \"1.0.0\"");
            version = CniVersion.OrUnstated(text);
        }

        if (!CniVersion.IsSupported(version))
        {
            throw new CniException(CniErrorCode.IncompatibleVersion,
                $"cniVersion {version} is not supported; supported: {string.Join(", ", CniVersion.Supported)}");
        }

        if (command == CniCommand.Check && !CniVersion.HasCheck(version))
        {
            throw new CniException(CniErrorCode.IncompatibleVersion, $"CHECK needs cniVersion 0.4.0 or later, the configuration has {version}");
        }

        if (command is CniCommand.Gc or CniCommand.Status && !CniVersion.HasGcAndStatus(version))
        {
            throw new CniException(CniErrorCode.IncompatibleVersion,
                $"{command.ToWire()} needs cniVersion 1.1.0 or later, the configuration has {version}");
        }

        return version;
    }

    /// <summary>VERSION may come with no or a broken stdin; it must still answer.</summary>
    private static string? TryReadVersion(Stream stdin)
    {
        try
        {
            using var buffer = new MemoryStream();
            stdin.CopyTo(buffer);
            if (buffer.Length == 0)
            {
                return null;
            }

            return JsonNode.Parse(buffer.ToArray()) is JsonObject o ? CniJson.StringOf(o["cniVersion"]) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    private static void WriteError(Stream stdout, CniError error) =>
        Write(stdout, JsonSerializer.SerializeToUtf8Bytes(error, CniJsonContext.Default.CniError));

    private static void Write(Stream stdout, byte[] bytes)
    {
        // The result and its newline in one write(2).
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        stdout.Write(line);
        stdout.Flush();
    }
}
