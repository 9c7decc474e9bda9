using System.Diagnostics;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>
/// The Native AOT <c>libkv</c> binary every CNI test runs, as users get it. Published once per test
/// run into artifacts/libkv (incremental: a second run without source changes is quick), or taken
/// from <c>LIBKV_BINARY</c> when the caller (e.g. the Makefile) already published it.
/// </summary>
internal static class LibKvBinary
{
    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Published.Value;

    public static string Directory => System.IO.Path.GetDirectoryName(Path)!;

    private static string Publish()
    {
        if (Environment.GetEnvironmentVariable("LIBKV_BINARY") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : throw new FileNotFoundException($"LIBKV_BINARY={given} does not exist");
        }

        var output = System.IO.Path.Combine(RepositoryRoot.Path, "artifacts", "libkv");
        var startInfo = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot.Path };
        foreach (var argument in new[] { "publish", "src/Cni.LibKv/Cni.LibKv.csproj", "-c", "Release", "-o", output, "-nologo", "-v", "q" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables would point a nested build at the wrong SDK pieces.
        foreach (var name in new[] { "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            startInfo.Environment.Remove(name);
        }

        BuildStep.Run(startInfo, "dotnet publish of libkv", TimeSpan.FromMinutes(8));
        var binary = System.IO.Path.Combine(output, "libkv");
        return File.Exists(binary) ? binary : throw new FileNotFoundException("dotnet publish produced no libkv", binary);
    }
}
