using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>
/// A throw-away CA with a server certificate for 127.0.0.1 and a client certificate, written as
/// PEM files the way an operator would hand them to etcd and to the store config.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly TempDirectory directory = new("etcd-tls-");

    private TestCertificates()
    {
    }

    public string CaFile => Path.Combine(directory.Path, "ca.pem");

    public string ServerCertFile => Path.Combine(directory.Path, "server.pem");

    public string ServerKeyFile => Path.Combine(directory.Path, "server-key.pem");

    public string ClientCertFile => Path.Combine(directory.Path, "client.pem");

    public string ClientKeyFile => Path.Combine(directory.Path, "client-key.pem");

    /// <summary>A second CA that signed nothing here: trusting it must fail the handshake.</summary>
    public string OtherCaFile => Path.Combine(directory.Path, "other-ca.pem");

    public static TestCertificates Create()
    {
        var certificates = new TestCertificates();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = CreateCa("ContivKsr test CA", caKey);
        File.WriteAllText(certificates.CaFile, ca.ExportCertificatePem());

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = CreateCa("Unrelated CA", otherKey);
        File.WriteAllText(certificates.OtherCaFile, other.ExportCertificatePem());

        certificates.Issue(ca, "127.0.0.1", serverAuth: true, certificates.ServerCertFile, certificates.ServerKeyFile);
        certificates.Issue(ca, "kvtest-client", serverAuth: false, certificates.ClientCertFile, certificates.ClientKeyFile);
        return certificates;
    }

    public void Dispose() => directory.Dispose();

    private static X509Certificate2 CreateCa(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        // The CA outlives what it issues by a day: a leaf may not expire after its issuer.
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
    }

    private void Issue(X509Certificate2 ca, string name, bool serverAuth, string certFile, string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usage = serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        File.WriteAllText(certFile, issued.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }
}
