using System.Diagnostics;
using System.Text;

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>The finished run of one kvctl process.</summary>
public sealed record KvctlResult(int ExitCode, byte[] Stdout, string Stderr, TimeSpan Elapsed)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public override string ToString() => $"exit {ExitCode} after {Elapsed}; stdout: {StdoutText}; stderr: {Stderr}";
}

/// <summary>Runs the built kvctl as its users do (dotnet exec kvctl.dll from kvctl's own output directory).</summary>
public sealed class KvctlProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Process process;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Task<string> stderr;

    private KvctlProcess(IEnumerable<string> args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("exec");
        startInfo.ArgumentList.Add(KvctlPath);
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start kvctl");
        stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>kvctl.dll in its own build output (set by the project file).</summary>
    public static string KvctlPath { get; } = typeof(KvctlProcess).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Single(a => a.Key == "KvctlPath").Value!;

    public Stream Stdin => process.StandardInput.BaseStream;

    public StreamReader Stdout => process.StandardOutput;

    public static KvctlProcess Start(params string[] args) => new(args);

    /// <summary>Runs kvctl to completion, feeding <paramref name="stdin"/> (or nothing) to it.</summary>
    public static async Task<KvctlResult> RunAsync(string[] args, byte[]? stdin = null)
    {
        await using var run = Start(args);
        await run.Stdin.WriteAsync(stdin ?? []);
        run.process.StandardInput.Close();
        using var output = new MemoryStream();
        await run.Stdout.BaseStream.CopyToAsync(output).WaitAsync(Patience);
        return await run.WaitAsync(output.ToArray());
    }

    /// <summary>The next stdout line, failing the test instead of hanging.</summary>
    public async Task<string?> ReadLineAsync() => await Stdout.ReadLineAsync().WaitAsync(Patience);

    /// <summary>Asks kvctl to stop as Ctrl-C or a service manager would (SIGTERM; SIGINT is ignored by background jobs).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<KvctlResult> WaitAsync(byte[]? stdout = null)
    {
        await process.WaitForExitAsync().WaitAsync(Patience);
        return new KvctlResult(process.ExitCode, stdout ?? Encoding.UTF8.GetBytes(await Stdout.ReadToEndAsync()), await stderr, clock.Elapsed);
    }

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }

        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
