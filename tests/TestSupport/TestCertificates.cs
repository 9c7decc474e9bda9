using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ContivKsr.TestSupport;

/// <summary>
/// A throw-away CA with a server certificate (for localhost and 127.0.0.1) and a client
/// certificate, as objects and as PEM files in a temp dir, for TLS tests against local servers.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly TempDirectory directory = new("certs-");

    public TestCertificates()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=ContivKsr test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddDays(2));

        Server = Issue("CN=localhost", serverAuth: true);
        Client = Issue("CN=contivksr-client", serverAuth: false);

        CaFile = Write("ca.pem", Authority.ExportCertificatePem());
        ClientCertFile = Write("client.pem", Client.ExportCertificatePem());
        ClientKeyFile = Write("client-key.pem", Client.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public X509Certificate2 Authority { get; }

    /// <summary>Server certificate with its private key, valid for localhost and 127.0.0.1.</summary>
    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public string CaFile { get; }

    public string ClientCertFile { get; }

    public string ClientKeyFile { get; }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        Client.Dispose();
        directory.Dispose();
    }

    private X509Certificate2 Issue(string subject, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Through PKCS#12 so that the key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private string Write(string name, string pem)
    {
        var path = System.IO.Path.Combine(directory.Path, name);
        File.WriteAllText(path, pem);
        return path;
    }
}
