using System.Diagnostics;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>
/// LibCniClient/main.go, a cnitool-like driver over libcni (the library container runtimes use to
/// run CNI plugins), built once per test run from Debian's libcni source
/// (golang-github-appc-cni-dev, 1.1.2) with Debian's Go, in GOPATH mode: nothing is downloaded.
/// Debian 12 ships no cnitool binary, and libcni 1.1.2 knows the versions up to 1.0.0.
/// </summary>
internal static class LibCniClient
{
    public const string GoPath = "/usr/share/gocode";

    /// <summary>The newest version Debian's libcni (1.1.2) can read a result in.</summary>
    public const string NewestVersion = "1.0.0";

    private static readonly Lazy<string> Built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Built.Value;

    private static string Build()
    {
        if (!Directory.Exists(System.IO.Path.Combine(GoPath, "src/github.com/containernetworking/cni/libcni")))
        {
            throw new InvalidOperationException($"libcni's source is not in {GoPath}: install golang-go and golang-github-appc-cni-dev (scripts/install-deps.sh)");
        }

        var artifacts = System.IO.Path.Combine(RepositoryRoot.Path, "artifacts");
        var binary = System.IO.Path.Combine(artifacts, "libcni-client", "libcni-client");
        var startInfo = new ProcessStartInfo("go") { WorkingDirectory = System.IO.Path.Combine(RepositoryRoot.Path, "tests", "Cni.LibKv.Tests", "LibCniClient") };
        foreach (var argument in new[] { "build", "-o", binary, "." })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["GO111MODULE"] = "off";
        startInfo.Environment["GOPATH"] = GoPath;
        startInfo.Environment["GOPROXY"] = "off";
        startInfo.Environment["GOFLAGS"] = "";
        startInfo.Environment["GOCACHE"] = System.IO.Path.Combine(artifacts, "go-cache");

        BuildStep.Run(startInfo, "go build of the libcni client", TimeSpan.FromMinutes(5));
        return binary;
    }
}
