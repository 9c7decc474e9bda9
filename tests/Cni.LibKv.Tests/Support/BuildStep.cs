using System.Diagnostics;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>Runs a build command the tests depend on, and fails with its output when it fails.</summary>
internal static class BuildStep
{
    /// <param name="what">How failures name the step, e.g. "dotnet publish of libkv".</param>
    public static void Run(ProcessStartInfo startInfo, string what, TimeSpan patience)
    {
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(patience))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} took more than {patience.TotalMinutes} minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        }
    }
}
