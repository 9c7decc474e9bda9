using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>One run of a CNI plugin binary: exit code and what it printed.</summary>
public sealed record CniRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>
    /// Runs <paramref name="binary"/> with exactly <paramref name="environment"/> (plus PATH) and
    /// <paramref name="stdin"/>, as a runtime would.
    /// </summary>
    public static async Task<CniRun> ExecAsync(string binary, IReadOnlyDictionary<string, string?> environment, string? stdin, TimeSpan? patience = null, IEnumerable<string>? arguments = null)
    {
        var startInfo = new ProcessStartInfo(binary, arguments ?? [])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment.Clear();
        startInfo.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var (name, value) in environment)
        {
            if (value is not null)
            {
                startInfo.Environment[name] = value;
            }
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It rejected the environment before reading stdin, as it may.
        }

        using var timeout = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{binary} did not exit within {patience}; stderr: {await stderr}");
        }

        return new CniRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Stdout must be exactly one JSON object (spec: result or error), nothing else.</summary>
    public JsonObject Json()
    {
        using var document = JsonDocument.Parse(Stdout);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return JsonNode.Parse(Stdout)!.AsObject();
    }

    public JsonObject AssertSuccess()
    {
        Assert.True(ExitCode == 0, $"expected success, got exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        return Json();
    }

    public void AssertEmptySuccess()
    {
        Assert.True(ExitCode == 0, $"expected success, got exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        Assert.Equal("", Stdout.Trim());
    }

    /// <summary>A spec error: non-zero exit, one JSON object with cniVersion, code and msg, no stack trace anywhere.</summary>
    public JsonObject AssertError(int code)
    {
        Assert.True(ExitCode != 0, $"expected error {code}, got success\nstdout: {Stdout}\nstderr: {Stderr}");
        var error = Json();
        Assert.True(code == (int)error["code"]!, $"expected code {code}, got {Stdout}\nstderr: {Stderr}");
        Assert.False(string.IsNullOrWhiteSpace((string?)error["msg"]), "error without msg");
        Assert.NotNull((string?)error["cniVersion"]);
        Assert.DoesNotContain("   at ", Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Stderr, StringComparison.Ordinal);
        return error;
    }
}
