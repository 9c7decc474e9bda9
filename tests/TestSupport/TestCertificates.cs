using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ContivKsr.TestSupport;

/// <summary>
/// A throw-away PKI for TLS tests, written as PEM files: a CA, a server certificate for 127.0.0.1
/// and a client certificate, both signed by the CA. Keys are unencrypted PKCS#8.
/// </summary>
public sealed class TestCertificates
{
    private TestCertificates(string directory)
    {
        CaFile = Path.Combine(directory, "ca.pem");
        ServerCertFile = Path.Combine(directory, "server.pem");
        ServerKeyFile = Path.Combine(directory, "server-key.pem");
        ClientCertFile = Path.Combine(directory, "client.pem");
        ClientKeyFile = Path.Combine(directory, "client-key.pem");
    }

    public string CaFile { get; }

    public string ServerCertFile { get; }

    public string ServerKeyFile { get; }

    public string ClientCertFile { get; }

    public string ClientKeyFile { get; }

    public static TestCertificates Create(string directory)
    {
        var files = new TestCertificates(directory);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=contivksr-test-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = DateTimeOffset.UtcNow.AddDays(1);
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);
        File.WriteAllText(files.CaFile, ca.ExportCertificatePem());

        Issue(ca, "CN=127.0.0.1", server: true, files.ServerCertFile, files.ServerKeyFile, notBefore, notAfter);
        Issue(ca, "CN=contivksr-test-client", server: false, files.ClientCertFile, files.ClientKeyFile, notBefore, notAfter);
        return files;
    }

    private static void Issue(X509Certificate2 ca, string subject, bool server, string certFile, string keyFile, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var certificate = request.Create(ca, notBefore, notAfter, serial);
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }
}
