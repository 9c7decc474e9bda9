namespace ContivKsr.TestSupport;

/// <summary>A throw-away directory, removed with everything in it when disposed.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "contivksr-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server still writing its data dir while being killed; the OS temp cleaner gets it.
        }
    }
}
