namespace ContivKsr.Cni.LibKv.Tests.Support;

internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ContivKsr.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ContivKsr.sln not found above {AppContext.BaseDirectory}");
    }
}
