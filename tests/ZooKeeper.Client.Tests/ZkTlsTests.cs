using ContivKsr.TestSupport;

namespace ContivKsr.ZooKeeper.Client.Tests;

/// <summary>TLS files are checked when the client is configured, not at the first connection.</summary>
public sealed class ZkTlsTests
{
    [Fact]
    public void ReadablePemFilesMakeTlsSettings()
    {
        using var certificates = TestCertificates.Create();

        Assert.NotNull(ZkTls.FromPemFiles(certificates.CaFile, certificates.ClientCertFile, certificates.ClientKeyFile));
        Assert.NotNull(ZkTls.FromPemFiles(caFile: null, certFile: null, keyFile: null, insecureSkipVerify: true));
    }

    [Fact]
    public void MissingOrBadFilesAreArgumentErrors()
    {
        using var certificates = TestCertificates.Create();
        using var directory = new TempDirectory("zk-tls-");
        var missing = Path.Combine(directory.Path, "missing.pem");
        var garbage = Path.Combine(directory.Path, "garbage.pem");
        File.WriteAllText(garbage, "not a certificate");

        Assert.Throws<ArgumentException>(() => ZkTls.FromPemFiles(missing, null, null));
        Assert.Contains("holds no PEM certificate", Assert.Throws<ArgumentException>(() => ZkTls.FromPemFiles(garbage, null, null)).Message);
        Assert.Throws<ArgumentException>(() => ZkTls.FromPemFiles(null, certificates.ClientCertFile, missing));
        Assert.Throws<ArgumentException>(() => ZkTls.FromPemFiles(null, certificates.ClientCertFile, null));
    }
}
